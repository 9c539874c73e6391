package dev.meridian.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.server.testing.AwsCli;
import dev.meridian.server.testing.MeridianTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's story (shared/seed/s3-replication-tutorial.txt), step by step with the AWS CLI and
 * --endpoint-url: the IAM role with its trust and permissions policies, two versioned buckets, the
 * replication configuration naming the role, an upload, and the copy appearing in the destination with
 * the same bytes, COMPLETED on the source and REPLICA on the destination. Once within us-east-1 (SRR) and
 * once from us-east-1 to us-west-2 (CRR).
 */
@ExtendWith(MeridianTestCluster.class)
class ReplicationTutorialIT {

  private static final Duration REPLICATION_WAIT = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  @BeforeAll
  static void requireCli() {
    Assumptions.assumeTrue(AwsCli.installed(), "the aws command is not installed");
  }

  @Test
  void sameRegionReplication() throws Exception {
    tutorial("tut-srr-src", "tut-srr-dst", "us-east-1", "srr-role");
  }

  @Test
  void crossRegionReplication() throws Exception {
    tutorial("tut-crr-src", "tut-crr-dst", "us-west-2", "crr-role");
  }

  private void tutorial(String source, String destination, String destinationRegion, String role) throws Exception {
    AwsCli cli = new AwsCli(MeridianTestCluster.east(), dir);
    Files.writeString(dir.resolve("trust-policy.json"), """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Principal": {"Service": "s3.amazonaws.com"},
              "Action": "sts:AssumeRole"
            }
          ]
        }
        """);
    assertTrue(cli.ok("iam", "create-role", "--role-name", role, "--assume-role-policy-document",
        "file://trust-policy.json").out().contains("arn:aws:iam::"));
    Files.writeString(dir.resolve("permissions-policy.json"), """
        {
          "Version": "2012-10-17",
          "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
             "Resource": ["arn:aws:s3:::%1$s"]},
            {"Effect": "Allow", "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl",
             "s3:GetObjectVersionTagging"], "Resource": ["arn:aws:s3:::%1$s/*"]},
            {"Effect": "Allow", "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
             "Resource": "arn:aws:s3:::%2$s/*"}
          ]
        }
        """.formatted(source, destination));
    cli.ok("iam", "put-role-policy", "--role-name", role, "--policy-name", role + "-policy",
        "--policy-document", "file://permissions-policy.json");

    // Step 1 and 2: buckets, versioning.
    cli.ok("s3", "mb", "s3://" + source, "--region", "us-east-1");
    cli.ok("s3", "mb", "s3://" + destination, "--region", destinationRegion);
    cli.ok("s3api", "put-bucket-versioning", "--bucket", source, "--versioning-configuration", "Status=Enabled");
    cli.ok("s3api", "put-bucket-versioning", "--bucket", destination, "--versioning-configuration", "Status=Enabled");

    // Step 3: the replication configuration of the tutorial, naming the role.
    Files.writeString(dir.resolve("replication-policy.json"), """
        {
          "Role": "arn:aws:iam::000000000000:role/%s",
          "Rules": [
            {
              "Status": "Enabled",
              "Priority": 1,
              "Destination": {
                "Bucket": "arn:aws:s3:::%s",
                "StorageClass": "STANDARD"
              },
              "DeleteMarkerReplication": {
                "Status": "Disabled"
              },
              "Filter": {}
            }
          ]
        }
        """.formatted(role, destination));
    cli.ok("s3api", "put-bucket-replication", "--bucket", source, "--replication-configuration",
        "file://replication-policy.json");
    assertTrue(cli.ok("s3api", "get-bucket-replication", "--bucket", source).out().contains("arn:aws:s3:::" + destination));

    // Step 4: upload, then the copy appears in the destination.
    Path file = Files.writeString(dir.resolve("report.txt"), "quarterly numbers \u00e9\n".repeat(500));
    cli.ok("s3", "cp", file.toString(), "s3://" + source + "/");
    Instant deadline = Instant.now().plus(REPLICATION_WAIT);
    String listing = "";
    while (Instant.now().isBefore(deadline) && !listing.contains("report.txt")) {
      Thread.sleep(1000);
      listing = cli.ok("s3", "ls", "s3://" + destination + "/").out();
    }
    assertTrue(listing.contains("report.txt"), "replicated within " + REPLICATION_WAIT + ": " + listing);

    cli.ok("s3", "cp", "s3://" + destination + "/report.txt", "copy.txt");
    assertEquals(Files.readString(file), Files.readString(dir.resolve("copy.txt")));
    String sourceHead = "";
    while (Instant.now().isBefore(deadline) && !sourceHead.contains("COMPLETED")) {
      sourceHead = cli.ok("s3api", "head-object", "--bucket", source, "--key", "report.txt").out();
      if (!sourceHead.contains("COMPLETED")) Thread.sleep(500);
    }
    assertTrue(sourceHead.contains("\"ReplicationStatus\": \"COMPLETED\""), sourceHead);
    String destinationHead = cli.ok("s3api", "head-object", "--bucket", destination, "--key", "report.txt").out();
    assertTrue(destinationHead.contains("\"ReplicationStatus\": \"REPLICA\""), destinationHead);
    assertEquals(versionId(sourceHead), versionId(destinationHead), "the replica keeps the source's version id");
  }

  private static String versionId(String headObjectJson) {
    int at = headObjectJson.indexOf("\"VersionId\": \"");
    assertTrue(at >= 0, headObjectJson);
    int start = at + "\"VersionId\": \"".length();
    return headObjectJson.substring(start, headObjectJson.indexOf('"', start));
  }
}
