package dev.meridian.server.multiregion;

import static dev.meridian.server.multiregion.S3Checks.createBucket;
import static dev.meridian.server.multiregion.S3Checks.ms;
import static dev.meridian.server.multiregion.S3Checks.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.server.NodeProcess;
import dev.meridian.server.testing.ReplicationManagement;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;

/**
 * Cross-region replication through a destination region's outage, on real node processes: 1,000 objects
 * (plus overwrites and delete markers) are written while every us-west-2 node is down; the region comes
 * back; a source node is killed and restarted in the middle of the drain. In the end the destination holds
 * exactly the source's versions (same ids, ETags, order, delete markers; nothing missing, nothing twice)
 * and the source's metrics show every operation COMPLETED. Used by {@link MultiRegionIT}.
 */
final class ReplicationUnderOutage {

  private static final Logger log = LoggerFactory.getLogger(ReplicationUnderOutage.class);
  static final int OBJECTS = 1000;

  private final RegionCluster cluster;
  private final NodeProcess.Spec east1, east2, west1, west2;

  ReplicationUnderOutage(RegionCluster cluster) {
    this.cluster = cluster;
    east1 = cluster.spec("us-east-1", 1);
    east2 = cluster.spec("us-east-1", 2);
    west1 = cluster.spec("us-west-2", 1);
    west2 = cluster.spec("us-west-2", 2);
  }

  void run(String source, String destination) throws Exception {
    S3Client s3 = cluster.s3(east1);
    try (var iam = dev.meridian.server.testing.TestIam.client(RegionCluster.endpoint(east1), cluster.credentials())) {
      dev.meridian.server.testing.TestIam.permissiveReplicationRole(iam);
    }
    createBucket(s3, source, "us-east-1");
    createBucket(s3, destination, "us-west-2");
    for (String b : List.of(source, destination)) {
      s3.putBucketVersioning(r -> r.bucket(b).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }
    s3.putBucketReplication(r -> r.bucket(source).replicationConfiguration(c -> c
        .role(dev.meridian.server.testing.TestIam.REPLICATION_ROLE_ARN)
        .rules(rule -> rule.id("all").priority(1).status("Enabled").filter(f -> f.prefix(""))
            .deleteMarkerReplication(d -> d.status("Enabled"))
            .destination(d -> d.bucket("arn:aws:s3:::" + destination)))));

    cluster.kill(west1);
    cluster.kill(west2);
    cluster.awaitStatus(east1, "us-west-2 unreachable", st -> RegionCluster.nodesOf(st, "us-west-2").stream()
        .noneMatch(n -> n.reachable()), Duration.ofSeconds(60));
    long writing = System.nanoTime();
    ExecutorService writers = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      int writer = w;
      done.add(writers.submit(() -> {
        S3Client c = cluster.s3(writer % 2 == 0 ? east1 : east2);
        for (int i = writer; i < OBJECTS; i += 8) {
          String key = String.format("obj-%04d", i);
          c.putObject(r -> r.bucket(source).key(key), RequestBody.fromBytes(random(256 + key.hashCode() % 256 + 256)));
          if (i % 20 == 0) c.putObject(r -> r.bucket(source).key(key), RequestBody.fromBytes(random(300))); // overwrite
          if (i % 50 == 0) c.deleteObject(r -> r.bucket(source).key(key)); // a delete marker
        }
        return null;
      }));
    }
    for (Future<?> f : done) f.get(10, TimeUnit.MINUTES);
    writers.shutdown();
    int owed = OBJECTS + OBJECTS / 20 + OBJECTS / 50;
    log.info("{} source versions written during the us-west-2 outage in {} ms", owed, ms(writing));
    JsonNode during = metrics(east1, source);
    assertEquals(owed, during.path("pending").asLong() + during.path("completed").asLong(), during.toString());
    assertEquals(0, during.path("completed").asLong(), "nothing can have reached a region that is down: " + during);

    long restarted = System.nanoTime();
    cluster.start(List.of(west1, west2));
    awaitMetrics(source, "the drain started", m -> m.path("completed").asLong() > 50, Duration.ofMinutes(3));
    cluster.kill(east2); // a source node dies in the middle of the replication streams
    cluster.start(List.of(east2));
    JsonNode drained = awaitMetrics(source, "every operation completed", m -> m.path("completed").asLong() == owed,
        Duration.ofMinutes(5));
    log.info("backlog of {} drained {} ms after us-west-2 restarted: {}", owed, ms(restarted), drained);
    assertEquals(0, drained.path("pending").asLong());
    assertEquals(0, drained.path("failed").asLong());

    Map<String, List<String>> sourceVersions = versions(cluster.s3(east1), source);
    Map<String, List<String>> replicaVersions = versions(cluster.s3(west1), destination);
    assertEquals(OBJECTS, sourceVersions.size());
    assertEquals(sourceVersions, replicaVersions, "the destination holds exactly the source's versions, in order");
  }

  /** Key to its versions, newest first, each as versionId/etag or versionId/marker, and /latest for IsLatest. */
  private static Map<String, List<String>> versions(S3Client s3, String bucket) {
    Map<String, List<String>> out = new TreeMap<>();
    String keyMarker = null;
    String versionMarker = null;
    while (true) {
      String km = keyMarker;
      String vm = versionMarker;
      ListObjectVersionsResponse page = s3.listObjectVersions(r -> r.bucket(bucket).keyMarker(km).versionIdMarker(vm));
      page.versions().forEach(v -> out.computeIfAbsent(v.key(), k -> new ArrayList<>()).add(v.versionId() + "/" + v.eTag()
          + (v.isLatest() ? "/latest" : "")));
      page.deleteMarkers().forEach(m -> out.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m.versionId() + "/marker"
          + (m.isLatest() ? "/latest" : "")));
      if (!page.isTruncated()) break;
      keyMarker = page.nextKeyMarker();
      versionMarker = page.nextVersionIdMarker();
    }
    // Versions and markers come in two lists: order each key's entries by version id (time-ordered ids).
    out.values().forEach(list -> list.sort((a, b) -> b.compareTo(a)));
    return out;
  }

  private JsonNode awaitMetrics(String bucket, String what, java.util.function.Predicate<JsonNode> ok, Duration within)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = metrics(east1, bucket);
        if (ok.test(last)) return last;
      } catch (Exception | AssertionError e) {
        // A 503 while a killed node's shards move to the others (the bucket's entity was there) is what
        // a client may see; the state the metrics reach is what is checked.
        log.info("metrics not available yet: {}", e.toString());
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("never " + what + " within " + within + "; last: " + last);
  }

  /** The replication metrics of the bucket's only destination, from a node of its home region. */
  private static JsonNode metrics(NodeProcess.Spec via, String bucket) throws Exception {
    return new ReplicationManagement(URI.create("http://127.0.0.1:" + via.managementPort()))
        .call("GET", "/buckets/" + bucket, null).path("destinations").get(0);
  }
}
