package dev.meridian.server.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.meridian.api.ApiSettings;
import dev.meridian.persistence.testing.CassandraFixture;
import dev.meridian.persistence.testing.FreePorts;
import dev.meridian.server.MeridianNode;
import dev.meridian.server.NodeConfigAccess;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * One real Meridian node in this JVM, started with {@link MeridianNode#start} against the shared test
 * Cassandra ({@link CassandraFixture}) on free loopback ports, with its own keyspaces. {@link #start} returns
 * once the node is an Up cluster member and answers ListBuckets. Clients made here use the AWS SDK's default
 * settings apart from the endpoint, path-style addressing, region and static credentials.
 */
public final class MeridianTestNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MeridianTestNode.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  public final String region;
  public final Config config;
  public final MeridianNode node;
  private final ApiSettings api;
  private final int clusterPort;

  private MeridianTestNode(String region, Config config, MeridianNode node, int clusterPort) {
    this.region = region;
    this.config = config;
    this.node = node;
    this.api = ApiSettings.from(config);
    this.clusterPort = clusterPort;
  }

  /**
   * Starts a node of {@code region} in a cluster of {@code regions}. The region keyspace is derived from
   * {@code keyspacePrefix} (so nodes of different regions with one prefix get different keyspaces);
   * {@code seed} is the node to join, or null to form a new cluster.
   */
  public static MeridianTestNode start(String region, List<String> regions, String keyspacePrefix,
      String globalKeyspace, MeridianTestNode seed) throws Exception {
    int s3Port = FreePorts.freePort();
    int clusterPort = FreePorts.freePort();
    int managementPort = FreePorts.freePort();
    InetSocketAddress cassandra = CassandraFixture.contactPoint();
    String seedAddress = "pekko://meridian@127.0.0.1:" + (seed == null ? clusterPort : seed.clusterPort);
    Map<String, Object> overlay = new HashMap<>();
    overlay.put("meridian.region", region);
    overlay.put("meridian.regions", regions);
    overlay.put("meridian.s3.host", "127.0.0.1");
    overlay.put("meridian.s3.port", s3Port);
    overlay.put("meridian.storage.keyspace-prefix", keyspacePrefix);
    overlay.put("meridian.storage.global-keyspace", globalKeyspace);
    // A stuck ask fails a test in seconds, not in the production 20 s times the SDK's retries.
    overlay.put("meridian.ask-timeout", "10s");
    overlay.put("pekko.remote.artery.canonical.hostname", "127.0.0.1");
    overlay.put("pekko.remote.artery.canonical.port", clusterPort);
    overlay.put("pekko.management.http.hostname", "127.0.0.1");
    overlay.put("pekko.management.http.port", managementPort);
    overlay.put("pekko.cluster.seed-nodes", List.of(seedAddress));
    overlay.put("pekko.cluster.split-brain-resolver.stable-after", "2s");
    // Several nodes share this JVM, and stopping one must not exit it.
    overlay.put("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
    overlay.put("pekko.coordinated-shutdown.exit-jvm", "off");
    overlay.put("pekko.jvm-exit-on-fatal-error", "off"); // a node's fatal error fails tests, not the test JVM
    overlay.put("datastax-java-driver.basic.contact-points",
        List.of(cassandra.getHostString() + ":" + cassandra.getPort()));
    overlay.put("datastax-java-driver.basic.load-balancing-policy.local-datacenter", CassandraFixture.localDatacenter());
    // The overlay goes under application.conf before NodeConfig derives the journal keyspace from it.
    Config base = ConfigFactory.parseMap(overlay).withFallback(ConfigFactory.load()).resolve();
    Config config = NodeConfigAccess.load(base, Map.of());
    long started = System.nanoTime();
    MeridianNode node = MeridianNode.start(config);
    MeridianTestNode test = new MeridianTestNode(region, config, node, clusterPort);
    try {
      test.awaitReady(seed);
    } catch (Exception | AssertionError e) {
      test.close();
      throw e;
    }
    log.info("Meridian test node {} ready at {} in {} ms", region, test.endpoint(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    return test;
  }

  /** Waits (bounded) until this node is Up, seen Up by the seed, and serves ListBuckets. */
  private void awaitReady(MeridianTestNode seed) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Cluster self = Cluster.get(node.system);
    while (self.selfMember().status() != MemberStatus.up()) {
      pause(deadline, "cluster membership Up");
    }
    if (seed != null) {
      Cluster seen = Cluster.get(seed.node.system);
      while (java.util.stream.StreamSupport.stream(seen.state().getMembers().spliterator(), false).noneMatch(m ->
          m.address().equals(self.selfMember().address()) && m.status() == MemberStatus.up())) {
        pause(deadline, "the seed seeing " + region + " Up");
      }
    }
    RuntimeException last = null;
    try (S3Client s3 = client()) {
      while (true) {
        try {
          s3.listBuckets();
          return;
        } catch (RuntimeException e) {
          last = e;
          if (System.nanoTime() > deadline) throw new IllegalStateException("ListBuckets never succeeded", last);
          Thread.sleep(250);
        }
      }
    }
  }

  private static void pause(long deadline, String what) throws InterruptedException {
    if (System.nanoTime() > deadline) throw new IllegalStateException("timed out waiting for " + what);
    Thread.sleep(100);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + node.binding.localAddress().getPort());
  }

  /** The node's Pekko Management endpoint (health checks, /meridian/status, /meridian/replication). */
  public URI managementEndpoint() {
    return URI.create("http://127.0.0.1:" + config.getInt("pekko.management.http.port"));
  }

  /** The node's own entry point to buckets, for tests that drive what the S3 API cannot (replica delivery). */
  public dev.meridian.cluster.BucketService buckets() {
    return node.buckets;
  }

  public String accessKey() {
    return api.credentials().keySet().iterator().next();
  }

  public String secretKey() {
    return api.credentials().get(accessKey());
  }

  public StaticCredentialsProvider credentials() {
    return credentials(accessKey(), secretKey());
  }

  public static StaticCredentialsProvider credentials(String accessKey, String secretKey) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
  }

  /** An SDK client with default settings, signing for us-east-1. The caller closes it. */
  public S3Client client() {
    return client(credentials());
  }

  public S3Client client(StaticCredentialsProvider credentials) {
    return S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(credentials).forcePathStyle(true).build();
  }

  public S3Presigner presigner() {
    return S3Presigner.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
  }

  /** Stops the node (coordinated shutdown: unbind, leave the cluster, terminate), bounded. */
  @Override
  public void close() {
    try {
      node.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("stopping the {} test node failed: {}", region, e.toString());
      node.system.terminate();
    }
  }
}
