package dev.meridian.chaos.cluster;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import dev.meridian.persistence.embedded.CassandraSettings;
import dev.meridian.persistence.embedded.EmbeddedCassandra;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cassandra a run's nodes use, and the environment that points a node of a region at it. Three kinds:
 * an external Cassandra that is already running (shared, never touched; the run's keyspaces, all named
 * with the run's prefix, are dropped at the end), one embedded Cassandra of the run's own, or one embedded
 * Cassandra per region forming a multi-DC ring (each region's keyspace in its own data center, the bucket
 * registry in all), which is what a storage outage needs: {@link #kill} SIGKILLs one region's Cassandra
 * and {@link #restart} brings it back on the same data.
 */
public final class Storage implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Storage.class);

  private final String description;
  private final String keyspacePrefix;
  private final Map<String, Map<String, String>> envByRegion;
  private final Map<String, EmbeddedCassandra> byRegion;
  private final InetSocketAddress external;
  private final String externalDc;

  private Storage(String description, String keyspacePrefix, Map<String, Map<String, String>> envByRegion,
      Map<String, EmbeddedCassandra> byRegion, InetSocketAddress external, String externalDc) {
    this.description = description;
    this.keyspacePrefix = keyspacePrefix;
    this.envByRegion = envByRegion;
    this.byRegion = byRegion;
    this.external = external;
    this.externalDc = externalDc;
  }

  /** An external Cassandra given as {@code host:port} or {@code host:port/dc}. */
  public static Storage external(String spec, List<String> regions, String keyspacePrefix) {
    String dc = spec.contains("/") ? spec.substring(spec.indexOf('/') + 1) : CassandraSettings.DEFAULT_DATA_CENTER;
    String hostPort = spec.contains("/") ? spec.substring(0, spec.indexOf('/')) : spec;
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) throw new IllegalArgumentException("expected host:port[/dc], got " + spec);
    InetSocketAddress address = new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    try (java.net.Socket probe = new java.net.Socket()) {
      probe.connect(address, 5000);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the external Cassandra " + spec + " does not accept connections: " + e.getMessage());
    }
    Map<String, Map<String, String>> env = new LinkedHashMap<>();
    for (String r : regions) {
      env.put(r, common(keyspacePrefix, Map.of("MERIDIAN_CASSANDRA_CONTACT_POINTS", hostPort, "MERIDIAN_CASSANDRA_DC", dc)));
    }
    return new Storage("external Cassandra " + spec, keyspacePrefix, env, Map.of(), address, dc);
  }

  /** One Cassandra of the run's own on {@code address} (data under {@code dir}), shared by every region. */
  public static Storage embedded(Path dir, String address, List<String> regions, String keyspacePrefix, Ports ports,
      ProcessLedger ledger) {
    int nativePort = ports.one(address);
    int storagePort = ports.one(address);
    int jmxPort = ports.one("127.0.0.1");
    EmbeddedCassandra c = new EmbeddedCassandra(CassandraSettings.builder(dir).address(address).nativePort(nativePort)
        .storagePort(storagePort).jmxPort(jmxPort).heap("512m").clusterName("chaos").shutdownHook(false).build());
    Map<String, EmbeddedCassandra> byRegion = new LinkedHashMap<>();
    Map<String, Map<String, String>> env = new LinkedHashMap<>();
    for (String r : regions) {
      byRegion.put(r, c);
      env.put(r, common(keyspacePrefix, Map.of("MERIDIAN_CASSANDRA_CONTACT_POINTS", c.contactPoint(),
          "MERIDIAN_CASSANDRA_DC", c.dataCenter())));
    }
    Storage s = new Storage("embedded Cassandra at " + c.contactPoint(), keyspacePrefix, env, byRegion, null, null);
    s.startAll(ledger);
    return s;
  }

  /**
   * One Cassandra per region on 127.0.77.1, 127.0.77.2, ... (data centers named after the regions, the
   * first as seed): the setup of {@code bin/meridian --cassandra-per-region true} on ports of the run's own.
   */
  public static Storage perRegion(Path dir, List<String> regions, String keyspacePrefix, Ports ports, ProcessLedger ledger) {
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < regions.size(); i++) addresses.add("127.0.77." + (i + 1));
    int nativePort = ports.range(1, addresses);
    int storagePort = ports.range(1, addresses);
    String global = regions.stream().map(r -> "'" + r + "': 1")
        .collect(Collectors.joining(", ", "{'class': 'NetworkTopologyStrategy', ", "}"));
    Map<String, EmbeddedCassandra> byRegion = new LinkedHashMap<>();
    Map<String, Map<String, String>> env = new LinkedHashMap<>();
    for (int i = 0; i < regions.size(); i++) {
      String region = regions.get(i);
      EmbeddedCassandra c = new EmbeddedCassandra(CassandraSettings.builder(dir.resolve("cassandra-" + region))
          .address(addresses.get(i)).nativePort(nativePort).storagePort(storagePort).jmxPort(ports.one("127.0.0.1"))
          .dataCenter(region).seeds(List.of(addresses.get(0) + ":" + storagePort)).heap("512m").clusterName("chaos")
          .shutdownHook(false).build());
      byRegion.put(region, c);
      env.put(region, common(keyspacePrefix, Map.of(
          "MERIDIAN_CASSANDRA_CONTACT_POINTS", c.contactPoint(),
          "MERIDIAN_CASSANDRA_DC", region,
          "MERIDIAN_REGION_REPLICATION", "{'class': 'NetworkTopologyStrategy', '" + region + "': 1}",
          "MERIDIAN_GLOBAL_REPLICATION", global)));
    }
    Storage s = new Storage("one embedded Cassandra per region: " + byRegion.values().stream()
        .map(c -> c.dataCenter() + "@" + c.contactPoint()).toList(), keyspacePrefix, env, byRegion, null, null);
    s.startAll(ledger);
    return s;
  }

  private static Map<String, String> common(String prefix, Map<String, String> more) {
    Map<String, String> env = new LinkedHashMap<>(more);
    env.put("MERIDIAN_KEYSPACE_PREFIX", prefix);
    env.put("MERIDIAN_GLOBAL_KEYSPACE", prefix + "_global");
    return env;
  }

  private void startAll(ProcessLedger ledger) {
    try {
      for (EmbeddedCassandra c : byRegion.values().stream().distinct().toList()) {
        c.start();
        c.processHandle().ifPresent(p -> ledger.record(p.pid(), c.settings().dataDir().toString()));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  public String description() {
    return description;
  }

  /** Environment variables that point a node of {@code region} at its Cassandra and the run's keyspaces. */
  public Map<String, String> env(String region) {
    return envByRegion.get(region);
  }

  /** Whether each region has a Cassandra of its own that {@link #kill} can take down. */
  public boolean perRegion() {
    return byRegion.values().stream().distinct().count() > 1;
  }

  /** SIGKILL of the Cassandra process of {@code region}. */
  public String kill(String region) {
    EmbeddedCassandra c = byRegion.get(region);
    if (c == null) throw new IllegalStateException("no Cassandra of the run's own for " + region);
    long pid = c.processHandle().map(ProcessHandle::pid).orElse(-1L);
    c.processHandle().ifPresent(ProcessHandle::destroyForcibly);
    c.processHandle().ifPresent(p -> p.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join());
    c.stop(); // the process is gone: this only releases the data directory
    return "SIGKILL Cassandra pid " + pid + " at " + c.contactPoint();
  }

  /** Starts the Cassandra of {@code region} again on its data and waits until CQL works. */
  public void restart(String region, ProcessLedger ledger) {
    EmbeddedCassandra c = byRegion.get(region);
    c.start();
    c.processHandle().ifPresent(p -> ledger.record(p.pid(), c.settings().dataDir().toString()));
  }

  /**
   * Kills the run's own Cassandra processes (their data is disposable), or drops the run's keyspaces from
   * the external one.
   */
  @Override
  public void close() {
    close(false);
  }

  /** As {@link #close()}; with {@code keep}, the run's keyspaces and data directories stay for inspection. */
  public void close(boolean keep) {
    for (EmbeddedCassandra c : byRegion.values().stream().distinct().toList()) {
      c.processHandle().ifPresent(ProcessHandle::destroyForcibly);
      c.stop();
      if (!keep) deleteTree(c.settings().dataDir());
    }
    if (external != null && !keep) dropKeyspaces();
  }

  private static void deleteTree(Path dir) {
    try (var paths = java.nio.file.Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException | RuntimeException e) {
      log.warn("could not delete {}: {}", dir, e.toString());
    }
  }

  private void dropKeyspaces() {
    // The nodes' application.conf (on this classpath too) sets reconnect-on-init: off here, so that a Cassandra
    // that is gone makes the clean-up give up instead of waiting for it forever.
    DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
        .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, false)
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(60))
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10)).build();
    try (CqlSession s = CqlSession.builder().addContactPoint(external).withLocalDatacenter(externalDc)
        .withConfigLoader(config).build()) {
      List<String> mine = s.execute("SELECT keyspace_name FROM system_schema.keyspaces").all().stream()
          .map(r -> r.getString(0)).filter(k -> k.startsWith(keyspacePrefix)).toList();
      for (String ks : mine) s.execute("DROP KEYSPACE IF EXISTS " + ks);
      log.info("dropped the run's keyspaces {}", mine);
    } catch (RuntimeException e) {
      log.warn("could not drop the run's keyspaces (prefix {}): {}", keyspacePrefix, e.toString());
    }
  }
}
