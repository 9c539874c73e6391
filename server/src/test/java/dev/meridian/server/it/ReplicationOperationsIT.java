package dev.meridian.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.server.testing.Await;
import dev.meridian.server.testing.MeridianTestCluster;
import dev.meridian.server.testing.ReplicationManagement;
import dev.meridian.server.testing.TestIam;
import dev.meridian.server.testing.MeridianTestNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * The operator's side of replication, through the management endpoint: exact pending / completed / failed
 * counts with failure reasons, the existing-objects job, retrying failures after the cause is fixed, and
 * pausing and resuming the streams into a region.
 */
@ExtendWith(MeridianTestCluster.class)
class ReplicationOperationsIT {

  private static MeridianTestNode node;
  private static ReplicationManagement management;
  private static S3Client s3;

  @BeforeAll
  static void connect() {
    node = MeridianTestCluster.east();
    management = new ReplicationManagement(node.managementEndpoint());
    s3 = node.client();
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

  private static void replicate(String source, String destination) {
    s3.putBucketReplication(b -> b.bucket(source).replicationConfiguration(c -> c
        .role(TestIam.REPLICATION_ROLE_ARN)
        .rules(r -> r.id("all").priority(1).status("Enabled").filter(f -> f.prefix(""))
            .deleteMarkerReplication(d -> d.status("Disabled"))
            .destination(d -> d.bucket("arn:aws:s3:::" + destination)))));
  }

  private static String status(String bucket, String key) {
    return s3.headObject(b -> b.bucket(bucket).key(key)).replicationStatusAsString();
  }

  @Test
  void existingObjectsReplicateOnRequestAndFailuresRetryOnceFixed() throws Exception {
    bucket("ops-existing-src", "us-east-1");
    bucket("ops-existing-dst", "us-west-2");
    List<String> versions = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int n = i;
      versions.add(s3.putObject(b -> b.bucket("ops-existing-src").key("old-" + n), RequestBody.fromString("old " + n)).versionId());
    }
    replicate("ops-existing-src", "ops-existing-dst");
    // Versioning suspended on the destination after the rule was accepted: replication to it fails.
    s3.putBucketVersioning(b -> b.bucket("ops-existing-dst").versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
    assertNull(status("ops-existing-src", "old-0"), "written before the rule: owes nothing");
    s3.putObject(b -> b.bucket("ops-existing-src").key("new"), RequestBody.fromString("new!"));
    Await.until("the new object fails", () -> "FAILED".equals(status("ops-existing-src", "new")));

    JsonNode failed = management.destination("ops-existing-src", "ops-existing-dst");
    assertEquals(1, failed.path("failed").asLong());
    assertEquals(4, failed.path("failedBytes").asLong());
    assertEquals("new", failed.path("failures").get(0).path("key").asText());
    assertEquals("DstBucketUnversioned", failed.path("failures").get(0).path("reason").asText());

    // Fix the cause, then one job replicates the old objects and retries the failure.
    s3.putBucketVersioning(b -> b.bucket("ops-existing-dst").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    JsonNode job = management.call("POST", "/jobs", "{\"bucket\":\"ops-existing-src\",\"existing\":true,\"retryFailed\":true}");
    String id = job.path("id").asText();
    Await.until("the job finishes", () -> {
      try {
        return !management.call("GET", "/jobs/" + id, null).path("finished").isNull();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    JsonNode report = management.call("GET", "/jobs/" + id, null);
    assertEquals(4, report.path("requested").asLong(), report.toString()); // 3 existing + 1 retried
    assertEquals(0, report.path("errors").asLong(), report.toString());

    for (String key : List.of("old-0", "old-1", "old-2", "new")) {
      Await.until(key + " completes", () -> "COMPLETED".equals(status("ops-existing-src", key)));
      assertEquals("REPLICA", status("ops-existing-dst", key));
    }
    assertEquals(versions.get(1), s3.headObject(b -> b.bucket("ops-existing-dst").key("old-1")).versionId(),
        "replicas keep the source's version ids");
    JsonNode done = management.destination("ops-existing-src", "ops-existing-dst");
    assertEquals(0, done.path("failed").asLong(), done.toString());
    assertEquals(0, done.path("pending").asLong(), done.toString());
    assertEquals(4, done.path("completed").asLong(), done.toString());
  }

  @Test
  void aPausedRegionKeepsItsBacklogUntilResumed() throws Exception {
    bucket("ops-pause-src", "us-east-1");
    bucket("ops-pause-dst", "us-west-2");
    replicate("ops-pause-src", "ops-pause-dst");
    JsonNode paused = management.call("POST", "/regions/us-west-2/pause", null);
    try {
      assertTrue(paused.path("paused").asBoolean(), paused.toString());
      Thread.sleep(1500); // the fast path reads the pause every half second
      s3.putObject(b -> b.bucket("ops-pause-src").key("held"), RequestBody.fromString("12345"));
      Thread.sleep(6000); // several times the replication delay
      assertEquals("PENDING", status("ops-pause-src", "held"));
      JsonNode pending = management.destination("ops-pause-src", "ops-pause-dst");
      assertEquals(1, pending.path("pending").asLong(), pending.toString());
      assertEquals(5, pending.path("pendingBytes").asLong(), pending.toString());
    } finally {
      JsonNode resumed = management.call("POST", "/regions/us-west-2/resume", null);
      assertTrue(!resumed.path("paused").asBoolean(), resumed.toString());
    }
    Await.until("held completes after resume", () -> "COMPLETED".equals(status("ops-pause-src", "held")));
    JsonNode after = management.destination("ops-pause-src", "ops-pause-dst");
    assertEquals(1, after.path("completed").asLong(), after.toString());
    assertEquals(1, after.path("latency").path("count").asLong(), after.toString());
    assertTrue(after.path("latency").path("maxMillis").asLong() >= 6000, "the pause shows in the latency: " + after);
  }
}
