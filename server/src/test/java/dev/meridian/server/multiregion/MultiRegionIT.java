package dev.meridian.server.multiregion;

import static dev.meridian.server.multiregion.S3Checks.PARTITIONS;
import static dev.meridian.server.multiregion.S3Checks.assertReadable;
import static dev.meridian.server.multiregion.S3Checks.createBucket;
import static dev.meridian.server.multiregion.S3Checks.describe;
import static dev.meridian.server.multiregion.S3Checks.eventually;
import static dev.meridian.server.multiregion.S3Checks.keyIn;
import static dev.meridian.server.multiregion.S3Checks.location;
import static dev.meridian.server.multiregion.S3Checks.ms;
import static dev.meridian.server.multiregion.S3Checks.multipart;
import static dev.meridian.server.multiregion.S3Checks.put;
import static dev.meridian.server.multiregion.S3Checks.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.persistence.testing.CassandraFixture;
import dev.meridian.server.ClusterStatus;
import dev.meridian.server.NodeProcess;
import dev.meridian.server.multiregion.S3Checks.Stored;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The multi-region behaviour a client sees, against a real cluster of two regions (us-east-1, us-west-2)
 * with two node processes each ({@link RegionCluster}): global bucket names homed in one region, every object
 * readable identically through every node, no acknowledged write lost when a node is SIGKILLed, and a
 * region outage that leaves the other region serving while requests for the lost region fail fast.
 *
 * <p>The scenarios run in order on one cluster; later ones rely on the nodes the earlier ones restarted.
 */
