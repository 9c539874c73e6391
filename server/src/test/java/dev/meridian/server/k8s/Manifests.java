package dev.meridian.server.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Kubernetes objects one kustomization under {@code k8s/} renders to, as {@code kubectl kustomize}
 * prints them, with the look-ups the manifest checks need.
 */
record Manifests(String name, List<JsonNode> objects) {

  private static final YAMLMapper YAML = new YAMLMapper();

  /** The repository's k8s/ directory, found upwards from the working directory (server/ under Maven). */
  static Path k8sDirectory() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("k8s/overlays"))) return dir.resolve("k8s");
    }
    throw new IllegalStateException("no k8s/overlays above " + Path.of("").toAbsolutePath());
  }

  /** Every overlay directory (one per region), by name. */
  static List<Path> overlays() throws IOException {
    try (Stream<Path> dirs = Files.list(k8sDirectory().resolve("overlays"))) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml"))).sorted().toList();
    }
  }

  /**
   * Renders a kustomization with kubectl: the one named by the system property or environment variable
   * KUBECTL, else the one on the PATH (bin/test-tools installs Debian's kubernetes-client on CI).
   */
  static Manifests render(Path kustomization) throws IOException, InterruptedException {
    String kubectl = Optional.ofNullable(System.getProperty("kubectl"))
        .or(() -> Optional.ofNullable(System.getenv("KUBECTL"))).orElse("kubectl");
    Process p;
    try {
      p = new ProcessBuilder(kubectl, "kustomize", kustomization.toString()).start();
    } catch (IOException e) {
      throw new AssertionError("kubectl is needed to render the Kubernetes manifests and was not found ("
          + kubectl + ": " + e.getMessage() + "); install Debian's kubernetes-client (bin/test-tools does)", e);
    }
    p.getOutputStream().close();
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl kustomize " + kustomization + " did not finish");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("kubectl kustomize " + kustomization + " failed (" + p.exitValue() + "):\n"
          + new String(err.join(), StandardCharsets.UTF_8));
    }
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(out)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && doc.isObject() && doc.has("kind")) objects.add(doc);
      }
    }
    return new Manifests(kustomization.getFileName().toString(), objects);
  }

  private static byte[] readAll(java.io.InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      return e.toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  Optional<JsonNode> find(String kind, String name) {
    return ofKind(kind).stream().filter(o -> name.equals(nameOf(o))).findFirst();
  }

  /** The one object of a kind this kustomization must hold exactly once. */
  JsonNode single(String kind) {
    List<JsonNode> all = ofKind(kind);
    if (all.size() != 1) throw new AssertionError(name + ": expected one " + kind + ", found " + all.size());
    return all.get(0);
  }

  static String nameOf(JsonNode o) {
    return o.path("metadata").path("name").asText();
  }

  static String namespaceOf(JsonNode o) {
    return o.path("metadata").path("namespace").asText("default");
  }

  /** A {@code key: value} object (labels, a selector's matchLabels) as a map. */
  static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> m = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  /** Whether an equality selector (all of its pairs) selects objects with these labels. */
  static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    return !selector.isEmpty() && selector.entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** The value of a Secret's or ConfigMap's key (Secret data is base64), if the key exists. */
  static Optional<String> dataValue(JsonNode secretOrConfigMap, String key) {
    JsonNode plain = secretOrConfigMap.path("stringData").path(key);
    if (!plain.isMissingNode()) return Optional.of(plain.asText());
    JsonNode data = secretOrConfigMap.path("data").path(key);
    if (data.isMissingNode()) return Optional.empty();
    return Optional.of("Secret".equals(secretOrConfigMap.path("kind").asText())
        ? new String(java.util.Base64.getDecoder().decode(data.asText()), StandardCharsets.UTF_8)
        : data.asText());
  }
}
