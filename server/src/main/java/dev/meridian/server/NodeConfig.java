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
 * others (the journal keyspace from the region) and the list-valued environment variables HOCON cannot
 * split (seed nodes, Cassandra contact points).
 */
public final class NodeConfig {

  private NodeConfig() {}

  public static Config load() {
    return load(ConfigFactory.load(), System.getenv());
  }

  static Config load(Config base, Map<String, String> env) {
    Config c = base;
    c = withList(c, env.get("MERIDIAN_SEED_NODES"), "pekko.cluster.seed-nodes");
    c = withList(c, env.get("MERIDIAN_CASSANDRA_CONTACT_POINTS"), "datastax-java-driver.basic.contact-points");
    c = withList(c, env.get("MERIDIAN_REGIONS"), "meridian.regions");
    String keyspace = MeridianSettings.regionKeyspace(c.getString("meridian.storage.keyspace-prefix"),
        c.getString("meridian.region"));
    return c
        .withValue("pekko.persistence.cassandra.journal.keyspace", ConfigValueFactory.fromAnyRef(keyspace))
        .withValue("pekko.persistence.cassandra.snapshot.keyspace", ConfigValueFactory.fromAnyRef(keyspace))
        .withValue("pekko.projection.cassandra.offset-store.keyspace", ConfigValueFactory.fromAnyRef(keyspace))
        .withValue("pekko.cluster.multi-data-center.self-data-center",
            ConfigValueFactory.fromAnyRef(c.getString("meridian.region")));
  }

  private static Config withList(Config c, String commaSeparated, String path) {
    if (commaSeparated == null || commaSeparated.isBlank()) return c;
    List<String> items = Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    return c.withValue(path, ConfigValueFactory.fromIterable(items));
  }
}
