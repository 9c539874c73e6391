package dev.meridian.server;

import com.typesafe.config.Config;
import java.util.Map;

/**
 * Test-only bridge to {@link NodeConfig#load(Config, Map)}, which is package-private, for the test support
 * classes in {@code dev.meridian.server.testing}.
 */
public final class NodeConfigAccess {

  private NodeConfigAccess() {}

  public static Config load(Config base, Map<String, String> env) {
    return NodeConfig.load(base, env);
  }
}
