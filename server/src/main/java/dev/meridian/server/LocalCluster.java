package dev.meridian.server;

import dev.meridian.persistence.embedded.CassandraSettings;
import dev.meridian.persistence.embedded.EmbeddedCassandra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The development cluster of the README's run command: an embedded Cassandra (from the Maven artifact,
 * data kept under the data directory so a restart finds everything again) and one OS process per node,
 * every region a Pekko data center with its own S3 endpoint and its own keyspace, all on loopback.
 * Children die with this process (their stdin is our pipe); Ctrl-C stops nodes first, then Cassandra.
 */
public final class LocalCluster {

  public record Options(List<String> regions, int nodesPerRegion, Path dataDir, int s3BasePort, int clusterBasePort,
      int managementBasePort, String cassandra, int cassandraPort, String nodeHeap, boolean cassandraPerRegion,
      int cassandraStoragePort, int cassandraJmxPort) {

    public static Options parse(String[] args) {
      Map<String, String> o = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (!a.startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("bad option: " + a + "\n" + USAGE);
        o.put(a.substring(2), args[++i]);
      }
      return new Options(
          List.of(o.getOrDefault("regions", "us-east-1,us-west-2").split(",")),
          Integer.parseInt(o.getOrDefault("nodes-per-region", "1")),
          Path.of(o.getOrDefault("data-dir", "data")).toAbsolutePath(),
          Integer.parseInt(o.getOrDefault("s3-port", "9001")),
          Integer.parseInt(o.getOrDefault("cluster-port", "25521")),
          Integer.parseInt(o.getOrDefault("management-port", "8559")),
          o.getOrDefault("cassandra", "embedded"),
          Integer.parseInt(o.getOrDefault("cassandra-port", "9042")),
          o.getOrDefault("node-heap", "512m"),
          Boolean.parseBoolean(o.getOrDefault("cassandra-per-region", "false")),
          Integer.parseInt(o.getOrDefault("cassandra-storage-port", "7000")),
          Integer.parseInt(o.getOrDefault("cassandra-jmx-port", "7200")));
    }
  }

  static final String USAGE = """
      usage: bin/meridian [--regions us-east-1,us-west-2] [--nodes-per-region 1] [--data-dir data]
                          [--s3-port 9001] [--cluster-port 25521] [--management-port 8559]
                          [--cassandra embedded|host:port] [--cassandra-port 9042] [--node-heap 512m]
                          [--cassandra-per-region true]   (one Cassandra per region, a multi-DC ring on
                                                           127.0.0.1, 127.0.0.2, ...)
                          [--cassandra-storage-port 7000] [--cassandra-jmx-port 7200] (per-region ring:
                                                           gossip port, first JMX port)""";

  private final Options options;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<EmbeddedCassandra> cassandras = new ArrayList<>();

  LocalCluster(Options options) {
    this.options = options;
  }

  /** The nodes of a cluster: nodes-per-region rounds over the regions, ports counting up from the bases. */
  public static List<NodeProcess.Spec> plan(Options o) {
    List<NodeProcess.Spec> specs = new ArrayList<>();
    int n = 0;
    for (int i = 1; i <= o.nodesPerRegion(); i++) {
      for (String region : o.regions()) {
        specs.add(new NodeProcess.Spec(region, i, o.s3BasePort() + n, o.clusterBasePort() + n, o.managementBasePort() + n));
        n++;
      }
    }
    return specs;
  }

  void run() throws Exception {
    Files.createDirectories(options.dataDir().resolve("logs"));
    List<NodeProcess.Spec> specs = plan(options);
    Map<String, Map<String, String>> envByRegion = startCassandra();
    List<String> seeds = specs.stream().filter(s -> s.index() == 1).map(NodeProcess.Spec::clusterAddress).toList();
    say("starting " + specs.size() + " nodes in " + options.regions().size() + " regions ...");
    for (NodeProcess.Spec spec : specs) {
      nodes.add(NodeProcess.start(spec, options.regions(), seeds, options.nodeHeap(), options.dataDir().resolve("logs"),
          envByRegion.get(spec.region())));
    }
    for (NodeProcess node : nodes) {
      try {
        node.ready(Duration.ofSeconds(240)).get();
      } catch (Exception e) {
        throw new IllegalStateException("node " + node.spec().name() + " did not start; see " + node.log(), e);
      }
    }
    printBanner(specs, envByRegion.values().stream().map(e -> e.get("MERIDIAN_CASSANDRA_CONTACT_POINTS"))
        .distinct().toList());
  }

