package dev.meridian.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import dev.meridian.server.LocalCluster;
import dev.meridian.server.NodeProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Meridian started for a run with the project's launcher ({@link LocalCluster}, the program behind
 * bin/meridian) as a child process on loopback: its own ports, its own keyspaces (a prefix per run) in the
 * given Cassandra (or an embedded one), stopped with all its node processes at the end.
 */
final class MeridianCluster implements AutoCloseable {

  /** What to start: regions, nodes per region, heap per node, and where Cassandra is. */
  record Spec(List<String> regions, int nodesPerRegion, String nodeHeap, String cassandra, int cassandraPort,
      String cassandraDc, int s3Port, int clusterPort, int managementPort, String keyspacePrefix, Path dataDir) {

    String[] launcherArgs() {
      List<String> a = new ArrayList<>(List.of("--regions", String.join(",", regions),
          "--nodes-per-region", Integer.toString(nodesPerRegion), "--node-heap", nodeHeap,
          "--data-dir", dataDir.toString(), "--cassandra", cassandra,
          "--cassandra-port", Integer.toString(cassandraPort),
          "--s3-port", Integer.toString(s3Port), "--cluster-port", Integer.toString(clusterPort),
          "--management-port", Integer.toString(managementPort)));
      return a.toArray(String[]::new);
    }

    List<NodeProcess.Spec> nodes() {
      return LocalCluster.plan(LocalCluster.Options.parse(launcherArgs()));
    }
  }

  static final String ACCESS_KEY = "AKIAMERIDIANLOCAL001";
  static final String SECRET_KEY = "meridian-local-secret-key-0000000000000";

  private final Spec spec;
  private final ChildProcess launcher;

  private MeridianCluster(Spec spec, ChildProcess launcher) {
    this.spec = spec;
    this.launcher = launcher;
  }

  /**
   * Starts the cluster; a second attempt follows a failed one, because the launcher gives a node 4 minutes
   * and creating a fresh keyspace's tables in a busy shared Cassandra can take longer (what the first
   * attempt created is kept, so the second one starts faster).
   */
  static MeridianCluster start(Spec spec, Map<String, String> extraEnv) throws IOException {
    try {
      return startOnce(spec, extraEnv);
    } catch (IllegalStateException e) {
      say("Meridian did not start (" + e.getMessage() + "); trying once more");
      return startOnce(spec, extraEnv);
    }
  }

  private static MeridianCluster startOnce(Spec spec, Map<String, String> extraEnv) throws IOException {
    Files.createDirectories(spec.dataDir());
    List<String> cmd = new ArrayList<>(List.of(ChildProcess.java(), "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), LocalCluster.class.getName()));
    cmd.addAll(List.of(spec.launcherArgs()));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MERIDIAN_KEYSPACE_PREFIX", spec.keyspacePrefix());
    env.put("MERIDIAN_GLOBAL_KEYSPACE", spec.keyspacePrefix() + "_global");
    if (!spec.cassandra().equals("embedded")) env.put("MERIDIAN_CASSANDRA_DC", spec.cassandraDc());
    env.putAll(extraEnv);
    say("starting Meridian: " + spec.regions() + " x " + spec.nodesPerRegion() + " node(s), S3 from port "
        + spec.s3Port() + ", Cassandra " + spec.cassandra() + ", keyspaces " + spec.keyspacePrefix() + "_*");
    long t0 = System.nanoTime();
    ChildProcess launcher = ChildProcess.start("meridian", cmd, env, spec.dataDir().resolve("launcher.log"),
        line -> line.startsWith("Meridian is running"));
    launcher.awaitReady(Duration.ofMinutes(6));
    say(String.format("Meridian is up after %.1f s", (System.nanoTime() - t0) / 1e9));
    return new MeridianCluster(spec, launcher);
  }

  Spec spec() {
    return spec;
  }

  List<URI> s3Endpoints(String region) {
    return spec.nodes().stream().filter(n -> n.region().equals(region))
        .map(n -> URI.create("http://127.0.0.1:" + n.s3Port())).toList();
  }

  URI management(String region) {
    NodeProcess.Spec n = spec.nodes().stream().filter(s -> s.region().equals(region)).findFirst().orElseThrow();
    return URI.create("http://127.0.0.1:" + n.managementPort());
  }

  S3Target target(String name, String region) {
    return new S3Target(name, s3Endpoints(region), ACCESS_KEY, SECRET_KEY, region);
  }

  /** The launcher, whose descendants are the nodes and, unless an external one is given, Cassandra. */
  ProcessHandle processes() {
    return launcher.handle();
  }

  /** The node processes (children of the launcher) by S3 port, read from their environment. */
  Map<Integer, Long> nodePids() {
    Map<Integer, Long> pids = new LinkedHashMap<>();
    launcher.handle().descendants().forEach(h -> {
      // ProcessHandle.Info cuts command lines at 4 KiB, shorter than a node's class path: read /proc.
      if (!procFile(h.pid(), "cmdline").contains("dev.meridian.server.MeridianNode")) return;
      s3Port(h.pid()).ifPresent(port -> pids.put(port, h.pid()));
    });
    return pids;
  }

  private static Optional<Integer> s3Port(long pid) {
    for (String kv : procFile(pid, "environ").split("\0")) {
      if (kv.startsWith("MERIDIAN_S3_PORT=")) return Optional.of(Integer.parseInt(kv.substring(17)));
    }
    return Optional.empty();
  }

  private static String procFile(long pid, String name) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/" + name)), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return ""; // not Linux, or the process is gone
    }
  }

  private boolean closed;

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    say("stopping Meridian ...");
    launcher.close();
  }

  /** Drops the run's keyspaces (an external Cassandra only; an embedded one lives in the run's directory). */
  static void dropKeyspaces(Spec spec) {
    if (spec.cassandra().equals("embedded")) return;
    // The classpath's application.conf (the node's) names other contact points: override them here.
    try (CqlSession s = CqlSession.builder()
        .withConfigLoader(DriverConfigLoader.programmaticBuilder()
            .withStringList(DefaultDriverOption.CONTACT_POINTS, List.of(spec.cassandra()))
            .withString(DefaultDriverOption.LOAD_BALANCING_LOCAL_DATACENTER, spec.cassandraDc())
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(120)).build())
        .build()) {
      List<String> keyspaces = new ArrayList<>();
      s.execute("SELECT keyspace_name FROM system_schema.keyspaces").forEach(r -> {
        String k = r.getString(0);
        if (k != null && k.startsWith(spec.keyspacePrefix() + "_")) keyspaces.add(k);
      });
      for (String k : keyspaces) s.execute("DROP KEYSPACE IF EXISTS " + k);
      say("dropped keyspaces " + keyspaces);
    } catch (RuntimeException e) {
      say("could not drop keyspaces " + spec.keyspacePrefix() + "_*: " + e.getMessage());
    }
  }

  private static void say(String s) {
    System.out.println("[bench] " + s);
    System.out.flush();
  }
}
