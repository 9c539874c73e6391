package dev.meridian.persistence.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fast checks of the generated Cassandra config and command line; nothing is started. */
class CassandraConfigTest {

  private final Path dataDir = Path.of("/tmp/meridian-test-node");
  private final CassandraSettings settings = CassandraSettings.builder(dataDir)
      .address("127.0.0.2")
      .nativePort(19042)
      .storagePort(17000)
      .jmxPort(17199)
      .dataCenter("eu-west")
      .clusterName("meridian-test")
      .build();

  @Test
  void yamlHasTheKeysCassandra5NeedsWithOurValues() {
    String yaml = CassandraConfig.renderYaml(settings);
    for (String line : List.of(
        "cluster_name: 'meridian-test'",
        "num_tokens: 4",
        "allocate_tokens_for_local_replication_factor: 1",
        "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
        "  class_name: org.apache.cassandra.auth.AllowAllAuthenticator",
        "  class_name: org.apache.cassandra.auth.AllowAllAuthorizer",
        "  - '/tmp/meridian-test-node/data'",
        "commitlog_directory: '/tmp/meridian-test-node/commitlog'",
        "saved_caches_directory: '/tmp/meridian-test-node/saved_caches'",
        "hints_directory: '/tmp/meridian-test-node/hints'",
        "cdc_raw_directory: '/tmp/meridian-test-node/cdc_raw'",
        "commitlog_sync: periodic",
        "commitlog_sync_period: 10000ms",
        "      - seeds: '127.0.0.2:17000'",
        "listen_address: '127.0.0.2'",
        "rpc_address: '127.0.0.2'",
        "storage_port: 17000",
        "native_transport_port: 19042",
        "start_native_transport: true",
        "endpoint_snitch: GossipingPropertyFileSnitch",
        "concurrent_compactors: 1",
        "memtable_flush_writers: 1",
        "memtable_heap_space: 128MiB",
        "memtable_offheap_space: 512MiB",
        "auto_snapshot: false",
        "materialized_views_enabled: false",
        "sasi_indexes_enabled: false")) {
      assertTrue(yaml.lines().anyMatch(line::equals), "missing line: " + line + "\n" + yaml);
    }
    assertFalse(yaml.contains("@@"), yaml);
  }

  @Test
  void explicitSeedsReplaceTheNodeItself() {
    CassandraSettings second = settings.toBuilder().seeds(List.of("127.0.0.1:7000", "127.0.0.3")).build();
    assertTrue(CassandraConfig.renderYaml(second).contains("- seeds: '127.0.0.1:7000,127.0.0.3'"));
  }

  @Test
  void rackDcNamesTheDataCenter() {
    String props = CassandraConfig.renderRackDc(settings);
    assertTrue(props.contains("\ndc=eu-west\n"), props);
    assertTrue(props.contains("\nrack=rack1\n"), props);
  }

  @Test
  void everyDirectoryIsUnderTheDataDir() {
    CassandraConfig.directories(settings).values().forEach(dir -> assertTrue(dir.startsWith(dataDir)));
    assertTrue(CassandraConfig.confDir(settings).startsWith(dataDir));
    assertTrue(CassandraConfig.logDir(settings).startsWith(dataDir));
  }

  @Test
  void commandPutsConfFirstAndHasTheJdk17Flags() {
    List<Path> libs = List.of(Path.of("/lib/cassandra-all-5.0.9.jar"), Path.of("/lib/jamm-0.4.0.jar"));
    List<String> cmd = CassandraConfig.command(settings, Path.of("/jdk/bin/java"), Path.of("/classes"), libs);
    assertEquals("/jdk/bin/java", cmd.get(0));
    assertEquals(CassandraConfig.CHILD_MAIN, cmd.get(cmd.size() - 1));
    String classpath = cmd.get(cmd.indexOf("-cp") + 1);
    assertTrue(classpath.startsWith("/tmp/meridian-test-node/conf:/classes:/lib/"), classpath);
    for (String flag : List.of("-Xmx768m", "-Xms768m", "-javaagent:/lib/jamm-0.4.0.jar",
        "-Dcassandra.jmx.local.port=17199", "-Dcassandra-foreground=yes",
        "-Dcassandra.config=file:///tmp/meridian-test-node/conf/cassandra.yaml",
        "-Dcassandra.storagedir=/tmp/meridian-test-node",
        "-Dcassandra.logdir=/tmp/meridian-test-node/logs",
        "-Djava.net.preferIPv4Stack=true", "-Djdk.attach.allowAttachSelf=true",
        "-Dcassandra.ring_delay_ms=1000", "-Dcassandra.skip_wait_for_gossip_to_settle=0",
        "-Djava.io.tmpdir=/tmp/meridian-test-node/tmp",
        "-XX:+UseG1GC", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED")) {
      assertTrue(cmd.contains(flag), "missing " + flag + " in " + cmd);
    }
  }

  @Test
  void aNodeJoiningOthersWaitsLongerForGossipThanASeed() {
    CassandraSettings alone = CassandraSettings.builder(Path.of("/tmp/meridian-test-node"))
        .address("127.0.0.2").storagePort(17000).build();
    List<Path> libs = List.of(Path.of("/lib/jamm-0.4.0.jar"));
    CassandraSettings joining = alone.toBuilder().seeds(List.of("127.0.0.1:17000")).build();
    CassandraSettings seed = alone.toBuilder().seeds(List.of("127.0.0.1:17000", "127.0.0.2:17000")).build();
    assertTrue(CassandraConfig.command(alone, Path.of("java"), Path.of("/c"), libs).contains("-Dcassandra.ring_delay_ms=1000"));
    assertTrue(CassandraConfig.command(seed, Path.of("java"), Path.of("/c"), libs).contains("-Dcassandra.ring_delay_ms=1000"));
    assertTrue(CassandraConfig.command(joining, Path.of("java"), Path.of("/c"), libs).contains("-Dcassandra.ring_delay_ms=5000"));
  }

  @Test
  void renderRefusesUnknownPlaceholders() {
    assertEquals("a: 1", CassandraConfig.render("a: @@x@@", Map.of("x", "1")));
    assertThrows(IllegalStateException.class, () -> CassandraConfig.render("a: @@y@@", Map.of("x", "1")));
  }

  @Test
  void yamlStringsEscapeQuotes() {
    assertEquals("'it''s'", CassandraConfig.yamlString("it's"));
  }

  @Test
  void settingsRejectNonsense() {
    assertThrows(IllegalArgumentException.class, () -> settings.toBuilder().heap("lots").build());
    assertThrows(IllegalArgumentException.class, () -> settings.toBuilder().nativePort(0).build());
    assertThrows(IllegalArgumentException.class, () -> settings.toBuilder().dataCenter("a'b").build());
  }
}
