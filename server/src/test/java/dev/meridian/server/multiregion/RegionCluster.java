package dev.meridian.server.multiregion;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.persistence.testing.CassandraFixture;
import dev.meridian.server.ClusterStatus;
import dev.meridian.server.LocalCluster;
import dev.meridian.server.NodeProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A Meridian cluster of real node processes on loopback for the multi-region tests: the nodes of
 * {@link LocalCluster#plan} (two regions, two nodes each), every node started with {@link NodeProcess#start}
 * against the shared test Cassandra ({@link CassandraFixture}), with keyspaces of its own. Nodes can be
 * killed and started again with the same spec (same ports, same keyspaces), as a crashed node would be.
 *
 * <p>Clients are cached per node and dropped when the node is killed or started, so no pooled connection
 * to a dead process is ever reused.
 */
final class RegionCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RegionCluster.class);

  static final List<String> REGIONS = List.of("us-east-1", "us-west-2");
  static final String ACCESS_KEY = "AKIAMERIDIANLOCAL001";
  static final String SECRET_KEY = "meridian-local-secret-key-0000000000000";
  static final String HEAP = "384m";
  static final Duration READY = Duration.ofMinutes(5);

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final List<NodeProcess.Spec> specs;
  private final List<String> seeds;
  private final Map<String, String> env;
  private final Path logDir;
  private final Map<String, NodeProcess> running = new ConcurrentHashMap<>();
  /** Nodes that have been READY once: started again, they join the running cluster rather than form one. */
  private final Set<String> launched = ConcurrentHashMap.newKeySet();
  private final Map<String, S3Client> clients = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private RegionCluster(List<NodeProcess.Spec> specs, Map<String, String> env, Path logDir) {
    this.specs = specs;
    this.seeds = specs.stream().filter(s -> s.index() == 1).map(NodeProcess.Spec::clusterAddress).toList();
    this.env = env;
    this.logDir = logDir;
  }

  /** Plans the cluster on free ports, starts every node in parallel and waits until all serve S3. */
  static RegionCluster start(String keyspacePrefix, Path logDir) throws Exception {
    int nodes = REGIONS.size() * 2;
    List<Integer> bases = freeBases(3, nodes);
    List<NodeProcess.Spec> specs = LocalCluster.plan(LocalCluster.Options.parse(new String[] {
        "--regions", String.join(",", REGIONS), "--nodes-per-region", "2",
        "--s3-port", bases.get(0).toString(), "--cluster-port", bases.get(1).toString(),
        "--management-port", bases.get(2).toString()}));
    InetSocketAddress cassandra = CassandraFixture.contactPoint();
    Map<String, String> env = Map.of(
        "MERIDIAN_CASSANDRA_CONTACT_POINTS", cassandra.getHostString() + ":" + cassandra.getPort(),
        "MERIDIAN_CASSANDRA_DC", CassandraFixture.localDatacenter(),
        "MERIDIAN_KEYSPACE_PREFIX", keyspacePrefix,
        "MERIDIAN_GLOBAL_KEYSPACE", keyspacePrefix + "_global",
        "MERIDIAN_SBR_STABLE_AFTER", "5s");
    Files.createDirectories(logDir);
    try (Stream<Path> old = Files.list(logDir)) {
      old.filter(p -> p.toString().endsWith(".log")).forEach(p -> p.toFile().delete());
    }
    RegionCluster cluster = new RegionCluster(specs, env, logDir);
    try {
      cluster.start(specs);
      for (NodeProcess.Spec s : specs) cluster.awaitStatus(s, "every node Up and reachable", RegionCluster::allUp, READY);
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /**
   * Starts the given nodes (again) in parallel with their specs, waits for their READY lines and until each
   * answers ListBuckets.
   */
  void start(List<NodeProcess.Spec> which) throws Exception {
    long t0 = System.nanoTime();
    List<CompletableFuture<String>> ready = new ArrayList<>();
    for (NodeProcess.Spec s : which) {
      dropClients(s);
      List<String> seedList = launched.contains(s.name()) ? NodeProcess.rejoining(seeds, s.clusterAddress()) : seeds;
      NodeProcess p = NodeProcess.start(s, REGIONS, seedList, HEAP, logDir, env);
      running.put(s.name(), p);
      ready.add(p.ready(READY));
    }
    for (int i = 0; i < which.size(); i++) {
      try {
        ready.get(i).get();
        launched.add(which.get(i).name());
      } catch (Exception e) {
        throw new IllegalStateException("node " + which.get(i).name() + " did not start; see "
            + running.get(which.get(i).name()).log(), e);
      }
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    for (NodeProcess.Spec s : which) {
      RuntimeException last = null;
      while (true) {
        try {
          strict(s).listBuckets();
          break;
        } catch (RuntimeException e) {
          last = e;
          if (System.nanoTime() > deadline) throw new IllegalStateException("ListBuckets never worked on " + s.name(), last);
          Thread.sleep(250);
        }
      }
    }
    log.info("nodes {} serve S3 after {} ms", which.stream().map(NodeProcess.Spec::name).toList(),
        (System.nanoTime() - t0) / 1_000_000);
  }

  /** SIGKILL: the node dies without leaving the cluster. */
  void kill(NodeProcess.Spec s) {
    dropClients(s);
    NodeProcess p = running.remove(s.name());
    if (p != null) p.kill();
  }

  List<NodeProcess.Spec> specs() {
    return specs;
  }

  NodeProcess.Spec spec(String region, int index) {
    return specs.stream().filter(s -> s.region().equals(region) && s.index() == index).findFirst().orElseThrow();
  }

  static URI endpoint(NodeProcess.Spec s) {
    return URI.create("http://127.0.0.1:" + s.s3Port());
  }

  /** The root credentials of the cluster's nodes. */
  StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
  }

  /** A client with the SDK's default retries (transient errors are retried); for set-up and read-back. */
  S3Client s3(NodeProcess.Spec s) {
    return clients.computeIfAbsent(s.name() + "/retrying", k -> client(s, true, Duration.ofMinutes(2)));
  }

  /** A client that never retries: every error the node answers reaches the test. */
  S3Client strict(NodeProcess.Spec s) {
    return clients.computeIfAbsent(s.name() + "/strict", k -> client(s, false, Duration.ofSeconds(30)));
  }

  private static S3Client client(NodeProcess.Spec s, boolean retries, Duration callTimeout) {
    return S3Client.builder().endpointOverride(endpoint(s)).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .overrideConfiguration(c -> {
          c.apiCallTimeout(callTimeout);
          if (!retries) c.retryStrategy(AwsRetryStrategy.doNotRetry());
        })
        .build();
  }

  private void dropClients(NodeProcess.Spec s) {
    for (String k : List.of(s.name() + "/retrying", s.name() + "/strict")) {
      S3Client c = clients.remove(k);
      if (c != null) c.close();
    }
  }

  /** {@code GET /meridian/status} on the node's management port. */
  ClusterStatus.Status status(NodeProcess.Spec s) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + s.managementPort() + "/meridian/status"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IOException("status " + r.statusCode() + ": " + r.body());
    return JSON.readValue(r.body(), ClusterStatus.Status.class);
  }

  /** Polls the node's status until {@code condition} holds; fails with the last status seen after {@code within}. */
  ClusterStatus.Status awaitStatus(NodeProcess.Spec s, String what, Predicate<ClusterStatus.Status> condition,
      Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    Object last = null;
    while (System.nanoTime() < deadline) {
      try {
        ClusterStatus.Status st = status(s);
        if (condition.test(st)) return st;
        last = st;
      } catch (IOException e) {
        last = e;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(s.name() + " never showed " + what + " within " + within + "; last: " + last);
  }

  /** Every region's nodes as "Up" and reachable, two per region. */
  static boolean allUp(ClusterStatus.Status st) {
    return st.regions().stream().allMatch(r -> r.nodes().size() == 2
        && r.nodes().stream().allMatch(n -> n.status().equals("Up") && n.reachable()));
  }

  /** Nodes of {@code region} in the status. */
  static List<ClusterStatus.Node> nodesOf(ClusterStatus.Status st, String region) {
    return st.regions().stream().filter(r -> r.name().equals(region)).flatMap(r -> r.nodes().stream()).toList();
  }

  /** SIGTERM every node (bounded), SIGKILL what remains. */
  @Override
  public void close() {
    running.values().parallelStream().forEach(p -> p.stop(Duration.ofSeconds(20)));
    running.clear();
    clients.values().forEach(S3Client::close);
    clients.clear();
  }

  /**
   * {@code count} base ports, each followed by {@code width - 1} free ports, none overlapping. Chosen below
   * the kernel's ephemeral range (32768 and up), so that no outgoing connection can take a port of a node
   * that is down between a kill and its restart; and away from the run command's defaults (25520-25530).
   */
  static List<Integer> freeBases(int count, int width) {
    Set<Integer> taken = new HashSet<>();
    List<Integer> bases = new ArrayList<>();
    for (int attempt = 0; attempt < 500 && bases.size() < count; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 32_000);
      boolean ok = base + width < 25_500 || base > 25_600;
      for (int p = base; ok && p < base + width; p++) ok = !taken.contains(p) && free(p);
      if (!ok) continue;
      for (int p = base; p < base + width; p++) taken.add(p);
      bases.add(base);
    }
    if (bases.size() < count) throw new IllegalStateException("no free port ranges found");
    return bases;
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
