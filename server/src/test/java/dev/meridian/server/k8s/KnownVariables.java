package dev.meridian.server.k8s;

import dev.meridian.server.NodeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables a node reads: every {@code ${?NAME}} of the configuration files on its
 * classpath (application.conf, the files it includes, every library's reference.conf) and the list
 * variables {@link NodeConfig} reads itself.
 */
final class KnownVariables {

  private static final Pattern OPTIONAL_SUBSTITUTION = Pattern.compile("\\$\\{\\?\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}");
  private static final Pattern INCLUDE = Pattern.compile("(?m)^\\s*include\\s+\"([^\"]+)\"");

  private KnownVariables() {}

  static Set<String> read() {
    Set<String> names = new TreeSet<>(NodeConfig.LIST_VARIABLES.keySet());
    List<URL> files = new ArrayList<>(resources("reference.conf"));
    for (URL application : resources("application.conf")) {
      files.add(application);
      Matcher include = INCLUDE.matcher(text(application));
      while (include.find()) files.addAll(resources(include.group(1)));
    }
    for (URL file : files) {
      Matcher m = OPTIONAL_SUBSTITUTION.matcher(text(file));
      while (m.find()) names.add(m.group(1));
    }
    return names;
  }

  private static List<URL> resources(String name) {
    try {
      return Collections.list(KnownVariables.class.getClassLoader().getResources(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(URL url) {
    try (InputStream in = url.openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
