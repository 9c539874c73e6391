package dev.meridian.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meridian.server.testing.Await;
import dev.meridian.server.testing.MeridianTestCluster;
import dev.meridian.server.testing.TestIam;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Replication beyond one source and one destination: two buckets replicating to each other (no
 * ping-pong; tag changes on replicas synced back with ReplicaModifications) and one source with several
 * destinations (one rule each), across regions and within one, with delete markers where enabled.
 */
@ExtendWith(MeridianTestCluster.class)
class ReplicationTopologiesIT {

  private static S3Client s3;

  @BeforeAll
  static void connect() {
    s3 = MeridianTestCluster.east().client();
    TestIam.permissiveReplicationRole(MeridianTestCluster.east());
  }

  @AfterAll
  static void close() {
    if (s3 != null) s3.close();
  }

  private static void bucket(String name, String region) {
    s3.createBucket(b -> b.bucket(name).createBucketConfiguration(c -> c.locationConstraint(region)));
    s3.putBucketVersioning(b -> b.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
  }

  private static ReplicationRule rule(String id, int priority, String destination, boolean deleteMarkers,
      boolean replicaModifications) {
    return ReplicationRule.builder().id(id).priority(priority).status("Enabled").filter(f -> f.prefix(""))
        .deleteMarkerReplication(d -> d.status(deleteMarkers ? "Enabled" : "Disabled"))
        .sourceSelectionCriteria(c -> c.replicaModifications(m -> m.status(replicaModifications ? "Enabled" : "Disabled")))
        .destination(d -> d.bucket("arn:aws:s3:::" + destination)).build();
  }

  private static void rules(String source, ReplicationRule... rules) {
    s3.putBucketReplication(b -> b.bucket(source).replicationConfiguration(c -> c
        .role(TestIam.REPLICATION_ROLE_ARN).rules(rules)));
  }

  private static String status(String bucket, String key) {
    return s3.headObject(b -> b.bucket(bucket).key(key)).replicationStatusAsString();
  }

  private static int versions(String bucket, String key) {
    var r = s3.listObjectVersions(b -> b.bucket(bucket).prefix(key));
    return (int) (r.versions().stream().filter(v -> v.key().equals(key)).count()
        + r.deleteMarkers().stream().filter(m -> m.key().equals(key)).count());
  }

  private static Map<String, String> tags(String bucket, String key) {
    Map<String, String> out = new TreeMap<>();
    s3.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet().forEach(t -> out.put(t.key(), t.value()));
    return out;
  }

  @Test
  void twoWayReplicationSettlesWithoutPingPongAndSyncsReplicaTags() throws Exception {
    bucket("two-way-east", "us-east-1");
    bucket("two-way-west", "us-west-2");
    rules("two-way-east", rule("to-west", 1, "two-way-west", false, true));
    rules("two-way-west", rule("to-east", 1, "two-way-east", false, true));

    String fromEast = s3.putObject(b -> b.bucket("two-way-east").key("from-east"), RequestBody.fromString("e")).versionId();
    String fromWest = s3.putObject(b -> b.bucket("two-way-west").key("from-west"), RequestBody.fromString("w")).versionId();
    Await.until("east's object in west", () -> "REPLICA".equals(status("two-way-west", "from-east")));
    Await.until("west's object in east", () -> "REPLICA".equals(status("two-way-east", "from-west")));
    assertEquals("COMPLETED", status("two-way-east", "from-east"));
    assertEquals("COMPLETED", status("two-way-west", "from-west"));
    assertEquals(fromEast, s3.headObject(b -> b.bucket("two-way-west").key("from-east")).versionId());
    assertEquals(fromWest, s3.headObject(b -> b.bucket("two-way-east").key("from-west")).versionId());

    // A change to the replica in west syncs back to the source in east (ReplicaModifications).
    s3.putObjectTagging(b -> b.bucket("two-way-west").key("from-east")
        .tagging(t -> t.tagSet(Tag.builder().key("reviewed").value("west").build())));
    Await.until("the replica's tags reach the source", () -> Map.of("reviewed", "west").equals(tags("two-way-east", "from-east")));
    // And a change at the source reaches the replica.
    s3.putObjectTagging(b -> b.bucket("two-way-east").key("from-east")
        .tagging(t -> t.tagSet(Tag.builder().key("reviewed").value("east").build())));
    Await.until("the source's tags reach the replica", () -> Map.of("reviewed", "east").equals(tags("two-way-west", "from-east")));

    Thread.sleep(5000); // more than the replication delay: anything bouncing back would have arrived
    for (String bucket : List.of("two-way-east", "two-way-west")) {
      assertEquals(1, versions(bucket, "from-east"), bucket + ": one version of from-east, no echo");
      assertEquals(1, versions(bucket, "from-west"), bucket + ": one version of from-west, no echo");
    }
    assertEquals(Map.of("reviewed", "east"), tags("two-way-west", "from-east"));
    assertEquals(Map.of("reviewed", "east"), tags("two-way-east", "from-east"));
  }

  @Test
  void oneSourceReplicatesToSeveralDestinationsWithTheirOwnRules() throws Exception {
    bucket("fan-src", "us-east-1");
    bucket("fan-same-region", "us-east-1");
    bucket("fan-cross-region", "us-west-2");
    rules("fan-src", rule("srr", 1, "fan-same-region", true, false), rule("crr", 2, "fan-cross-region", false, false));

    String v = s3.putObject(b -> b.bucket("fan-src").key("doc"), RequestBody.fromString("both")).versionId();
    Await.until("both destinations", () -> "COMPLETED".equals(status("fan-src", "doc")));
    for (String dest : List.of("fan-same-region", "fan-cross-region")) {
      assertEquals(v, s3.headObject(b -> b.bucket(dest).key("doc")).versionId(), dest);
      assertEquals("both", s3.getObjectAsBytes(b -> b.bucket(dest).key("doc")).asUtf8String(), dest);
    }

    // The delete marker follows only the rule that replicates delete markers.
    String marker = s3.deleteObject(b -> b.bucket("fan-src").key("doc")).versionId();
    Await.until("the marker in the SRR destination", () -> s3.listObjectVersions(b -> b.bucket("fan-same-region").prefix("doc"))
        .deleteMarkers().stream().anyMatch(m -> m.versionId().equals(marker)));
    Thread.sleep(3000);
    assertEquals(0, s3.listObjectVersions(b -> b.bucket("fan-cross-region").prefix("doc")).deleteMarkers().size(),
        "the CRR rule does not replicate delete markers");
    assertEquals("both", s3.getObjectAsBytes(b -> b.bucket("fan-cross-region").key("doc")).asUtf8String());

    // Deleting a specific version is never replicated.
    s3.deleteObject(b -> b.bucket("fan-src").key("doc").versionId(v));
    Thread.sleep(3000);
    assertEquals(v, s3.headObject(b -> b.bucket("fan-cross-region").key("doc").versionId(v)).versionId());
  }
}
