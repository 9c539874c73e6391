package dev.meridian.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.meridian.cluster.MeridianSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Loads a node's configuration: application.conf and its includes, then the settings derived from
 * others (the journal keyspace from the region, the Cassandra authenticator from its credentials) and
 * the list-valued environment variables HOCON cannot split (seed nodes, Cassandra contact points).
 */
public final class NodeConfig {

  /**
   * The environment variables read here rather than by a {@code ${?NAME}} line of a .conf file: each is
   * a comma-separated list, mapped to the config path it sets. The Kubernetes manifests test checks the
   * manifests against these and the .conf files.
   */
  public static final Map<String, String> LIST_VARIABLES = Map.of(
      "MERIDIAN_SEED_NODES", "pekko.cluster.seed-nodes",
      "MERIDIAN_CASSANDRA_CONTACT_POINTS", "datastax-java-driver.basic.contact-points",
      "MERIDIAN_REGIONS", "meridian.regions");

  private static final String AUTH_PROVIDER = "datastax-java-driver.advanced.auth-provider";

  private NodeConfig() {}

  public static Config load() {
    return load(ConfigFactory.load(), System.getenv());
  }

  static Config load(Config base, Map<String, String> env) {
    Config c = base;
    for (Map.Entry<String, String> v : LIST_VARIABLES.entrySet()) {
      c = withList(c, env.get(v.getKey()), v.getValue());
    }
    // A Cassandra with authentication (K8ssandra's default) is given a username and password; only then
    // does the driver answer its challenge (an authenticator without credentials would fail on connect).
    if (c.hasPath(AUTH_PROVIDER + ".username") && !c.hasPath(AUTH_PROVIDER + ".class")) {
      c = c.withValue(AUTH_PROVIDER + ".class", ConfigValueFactory.fromAnyRef("PlainTextAuthProvider"));
    }
    String keyspace = MeridianSettings.regionKeyspace(c.getString("meridian.storage.keyspace-prefix"),
        c.getString("meridian.region"));
    return c
        .withValue("pekko.persistence.cassandra.journal.keyspace", ConfigValueFactory.fromAnyRef(keyspace))
        .withValue("pekko.persistence.cassandra.snapshot.keyspace", ConfigValueFactory.fromAnyRef(keyspace))
        .withValue("pekko.projection.cassandra.offset-store.keyspace", ConfigValueFactory.fromAnyRef(keyspace))
        .withValue("pekko.cluster.multi-data-center.self-data-center",
            ConfigValueFactory.fromAnyRef(c.getString("meridian.region")))
        // The driver re-reads schema metadata whenever any keyspace changes; only the node's own keyspaces
        // concern it (on a shared Cassandra, parsing everyone's schema took a sixth of a node's CPU).
        .withValue("datastax-java-driver.advanced.metadata.schema.refreshed-keyspaces",
            ConfigValueFactory.fromIterable(List.of(keyspace, c.getString("meridian.storage.global-keyspace"))));
  }

  private static Config withList(Config c, String commaSeparated, String path) {
    if (commaSeparated == null || commaSeparated.isBlank()) return c;
    List<String> items = Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    return c.withValue(path, ConfigValueFactory.fromIterable(items));
  }
}
