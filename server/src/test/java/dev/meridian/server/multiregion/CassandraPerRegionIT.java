package dev.meridian.server.multiregion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.server.LocalCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The run command with three regions, each on its own Cassandra process (a three-data-center ring on
 * 127.0.0.1-3, one node per region): global bucket names across Cassandra data centers, every endpoint
 * serving every region's buckets, cross-region replication, and what a region's storage outage does:
 * with one of three Cassandra data centers down a name can still be claimed (a majority of the
 * registry's replicas answers); with two down, CreateBucket answers 503 everywhere, and the healthy
 * region keeps serving its own buckets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CassandraPerRegionIT {

  private static final Logger log = LoggerFactory.getLogger(CassandraPerRegionIT.class);
  private static final List<String> REGIONS = List.of("us-east-1", "us-west-2", "eu-west-1");

  private Path dataDir;
  private Process cluster;
  private final List<S3Client> clients = new ArrayList<>();
  private final List<S3Client> strictClients = new ArrayList<>();
  private int s3Base;

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("meridian-cassandra-per-region");
    // Every port below the ephemeral range (freeBases): the third Cassandra binds its ports half a
    // minute after they are picked, while the first two open outgoing connections from ephemeral ports.
    List<Integer> bases = RegionCluster.freeBases(6, REGIONS.size());
    s3Base = bases.get(0);
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), LocalCluster.class.getName(),
        "--regions", String.join(",", REGIONS), "--nodes-per-region", "1", "--cassandra-per-region", "true",
        "--data-dir", dataDir.toString(), "--node-heap", "384m",
        "--s3-port", bases.get(0).toString(), "--cluster-port", bases.get(1).toString(),
        "--management-port", bases.get(2).toString(),
        "--cassandra-port", bases.get(3).toString(), "--cassandra-storage-port", bases.get(4).toString(),
        "--cassandra-jmx-port", bases.get(5).toString())); // JMX: one port per region, counting up
    Path out = dataDir.resolve("run.log");
    cluster = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(8));
    while (!Files.readString(out).contains("Meridian is running.")) {
      if (!cluster.isAlive()) throw new IllegalStateException("the run command exited; its last lines:\n" + tail(out));
      if (Instant.now().isAfter(deadline)) throw new IllegalStateException("not running in time; its last lines:\n" + tail(out));
      Thread.sleep(1000);
    }
    log.info("three regions on three Cassandra data centers running:\n{}", Files.readString(out));
    for (int i = 0; i < REGIONS.size(); i++) {
      int port = s3Base + i;
      // The SDK's default retries, as a client has them: a Paxos round over three data centers on a busy
      // machine may time out once (503) and succeed when retried. The outage checks use strict clients.
      clients.add(client(port, true));
      strictClients.add(client(port, false));
    }
  }

  /** The last lines of the run command's output (its whole output is kept under target/ by stop()). */
  private static String tail(Path out) throws IOException {
    List<String> lines = Files.readAllLines(out);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  private static S3Client client(int port, boolean retries) {
    return S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
        .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(RegionCluster.ACCESS_KEY, RegionCluster.SECRET_KEY)))
        .overrideConfiguration(o -> {
          o.apiCallTimeout(Duration.ofSeconds(60));
          if (!retries) o.retryStrategy(AwsRetryStrategy.doNotRetry());
        })
        .build();
  }

  @AfterAll
  void stop() throws Exception {
    clients.forEach(S3Client::close);
    strictClients.forEach(S3Client::close);
    if (cluster != null) {
      cluster.destroy(); // SIGTERM: the run command stops its nodes, then its Cassandras
      if (!cluster.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)) {
        cluster.descendants().forEach(ProcessHandle::destroyForcibly);
        cluster.destroyForcibly();
      }
    }
    if (dataDir != null) {
      // Keep the run command's output and the node logs for a failed run; drop the Cassandra data.
      Path keep = Path.of(System.getProperty("basedir", ".")).resolve("target/cassandra-per-region-logs");
      Files.createDirectories(keep);
      try (Stream<Path> logs = Files.list(dataDir.resolve("logs"))) {
        for (Path log : logs.toList()) Files.copy(log, keep.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        log.warn("could not keep the node logs: {}", e.toString());
      }
      Files.copy(dataDir.resolve("run.log"), keep.resolve("run.log"), StandardCopyOption.REPLACE_EXISTING);
      try (Stream<Path> all = Files.walk(dataDir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private S3Client via(String region) {
    return clients.get(REGIONS.indexOf(region));
  }

  private S3Client strict(String region) {
    return strictClients.get(REGIONS.indexOf(region));
  }

  @Test
  @Order(1)
  void namesAreGlobalAcrossCassandraDataCentersAndEveryEndpointServesEveryRegion() throws Exception {
    for (String home : REGIONS) {
      String bucket = "own-" + home;
      via("us-east-1").createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(home)));
      via(home).putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("in " + home));
    }
    for (String through : REGIONS) {
      for (String home : REGIONS) {
        assertEquals("in " + home, via(through).getObjectAsBytes(b -> b.bucket("own-" + home).key("k")).asUtf8String(),
            home + " bucket through " + through);
      }
      S3Exception taken = assertThrows(S3Exception.class, () -> via(through).createBucket(b -> b.bucket("own-eu-west-1")
          .createBucketConfiguration(c -> c.locationConstraint("us-west-2"))));
      assertEquals(409, taken.statusCode());
    }

    // Cross-region replication between two Cassandra data centers, with the role it names.
    try (var iam = dev.meridian.server.testing.TestIam.client(URI.create("http://127.0.0.1:" + s3Base),
        StaticCredentialsProvider.create(AwsBasicCredentials.create(RegionCluster.ACCESS_KEY, RegionCluster.SECRET_KEY)))) {
      dev.meridian.server.testing.TestIam.permissiveReplicationRole(iam);
    }
    for (String bucket : List.of("own-us-east-1", "own-eu-west-1")) {
      via("us-east-1").putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }
    via("us-east-1").putBucketReplication(b -> b.bucket("own-us-east-1").replicationConfiguration(c -> c
        .role(dev.meridian.server.testing.TestIam.REPLICATION_ROLE_ARN)
        .rules(r -> r.id("eu").priority(1).status("Enabled").filter(f -> f.prefix(""))
            .deleteMarkerReplication(d -> d.status("Disabled")).destination(d -> d.bucket("arn:aws:s3:::own-eu-west-1")))));
    String v = via("us-east-1").putObject(b -> b.bucket("own-us-east-1").key("replicated"), RequestBody.fromString("r")).versionId();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (!"COMPLETED".equals(via("us-east-1").headObject(b -> b.bucket("own-us-east-1").key("replicated")).replicationStatusAsString())) {
      assertTrue(Instant.now().isBefore(deadline), "replicated to eu-west-1 within 90 s");
      Thread.sleep(500);
    }
    assertEquals(v, via("eu-west-1").headObject(b -> b.bucket("own-eu-west-1").key("replicated")).versionId());
  }

  @Test
  @Order(2)
  void bucketNamesNeedAMajorityOfCassandraDataCenters() throws Exception {
    killCassandraOf("eu-west-1");
    // Two of three registry replicas answer: names can still be claimed, in the healthy regions.
    awaitCreated(via("us-east-1"), "created-with-two-of-three", "us-west-2");
    retrying503(() -> via("us-east-1").putObject(b -> b.bucket("own-us-east-1").key("during"), RequestBody.fromString("ok")));

    killCassandraOf("us-west-2");
    // One of three: no quorum for the name registry. CreateBucket is refused, promptly, everywhere.
    Instant t0 = Instant.now();
    S3Exception refused = assertThrows(S3Exception.class, () -> strict("us-east-1").createBucket(b -> b.bucket("no-quorum")));
    assertEquals(503, refused.statusCode(), refused.toString());
    assertTrue(Duration.between(t0, Instant.now()).toSeconds() < 30, "answered within the request timeout");
    // The region whose Cassandra is up keeps serving its own buckets (its driver may need a moment to
    // settle after two data centers vanished: retryable 503s, never a 500).
    assertEquals("in us-east-1", retrying503(() ->
        via("us-east-1").getObjectAsBytes(b -> b.bucket("own-us-east-1").key("k")).asUtf8String()));
    retrying503(() -> via("us-east-1").putObject(b -> b.bucket("own-us-east-1").key("still"), RequestBody.fromString("writable")));
    assertEquals("writable", retrying503(() ->
        via("us-east-1").getObjectAsBytes(b -> b.bucket("own-us-east-1").key("still")).asUtf8String()));
  }

  /** Runs {@code call} again while it answers 503 (bounded); any other error fails the test. */
  private static <T> T retrying503(java.util.function.Supplier<T> call) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      try {
        return call.get();
      } catch (S3Exception e) {
        if (e.statusCode() != 503 || Instant.now().isAfter(deadline)) throw e;
        Thread.sleep(1000);
      }
    }
  }

  /** The first attempt may meet the driver still routing to the dead data center: retry briefly. */
  private static void awaitCreated(S3Client s3, String bucket, String region) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      try {
        s3.createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(region)));
        return;
      } catch (S3Exception e) {
        if (e.statusCode() != 503 || Instant.now().isAfter(deadline)) throw e;
        Thread.sleep(1000);
      }
    }
  }

  /** SIGKILL of the Cassandra process of a region (a child of the run command, found by its data dir). */
  private void killCassandraOf(String region) throws IOException {
    String marker = dataDir.resolve("cassandra-" + region).toString();
    List<ProcessHandle> hit = cluster.descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains("-Dcassandra.storagedir=" + marker)).orElse(false))
        .toList();
    assertEquals(1, hit.size(), "one Cassandra process for " + region + ": " + hit);
    String commandLine = hit.get(0).info().commandLine().orElse("?");
    hit.get(0).destroyForcibly();
    log.info("killed the Cassandra of {} (pid {}): {}", region, hit.get(0).pid(), commandLine);
  }
}
