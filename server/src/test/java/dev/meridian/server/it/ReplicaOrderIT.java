package dev.meridian.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.bucket.BucketInfo;
import dev.meridian.persistence.BlobRef;
import dev.meridian.persistence.ObjectVersion;
import dev.meridian.server.testing.MeridianTestCluster;
import dev.meridian.server.testing.MeridianTestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;

/**
 * Replicas delivered out of order, and delivered twice, as retries and parallel streams may deliver them:
 * the destination bucket (in the other region) ends with exactly the source's history, in the source's
 * order, with the same latest version. Delivery goes through the same calls the replication engine makes
 * (bytes streamed into the destination's region, then the destination partition applies the replica), in
 * an order the engine would only produce by accident.
 */
@ExtendWith(MeridianTestCluster.class)
class ReplicaOrderIT {

  private static final String KEY = "doc.txt";

  @Test
  void replicasAppliedOutOfOrderAndTwiceConvergeToTheSourcesHistory() throws Exception {
    MeridianTestNode east = MeridianTestCluster.east();
    S3Client s3 = east.client();
    versionedBucket(s3, "order-src", "us-east-1");
    versionedBucket(s3, "order-dst", "us-west-2");
    // The source's history of one key, oldest first: two versions, a delete marker, a third version.
    s3.putObject(b -> b.bucket("order-src").key(KEY), RequestBody.fromString("one"));
    s3.putObject(b -> b.bucket("order-src").key(KEY), RequestBody.fromString("two"));
    s3.deleteObject(b -> b.bucket("order-src").key(KEY));
    s3.putObject(b -> b.bucket("order-src").key(KEY), RequestBody.fromString("three"));

    BucketService buckets = east.buckets();
    BucketInfo source = get(buckets.bucket("order-src"));
    BucketInfo destination = get(buckets.bucket("order-dst"));
    List<ObjectVersion> newestFirst = new ArrayList<>();
    for (String id : ids(s3.listObjectVersions(b -> b.bucket("order-src")))) {
      newestFirst.add(get(buckets.version(source, KEY, id)).orElseThrow());
    }
    assertEquals(4, newestFirst.size());

    // Newest first, then the oldest, then the delete marker, then the second: no order the source had.
    for (int i : new int[] {0, 3, 1, 2}) {
      assertTrue(deliver(buckets, source, destination, newestFirst.get(i)), "first delivery of " + i + " applies");
    }
    // A retry of a delivered version is a no-op, whatever its turn.
    assertFalse(deliver(buckets, source, destination, newestFirst.get(2)), "a second delivery is not applied");
    assertFalse(deliver(buckets, source, destination, newestFirst.get(0)), "a second delivery is not applied");

    ListObjectVersionsResponse src = s3.listObjectVersions(b -> b.bucket("order-src"));
    ListObjectVersionsResponse dst = s3.listObjectVersions(b -> b.bucket("order-dst"));
    assertEquals(rows(src), rows(dst), "the destination lists the source's versions, in its order");
    assertEquals(ids(src), ids(dst));
    assertEquals("three", s3.getObjectAsBytes(b -> b.bucket("order-dst").key(KEY)).asUtf8String(),
        "the latest version is the source's latest, not the last one delivered");
    for (ObjectVersion v : newestFirst) {
      if (v.deleteMarker()) continue;
      var got = s3.getObjectAsBytes(b -> b.bucket("order-dst").key(KEY).versionId(v.versionId()));
      assertEquals(get(buckets.version(source, KEY, v.versionId())).orElseThrow().etag(),
          got.response().eTag().replace("\"", ""));
      assertEquals("REPLICA", got.response().replicationStatusAsString());
    }
  }

  /** What the engine does for one version: bytes into the destination's region, then the replica applied. */
  private static boolean deliver(BucketService buckets, BucketInfo source, BucketInfo destination, ObjectVersion v)
      throws Exception {
    if (v.deleteMarker()) return get(buckets.replicate(destination, v.asReplica(null, v.meta())));
    BlobRef blob = get(buckets.writeBlob(destination, v.key(), buckets.read(source, v, 0, v.size() - 1)));
    boolean applied = get(buckets.replicate(destination, v.asReplica(blob, v.meta())));
    if (!applied) get(buckets.discardBlob(destination, blob));
    return applied;
  }

  /** Every version and delete marker as "kind id latest etag", versions first, each kind newest first. */
  private static List<String> rows(ListObjectVersionsResponse r) {
    List<String> rows = new ArrayList<>();
    r.versions().forEach(v -> rows.add("version " + v.versionId() + " " + v.isLatest() + " " + v.eTag()));
    r.deleteMarkers().forEach(m -> rows.add("marker " + m.versionId() + " " + m.isLatest()));
    return rows;
  }

  /** Version ids newest first, delete markers included (both lists merged by the ids' time order). */
  private static List<String> ids(ListObjectVersionsResponse r) {
    List<String> ids = new ArrayList<>();
    r.versions().forEach(v -> ids.add(v.versionId()));
    r.deleteMarkers().forEach(m -> ids.add(m.versionId()));
    ids.sort(java.util.Comparator.reverseOrder());
    return ids;
  }

  private static void versionedBucket(S3Client s3, String name, String region) {
    s3.createBucket(b -> {
      b.bucket(name);
      if (!region.equals("us-east-1")) b.createBucketConfiguration(c -> c.locationConstraint(region));
    });
    s3.putBucketVersioning(b -> b.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
  }

  private static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