  /**
   * Starts the Cassandra the nodes use and returns, per region, the environment that points a node at
   * it: one shared node (one keyspace per region), or one node per region on 127.0.0.1, 127.0.0.2, ...
   * forming a multi-DC ring whose data centers are the regions (keyspaces then use
   * NetworkTopologyStrategy: each region's keyspace lives in its own DC, the bucket registry in all).
   */
  private Map<String, Map<String, String>> startCassandra() {
    Map<String, Map<String, String>> env = new LinkedHashMap<>();
    if (!options.cassandra().equals("embedded")) {
      for (String r : options.regions()) env.put(r, Map.of("MERIDIAN_CASSANDRA_CONTACT_POINTS", options.cassandra()));
      return env;
    }
    if (!options.cassandraPerRegion()) {
      say("starting Cassandra (embedded, data in " + options.dataDir().resolve("cassandra") + ") ...");
      EmbeddedCassandra c = start(CassandraSettings.builder(options.dataDir().resolve("cassandra"))
          .nativePort(options.cassandraPort()).shutdownHook(false).build());
      for (String r : options.regions()) env.put(r, Map.of("MERIDIAN_CASSANDRA_CONTACT_POINTS", c.contactPoint()));
      return env;
    }
    String global = options.regions().stream().map(r -> "'" + r + "': 1")
        .collect(java.util.stream.Collectors.joining(", ", "{'class': 'NetworkTopologyStrategy', ", "}"));
    int i = 1;
    for (String region : options.regions()) {
      String address = "127.0.0." + i;
      say("starting Cassandra for " + region + " at " + address + " ...");
      EmbeddedCassandra c = start(CassandraSettings.builder(options.dataDir().resolve("cassandra-" + region))
          .address(address).nativePort(options.cassandraPort()).storagePort(options.cassandraStoragePort())
          .jmxPort(options.cassandraJmxPort() + i).dataCenter(region)
          .seeds(List.of("127.0.0.1:" + options.cassandraStoragePort())).shutdownHook(false).build());
      env.put(region, Map.of(
          "MERIDIAN_CASSANDRA_CONTACT_POINTS", c.contactPoint(),
          "MERIDIAN_CASSANDRA_DC", region,
          "MERIDIAN_REGION_REPLICATION", "{'class': 'NetworkTopologyStrategy', '" + region + "': 1}",
          "MERIDIAN_GLOBAL_REPLICATION", global));
      i++;
    }
    return env;
  }

  private EmbeddedCassandra start(CassandraSettings settings) {
    EmbeddedCassandra c = new EmbeddedCassandra(settings);
    cassandras.add(c);
    return c.start();
  }

  private void printBanner(List<NodeProcess.Spec> specs, List<String> contactPoints) {
    var s3 = dev.meridian.api.ApiSettings.from(NodeConfig.load());
    Map.Entry<String, String> cred = s3.credentials().entrySet().iterator().next();
    StringBuilder b = new StringBuilder("\nMeridian is running.\n\n  S3 endpoints:\n");
    for (NodeProcess.Spec spec : specs) {
      b.append(String.format("    %-12s node %d  http://127.0.0.1:%d   (management http://127.0.0.1:%d)%n",
          spec.region(), spec.index(), spec.s3Port(), spec.managementPort()));
    }
    b.append("\n  Cassandra:   ").append(String.join(", ", contactPoints)).append("\n  Logs:        ").append(options.dataDir().resolve("logs"))
        .append("\n\n  Credentials (override with MERIDIAN_ACCESS_KEY / MERIDIAN_SECRET_KEY):\n")
        .append("    export AWS_ACCESS_KEY_ID=").append(cred.getKey()).append('\n')
        .append("    export AWS_SECRET_ACCESS_KEY=").append(cred.getValue()).append('\n')
        .append("\n  Try:\n    aws --endpoint-url http://127.0.0.1:").append(specs.get(0).s3Port())
        .append(" s3 mb s3://my-bucket --region ").append(specs.get(0).region()).append('\n')
        .append("\nPress Ctrl-C to stop.\n");
    say(b.toString());
  }

  void stop() {
    nodes.parallelStream().forEach(n -> n.stop(Duration.ofSeconds(30)));
    cassandras.forEach(EmbeddedCassandra::stop);
    say("Meridian stopped.");
  }

  private static void say(String s) {
    System.out.println(s);
    System.out.flush();
  }

  public static void main(String[] args) throws Exception {
    LocalCluster cluster = new LocalCluster(Options.parse(args));
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "meridian-stop"));
    try {
      cluster.run();
    } catch (Exception e) {
      System.err.println("Meridian failed to start: " + e.getMessage());
      System.exit(1);
    }
    Thread.sleep(Duration.ofDays(3650).toMillis());
  }
}
