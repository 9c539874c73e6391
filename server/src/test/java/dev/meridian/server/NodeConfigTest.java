package dev.meridian.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a node is configured with, from application.conf, overrides and the list-valued environment. */
class NodeConfigTest {

  private static Config base(String overrides) {
    return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()).resolve();
  }

  @Test
  void listVariablesAreSplitOnCommasAndTrimmed() {
    Config c = NodeConfig.load(base(""), Map.of(
        "MERIDIAN_SEED_NODES", "pekko://meridian@127.0.0.1:25521, pekko://meridian@127.0.0.1:25522,",
        "MERIDIAN_CASSANDRA_CONTACT_POINTS", "cass-1:9042 ,cass-2:9043",
        "MERIDIAN_REGIONS", "us-east-1,eu-west-1"));
    assertEquals(List.of("pekko://meridian@127.0.0.1:25521", "pekko://meridian@127.0.0.1:25522"),
        c.getStringList("pekko.cluster.seed-nodes"));
    assertEquals(List.of("cass-1:9042", "cass-2:9043"), c.getStringList("datastax-java-driver.basic.contact-points"));
    assertEquals(List.of("us-east-1", "eu-west-1"), c.getStringList("meridian.regions"));
  }

  @Test
  void unsetOrBlankVariablesKeepTheConfiguredLists() {
    Config c = NodeConfig.load(base("pekko.cluster.seed-nodes = [\"pekko://meridian@h:1\"]"),
        Map.of("MERIDIAN_SEED_NODES", "  ", "MERIDIAN_CASSANDRA_CONTACT_POINTS", ""));
    assertEquals(List.of("pekko://meridian@h:1"), c.getStringList("pekko.cluster.seed-nodes"));
    assertEquals(List.of("127.0.0.1:9042"), c.getStringList("datastax-java-driver.basic.contact-points"));
  }

  @Test
  void journalAndSnapshotsLiveInTheRegionsKeyspace() {
    Config c = NodeConfig.load(base("meridian.region = us-west-2"), Map.of());
    assertEquals("meridian_us_west_2", c.getString("pekko.persistence.cassandra.journal.keyspace"));
    assertEquals("meridian_us_west_2", c.getString("pekko.persistence.cassandra.snapshot.keyspace"));
  }

  /** Set in meridian-persistence.conf: in a reference.conf they would lose to the plugin's own defaults. */
  @Test
  void theReplicationProjectionsReadTagsWithMeridiansDelayAndBackTracking() {
    Config c = NodeConfig.load(base(""), Map.of());
    assertEquals(Duration.ofSeconds(2), c.getDuration("pekko.persistence.cassandra.events-by-tag.eventual-consistency-delay"));
    assertEquals(Duration.ofSeconds(1), c.getDuration("pekko.persistence.cassandra.query.refresh-interval"));
    assertEquals(Duration.ofSeconds(5), c.getDuration("pekko.persistence.cassandra.events-by-tag.back-track.interval"));
    assertEquals(Duration.ofSeconds(10), c.getDuration("pekko.persistence.cassandra.events-by-tag.back-track.period"));
    assertEquals(Duration.ofMinutes(10), c.getDuration("pekko.persistence.cassandra.events-by-tag.back-track.long-interval"));
    assertEquals(Duration.ofMinutes(30), c.getDuration("pekko.persistence.cassandra.events-by-tag.back-track.long-period"));
  }

  @Test
  void theKeyspacePrefixIsHonoured() {
    Config c = NodeConfig.load(base("meridian.region = eu-central-1\nmeridian.storage.keyspace-prefix = t1a2b"), Map.of());
    assertEquals("t1a2b_eu_central_1", c.getString("pekko.persistence.cassandra.journal.keyspace"));
    assertEquals("t1a2b_eu_central_1", c.getString("pekko.persistence.cassandra.snapshot.keyspace"));
  }

  @Test
  void theDriverRefreshesTheSchemaOfTheNodesOwnKeyspacesOnly() {
    Config c = NodeConfig.load(base("meridian.region = eu-central-1\nmeridian.storage.keyspace-prefix = t1a2b\n"
        + "meridian.storage.global-keyspace = t1a2b_global"), Map.of());
    assertEquals(List.of("t1a2b_eu_central_1", "t1a2b_global"),
        c.getStringList("datastax-java-driver.advanced.metadata.schema.refreshed-keyspaces"));
  }

  /** A schema change completes after the driver's metadata refresh: 1.1 s each with the default 1 s window. */
  @Test
  void schemaChangesWaitForTheMetadataRefreshBriefly() {
    assertEquals(Duration.ofMillis(10),
        NodeConfig.load(base(""), Map.of()).getDuration("datastax-java-driver.advanced.metadata.schema.debouncer.window"));
  }

  @Test
  void theRegionIsThePekkoDataCenter() {
    assertEquals("us-west-2", NodeConfig.load(base("meridian.region = us-west-2"), Map.of())
        .getString("pekko.cluster.multi-data-center.self-data-center"));
    assertEquals("us-east-1", NodeConfig.load(base(""), Map.of())
        .getString("pekko.cluster.multi-data-center.self-data-center"));
  }

  @Test
  void cassandraCredentialsSelectThePlainTextAuthenticator() {
    Config c = NodeConfig.load(base("""
        datastax-java-driver.advanced.auth-provider { username = meridian, password = s3cret }"""), Map.of());
    assertEquals("PlainTextAuthProvider", c.getString("datastax-java-driver.advanced.auth-provider.class"));
    assertEquals("meridian", c.getString("datastax-java-driver.advanced.auth-provider.username"));
  }

  @Test
  void withoutCassandraCredentialsNoAuthenticatorIsConfigured() {
    assertFalse(NodeConfig.load(base(""), Map.of()).hasPath("datastax-java-driver.advanced.auth-provider.class"));
  }
}