@ExtendWith(CassandraFixture.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiRegionIT {

  private static final Logger log = LoggerFactory.getLogger(MultiRegionIT.class);
  private static final String EAST = "us-east-1";
  private static final String WEST = "us-west-2";
  private static final int MIB = 1024 * 1024;

  private final String run = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
  private RegionCluster cluster;
  private NodeProcess.Spec east1, east2, west1, west2;
  private List<NodeProcess.Spec> all;
  /** Everything acknowledged in us-west-2 buckets: must be readable again after the region's outage. */
  private final List<Stored> westObjects = new CopyOnWriteArrayList<>();

  @BeforeAll
  void startCluster() throws Exception {
    long t0 = System.nanoTime();
    cluster = RegionCluster.start("mr" + run,
        Path.of(System.getProperty("basedir", ".")).resolve("target/multiregion-logs"));
    east1 = cluster.spec(EAST, 1);
    east2 = cluster.spec(EAST, 2);
    west1 = cluster.spec(WEST, 1);
    west2 = cluster.spec(WEST, 2);
    all = cluster.specs();
    log.info("4 nodes up and serving in {} ms: {}", ms(t0), all);
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) cluster.close();
  }

  @Test
  @Order(1)
  void bucketNamesAreGlobalAndEveryEndpointKnowsTheHome() {
    Map<String, String> homes = new LinkedHashMap<>();
    for (NodeProcess.Spec via : List.of(east1, west1)) {
      for (String home : RegionCluster.REGIONS) {
        String bucket = name("s1-" + home + "-via-" + via.region());
        createBucket(cluster.s3(via), bucket, home);
        homes.put(bucket, home);
      }
    }
    for (NodeProcess.Spec via : all) {
      homes.forEach((bucket, home) -> assertEquals(home, location(cluster.s3(via), bucket),
          "GetBucketLocation " + bucket + " via " + via.name()));
      List<String> listed = cluster.s3(via).listBuckets().buckets().stream().map(b -> b.name()).toList();
      assertTrue(listed.containsAll(homes.keySet()), "ListBuckets via " + via.name() + ": " + listed);
    }
    // The name is taken in every region: claiming it again through the other region's endpoint, there.
    homes.forEach((bucket, home) -> {
      NodeProcess.Spec via = cluster.spec(other(home), 2);
      S3Exception e = assertThrows(S3Exception.class, () -> createBucket(cluster.strict(via), bucket, other(home)));
      assertEquals(409, e.statusCode(), bucket + " via " + via.name());
      assertEquals("BucketAlreadyOwnedByYou", e.awsErrorDetails().errorCode());
      assertEquals(home, location(cluster.s3(via), bucket));
    });
    // Once deleted, the name can be claimed in the other region.
    homes.forEach((bucket, home) -> {
      if (!bucket.contains("via-" + EAST)) return;
      cluster.strict(cluster.spec(home, 2)).deleteBucket(b -> b.bucket(bucket));
      NodeProcess.Spec via = cluster.spec(other(home), 1);
      createBucket(cluster.strict(via), bucket, other(home));
      assertEquals(other(home), location(cluster.strict(via), bucket), bucket + " recreated via " + via.name());
    });
  }

  /**
   * After DeleteBucket and a CreateBucket of the same name in the other region, every endpoint answers the
   * new home at once, also those that looked the bucket up shortly before.
   */
  @Test
  @Order(2)
  void aBucketRecreatedInTheOtherRegionIsSeenThereThroughEveryEndpoint() {
    String bucket = name("s1-moved");
    createBucket(cluster.s3(east1), bucket, EAST);
    for (NodeProcess.Spec via : all) assertEquals(EAST, location(cluster.s3(via), bucket), "before, via " + via.name());
    cluster.strict(east2).deleteBucket(b -> b.bucket(bucket));
    createBucket(cluster.strict(west1), bucket, WEST);
    for (NodeProcess.Spec via : all) {
      assertEquals(WEST, location(cluster.strict(via), bucket), "GetBucketLocation after the move, via " + via.name());
      Stored s = put(cluster.strict(via), bucket, "after-move-" + via.name(), random(100));
      assertReadable(cluster.strict(via), s, false, via);
    }
  }

  @Test
  @Order(3)
  void everyObjectReadsTheSameThroughEveryNode() {
    long t0 = System.nanoTime();
    for (String home : RegionCluster.REGIONS) {
      String bucket = name("s2-" + home);
      NodeProcess.Spec writer = cluster.spec(other(home), 2); // a node of the other region
      S3Client s3 = cluster.s3(writer);
      createBucket(s3, bucket, home);
      s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
      Stored v1 = put(s3, bucket, "small.txt", random(1_000));
      Stored v2 = put(s3, bucket, "small.txt", random(70_000));
      Stored big = multipart(s3, bucket, "big.bin", random(12 * MIB), 5 * MIB);
      assertNotNull(v1.versionId());
      assertNotNull(big.versionId());
      assertNotEquals(v1.versionId(), v2.versionId());
      assertTrue(big.etag().endsWith("-3\""), "multipart ETag " + big.etag());
      for (NodeProcess.Spec via : all) {
        S3Client c = cluster.s3(via);
        for (Stored s : List.of(v2, big)) {
          assertReadable(c, s, false, via);
          HeadObjectResponse h = c.headObject(b -> b.bucket(bucket).key(s.key()));
          assertEquals(s.etag(), h.eTag(), "HEAD " + s.key() + " via " + via.name());
          assertEquals(s.versionId(), h.versionId(), "HEAD " + s.key() + " via " + via.name());
          assertEquals(s.bytes().length, h.contentLength(), "HEAD " + s.key() + " via " + via.name());
        }
        assertReadable(c, v1, true, via);
        Map<String, S3Object> listed = c.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
            .collect(Collectors.toMap(S3Object::key, o -> o));
        assertEquals(List.of("big.bin", "small.txt"), listed.keySet().stream().sorted().toList(), "via " + via.name());
        for (Stored s : List.of(v2, big)) {
          assertEquals(s.etag(), listed.get(s.key()).eTag(), "listed " + s.key() + " via " + via.name());
          assertEquals(s.bytes().length, listed.get(s.key()).size(), "listed " + s.key() + " via " + via.name());
        }
      }
      if (home.equals(WEST)) westObjects.addAll(List.of(v1, v2, big));
    }
    log.info("scenario 2 (objects through every node) took {} ms", ms(t0));
  }

  @Test
  @Order(4)
  void noAcknowledgedWriteIsLostWhenANodeIsKilled() throws Exception {
    String eastBucket = name("s3-east");
    String westBucket = name("s3-west");
    createBucket(cluster.s3(east1), eastBucket, EAST);
    createBucket(cluster.s3(west1), westBucket, WEST);
    // Touch every partition so that the bucket's entities are spread over both us-east-1 nodes.
    for (int p = 0; p < PARTITIONS; p++) put(cluster.s3(east1), eastBucket, keyIn(p, "warm"), random(10));

    List<NodeProcess.Spec> writers = List.of(east1, west1, west2);
    Queue<Stored> acked = new ConcurrentLinkedQueue<>();
    Queue<String> failed = new ConcurrentLinkedQueue<>();
    CountDownLatch warmedUp = new CountDownLatch(writers.size() * 3);
    ExecutorService pool = Executors.newFixedThreadPool(writers.size());
    long writeDeadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
    for (NodeProcess.Spec via : writers) {
      pool.submit(() -> {
        for (int i = 0; i < 20 && System.nanoTime() < writeDeadline; i++) {
          String bucket = i % 3 == 2 ? westBucket : eastBucket;
          String key = "crash/" + via.name() + "/" + i;
          try {
            acked.add(put(cluster.strict(via), bucket, key, random(1 + ThreadLocalRandom.current().nextInt(32 * 1024))));
          } catch (SdkException e) {
            failed.add(via.name() + " " + bucket + "/" + key + ": " + describe(e));
          }
          warmedUp.countDown();
          Thread.sleep(200);
        }
        return null;
      });
    }
    assertTrue(warmedUp.await(60, TimeUnit.SECONDS), "the writers never got going");
    // The launchers' SBR (keep-oldest, down if alone) keeps the survivor of either node serving; node 2 is
    // crashed so that node 1, the first seed, stays to be asked.
    long killedAt = System.nanoTime();
    cluster.kill(east2);
    log.info("killed {} after {} acknowledged / {} failed writes", east2.name(), acked.size(), failed.size());

    // Writes to the us-east-1 bucket work again through the survivor, on every partition, within 90 s.
    List<Integer> pending = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) pending.add(p);
    long deadline = killedAt + Duration.ofSeconds(90).toNanos();
    String lastError = null;
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      for (Integer p : List.copyOf(pending)) {
        try {
          acked.add(put(cluster.strict(east1), eastBucket, keyIn(p, "probe"), random(100)));
          pending.remove(p);
        } catch (SdkException e) {
          lastError = describe(e);
        }
      }
      if (!pending.isEmpty()) Thread.sleep(500);
    }
    long recoveredMs = ms(killedAt);
    assertTrue(pending.isEmpty(), "partitions " + pending + " of " + eastBucket + " still not writable through "
        + east1.name() + " " + recoveredMs + " ms after the kill; last error: " + lastError);
    log.info("us-east-1 writable again through {} {} ms after the kill", east1.name(), recoveredMs);

    pool.shutdown();
    assertTrue(pool.awaitTermination(180, TimeUnit.SECONDS), "writers did not finish");
    log.info("crash writes: {} acknowledged, {} failed: {}", acked.size(), failed.size(), failed);
    for (Stored s : acked) {
      for (NodeProcess.Spec via : writers) assertReadable(cluster.s3(via), s, false, via);
      if (s.bucket().equals(westBucket)) westObjects.add(s);
    }

    // The crashed node comes back with the same address and rejoins.
    long restartAt = System.nanoTime();
    cluster.start(List.of(east2));
    for (NodeProcess.Spec via : List.of(east2, east1)) {
      cluster.awaitStatus(via, "4 Up nodes", RegionCluster::allUp, Duration.ofSeconds(90));
    }
    log.info("{} rejoined in {} ms", east2.name(), ms(restartAt));
    for (Stored s : acked) eventually(Duration.ofSeconds(30), () -> assertReadable(cluster.s3(east2), s, false, east2));
  }

  @Test
  @Order(5)
  void aRegionOutageLeavesTheOtherRegionServingAndFailsFast() throws Exception {
    assertTrue(westObjects.size() > 3, "earlier scenarios left objects in us-west-2 buckets");
    Stored westSample = westObjects.get(0);
    String eastBucket = name("s4-east");
    createBucket(cluster.s3(east1), eastBucket, EAST);

    long killedAt = System.nanoTime();
    cluster.kill(west1);
    cluster.kill(west2);
    ExecutorService traffic = Executors.newSingleThreadExecutor();
    Future<List<String>> eastErrors = traffic.submit(() -> eastTraffic(eastBucket, Duration.ofSeconds(20)));

    for (NodeProcess.Spec via : List.of(east1, east2)) {
      ClusterStatus.Status st = cluster.awaitStatus(via, "us-west-2 unreachable", s ->
          RegionCluster.nodesOf(s, WEST).size() == 2 && RegionCluster.nodesOf(s, WEST).stream().noneMatch(n -> n.reachable())
              && RegionCluster.nodesOf(s, EAST).stream().allMatch(n -> n.reachable()), Duration.ofSeconds(30));
      log.info("{} sees us-west-2 unreachable {} ms after the kill: {}", via.name(), ms(killedAt), st.regions());
    }
    String bucket = westSample.bucket();
    for (NodeProcess.Spec via : List.of(east1, east2)) {
      for (int round = 0; round < 2; round++) {
        S3Client c = cluster.strict(via);
        assertPrompt503(via, "GetObject", false, () -> c.getObjectAsBytes(b -> b.bucket(bucket).key(westSample.key())));
        assertPrompt503(via, "HeadObject", true, () -> c.headObject(b -> b.bucket(bucket).key(westSample.key())));
        assertPrompt503(via, "PutObject", false, () -> c.putObject(b -> b.bucket(bucket).key("during-outage"),
            RequestBody.fromBytes(random(100))));
        assertPrompt503(via, "ListObjectsV2", false, () -> c.listObjectsV2(b -> b.bucket(bucket)));
        assertPrompt503(via, "GetBucketLocation", false, () -> c.getBucketLocation(b -> b.bucket(bucket)));
        assertPrompt503(via, "HeadBucket", true, () -> c.headBucket(b -> b.bucket(bucket)));
      }
    }
    assertEquals(List.of(), eastErrors.get(60, TimeUnit.SECONDS), "errors on us-east-1 buckets during the outage");
    traffic.shutdown();

    // Bucket creation during the outage (one shared Cassandra here, so the name registry is up): a bucket
    // homed in the healthy region is created, one homed in the unreachable region is refused with 503
    // and its name stays free.
    String duringOutage = name("s4-created-during");
    createBucket(cluster.strict(east2), duringOutage, EAST);
    assertEquals(EAST, location(cluster.strict(east1), duringOutage));
    String westDuringOutage = name("s4-west-during");
    assertPrompt503(east1, "CreateBucket", false, () -> createBucket(cluster.strict(east1), westDuringOutage, WEST));
    S3Exception missing = assertThrows(S3Exception.class, () -> cluster.strict(east1).headBucket(b -> b.bucket(westDuringOutage)));
    assertEquals(404, missing.statusCode(), "a refused creation leaves no bucket behind");

    long restartAt = System.nanoTime();
    cluster.start(List.of(west1, west2));
    for (NodeProcess.Spec via : all) cluster.awaitStatus(via, "4 Up nodes", RegionCluster::allUp, Duration.ofSeconds(90));
    log.info("us-west-2 rejoined in {} ms", ms(restartAt));
    for (NodeProcess.Spec via : all) {
      for (Stored s : westObjects) {
        eventually(Duration.ofSeconds(60), () -> assertReadable(cluster.s3(via), s, s.versionId() != null, via));
      }
      assertEquals(WEST, location(cluster.strict(via), bucket), "via " + via.name());
    }
  }

  /**
   * A PUT through a us-west-2 node into a us-east-1 bucket streams its bytes to the region gateway of a
   * us-east-1 node. When that node has just crashed (and is not yet seen as unreachable), the request must
   * still be answered within the ask timeout (20 s): stored through the other gateway, or 503.
   */
  @Test
  @Order(6)
  void crossRegionPutsAreAnsweredWhenTheirGatewayNodeHasJustCrashed() throws Exception {
    List<String> buckets = new ArrayList<>();
    for (int b = 0; b < 8; b++) { // several buckets, so that some have their entities on the surviving node
      String bucket = name("s5-" + b);
      createBucket(cluster.s3(east1), bucket, EAST);
      put(cluster.s3(west1), bucket, "warm", random(10));
      buckets.add(bucket);
    }
    cluster.kill(east2);
    try {
      // All at once, while the crashed node is not yet seen unreachable: each picks one of two gateways.
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<String>> outcomes = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        NodeProcess.Spec via = i % 2 == 0 ? west1 : west2;
        String bucket = buckets.get(i % buckets.size());
        String key = "gateway-crash/" + i;
        outcomes.add(pool.submit(() -> {
          long t0 = System.nanoTime();
          String outcome;
          try {
            put(cluster.strict(via), bucket, key, random(64 * 1024));
            outcome = "ok";
          } catch (SdkException e) {
            outcome = describe(e);
          }
          return String.format("%6d ms %s %s/%s: %s", ms(t0), via.name(), bucket, key, outcome);
        }));
      }
      List<String> results = new ArrayList<>();
      for (Future<String> f : outcomes) results.add(f.get(60, TimeUnit.SECONDS));
      pool.shutdown();
      log.info("PUTs right after {} crashed:\n{}", east2.name(), String.join("\n", results));
      List<String> slow = results.stream().filter(r -> Long.parseLong(r.substring(0, 6).trim()) > 25_000).toList();
      assertEquals(List.of(), slow, "PUTs not answered within 25 s");
    } finally {
      cluster.start(List.of(east2));
    }
  }

  /** PUT then GET (through the other us-east-1 node) of fresh keys for {@code length}; the errors seen. */
  private List<String> eastTraffic(String bucket, Duration length) throws InterruptedException {
    List<String> errors = new ArrayList<>();
    long end = System.nanoTime() + length.toNanos();
    int i = 0;
    for (; i < 400 && System.nanoTime() < end; i++) {
      NodeProcess.Spec writer = i % 2 == 0 ? east1 : east2;
      NodeProcess.Spec reader = i % 2 == 0 ? east2 : east1;
      long t0 = System.nanoTime();
      try {
        Stored s = put(cluster.strict(writer), bucket, "outage/" + i, random(2_000));
        ResponseBytes<GetObjectResponse> got = cluster.strict(reader).getObjectAsBytes(b -> b.bucket(bucket).key(s.key()));
        if (!Arrays.equals(s.bytes(), got.asByteArray())) errors.add(s.key() + ": other bytes via " + reader.name());
      } catch (SdkException e) {
        errors.add("outage/" + i + " via " + writer.name() + " after " + ms(t0) + " ms: " + describe(e));
      }
      Thread.sleep(50);
    }
    log.info("us-east-1 traffic during the outage: {} PUT+GET pairs, {} errors", i, errors.size());
    return errors;
  }

  /**
   * CRR through a destination region's outage: 1,000 objects written while us-west-2 is down all arrive
   * once it is back, with a source node killed mid-drain; nothing missing, nothing twice.
   */
  @Test
  @Order(7)
  void replicationCatchesUpAfterTheDestinationRegionsOutage() throws Exception {
    new ReplicationUnderOutage(cluster).run(name("r-src"), name("r-dst"));
  }

  private void assertPrompt503(NodeProcess.Spec via, String op, boolean head, Runnable call) {
    long t0 = System.nanoTime();
    S3Exception e = assertThrows(S3Exception.class, call::run, op + " of a us-west-2 bucket via " + via.name());
    long took = ms(t0);
    assertEquals(503, e.statusCode(), op + " via " + via.name() + ": " + describe(e));
    if (!head) assertEquals("ServiceUnavailable", e.awsErrorDetails().errorCode(), op + " via " + via.name());
    assertTrue(took < 5_000, op + " via " + via.name() + " took " + took + " ms");
  }

  // ---- helpers ----

  private String name(String what) {
    return what + "-" + run;
  }

  private static String other(String region) {
    return region.equals(EAST) ? WEST : EAST;
  }
}
