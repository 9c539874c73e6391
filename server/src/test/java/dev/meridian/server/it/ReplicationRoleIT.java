package dev.meridian.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.server.testing.AwsCli;
import dev.meridian.server.testing.MeridianTestCluster;
import dev.meridian.server.testing.MeridianTestNode;
import dev.meridian.server.testing.ReplicationManagement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication acts with its role's permissions. The tutorial's steps with the AWS CLI, but with a role
 * whose permissions policy omits {@code s3:ReplicateObject}: the upload is not replicated and goes FAILED
 * with a reason the operator lists on the management endpoint; once put-role-policy fixes the policy and a
 * retry job is requested, it replicates. Likewise for a role S3 may not assume (its trust policy), fixed
 * with update-assume-role-policy, and for a role that does not exist (created, with a managed policy attached).
 */
@ExtendWith(MeridianTestCluster.class)
class ReplicationRoleIT {

  private static MeridianTestNode node;
  private static ReplicationManagement management;

  @TempDir
  Path dir;

  @BeforeAll
  static void requireCli() {
    Assumptions.assumeTrue(AwsCli.installed(), "the aws command is not installed");
    node = MeridianTestCluster.east();
    management = new ReplicationManagement(node.managementEndpoint());
  }

  private static final String S3_TRUST = """
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
       "Action": "sts:AssumeRole"}]}""";

  private static String permissions(String source, String destination, String replicateActions) {
    return """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"], "Resource": ["arn:aws:s3:::%1$s"]},
          {"Effect": "Allow", "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl",
           "s3:GetObjectVersionTagging"], "Resource": ["arn:aws:s3:::%1$s/*"]},
          {"Effect": "Allow", "Action": [%3$s], "Resource": "arn:aws:s3:::%2$s/*"}]}
        """.formatted(source, destination, replicateActions);
  }

  /** Two versioned buckets and a replication configuration naming {@code role}; returns the CLI. */
  private AwsCli buckets(String source, String destination, String region, String role) throws Exception {
    AwsCli cli = new AwsCli(node, dir);
    cli.ok("s3", "mb", "s3://" + source, "--region", "us-east-1");
    cli.ok("s3", "mb", "s3://" + destination, "--region", region);
    cli.ok("s3api", "put-bucket-versioning", "--bucket", source, "--versioning-configuration", "Status=Enabled");
    cli.ok("s3api", "put-bucket-versioning", "--bucket", destination, "--versioning-configuration", "Status=Enabled");
    Files.writeString(dir.resolve("replication.json"), """
        {"Role": "arn:aws:iam::000000000000:role/%s",
         "Rules": [{"Status": "Enabled", "Priority": 1, "Destination": {"Bucket": "arn:aws:s3:::%s", "StorageClass": "STANDARD"},
                    "DeleteMarkerReplication": {"Status": "Disabled"}, "Filter": {}}]}
        """.formatted(role, destination));
    cli.ok("s3api", "put-bucket-replication", "--bucket", source, "--replication-configuration", "file://replication.json");
    return cli;
  }

  private String upload(AwsCli cli, String source, String key) throws Exception {
    Path file = Files.writeString(dir.resolve(key), "payload of " + key);
    cli.ok("s3", "cp", file.toString(), "s3://" + source + "/" + key);
    return Files.readString(file);
  }

  private static String status(AwsCli cli, String bucket, String key) throws Exception {
    String out = cli.ok("s3api", "head-object", "--bucket", bucket, "--key", key).out();
    int at = out.indexOf("\"ReplicationStatus\": \"");
    return at < 0 ? null : out.substring(at + 22, out.indexOf('"', at + 22));
  }

  private static void await(String what, Callable<Boolean> condition) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (!condition.call()) {
      if (Instant.now().isAfter(deadline)) throw new AssertionError("not within 90 s: " + what);
      Thread.sleep(500);
    }
  }

  /** The failure reasons the management endpoint lists for a source bucket's destination. */
  private static JsonNode failures(String source, String destination) throws Exception {
    return management.destination(source, destination).path("failures");
  }

  /** Requests a retry of the bucket's FAILED versions and waits for the job to finish. */
  private static void retryFailed(String source) throws Exception {
    String id = management.call("POST", "/jobs", "{\"bucket\":\"" + source + "\",\"retryFailed\":true}").path("id").asText();
    await("the retry job finishes", () -> !management.call("GET", "/jobs/" + id, null).path("finished").isNull());
    JsonNode report = management.call("GET", "/jobs/" + id, null);
    assertEquals(0, report.path("errors").asLong(), report.toString());
  }

  @Test
  void aRoleWithoutReplicateObjectFailsUntilItsPolicyIsFixed() throws Exception {
    String source = "role-src";
    String destination = "role-dst";
    AwsCli cli = new AwsCli(node, dir);
    Files.writeString(dir.resolve("trust-policy.json"), S3_TRUST);
    cli.ok("iam", "create-role", "--role-name", "narrow-role", "--assume-role-policy-document", "file://trust-policy.json");
    Files.writeString(dir.resolve("permissions-policy.json"), permissions(source, destination,
        "\"s3:ReplicateDelete\", \"s3:ReplicateTags\""));
    cli.ok("iam", "put-role-policy", "--role-name", "narrow-role", "--policy-name", "replication-policy",
        "--policy-document", "file://permissions-policy.json");
    buckets(source, destination, "us-west-2", "narrow-role");

    String body = upload(cli, source, "report.txt");
    await("report.txt fails", () -> "FAILED".equals(status(cli, source, "report.txt")));
    assertTrue(!cli.ok("s3", "ls", "s3://" + destination + "/").out().contains("report.txt"), "not replicated");
    JsonNode failure = failures(source, destination).get(0);
    assertEquals("report.txt", failure.path("key").asText());
    assertTrue(failure.path("reason").asText().startsWith("DstPutObjectNotPermitted"), failure.toString());
    assertTrue(failure.path("reason").asText().contains("s3:ReplicateObject"), failure.toString());

    Files.writeString(dir.resolve("permissions-policy.json"), permissions(source, destination,
        "\"s3:ReplicateObject\", \"s3:ReplicateDelete\", \"s3:ReplicateTags\""));
    cli.ok("iam", "put-role-policy", "--role-name", "narrow-role", "--policy-name", "replication-policy",
        "--policy-document", "file://permissions-policy.json");
    retryFailed(source);
    await("report.txt completes", () -> "COMPLETED".equals(status(cli, source, "report.txt")));
    cli.ok("s3", "cp", "s3://" + destination + "/report.txt", "copy.txt");
    assertEquals(body, Files.readString(dir.resolve("copy.txt")));
    assertEquals("REPLICA", status(cli, destination, "report.txt"));
    assertEquals(0, failures(source, destination).size());
  }

  @Test
  void aRoleS3MayNotAssumeFailsUntilItsTrustPolicyIsFixed() throws Exception {
    String source = "trust-src";
    String destination = "trust-dst";
    AwsCli cli = new AwsCli(node, dir);
    Files.writeString(dir.resolve("trust-policy.json"), S3_TRUST.replace("s3.amazonaws.com", "ec2.amazonaws.com"));
    cli.ok("iam", "create-role", "--role-name", "ec2-role", "--assume-role-policy-document", "file://trust-policy.json");
    Files.writeString(dir.resolve("permissions-policy.json"), permissions(source, destination,
        "\"s3:ReplicateObject\", \"s3:ReplicateDelete\", \"s3:ReplicateTags\""));
    cli.ok("iam", "put-role-policy", "--role-name", "ec2-role", "--policy-name", "replication-policy",
        "--policy-document", "file://permissions-policy.json");
    buckets(source, destination, "us-east-1", "ec2-role");

    upload(cli, source, "a.txt");
    await("a.txt fails", () -> "FAILED".equals(status(cli, source, "a.txt")));
    assertTrue(failures(source, destination).get(0).path("reason").asText().startsWith("AssumeRoleNotPermitted"));

    Files.writeString(dir.resolve("trust-policy.json"), S3_TRUST);
    cli.ok("iam", "update-assume-role-policy", "--role-name", "ec2-role", "--policy-document", "file://trust-policy.json");
    retryFailed(source);
    await("a.txt completes", () -> "COMPLETED".equals(status(cli, source, "a.txt")));
    assertEquals("REPLICA", status(cli, destination, "a.txt"));
  }

  @Test
  void aRoleThatDoesNotExistFailsUntilItIsCreated() throws Exception {
    String source = "norole-src";
    String destination = "norole-dst";
    AwsCli cli = buckets(source, destination, "us-west-2", "missing-role");
    upload(cli, source, "b.txt");
    await("b.txt fails", () -> "FAILED".equals(status(cli, source, "b.txt")));
    String reason = failures(source, destination).get(0).path("reason").asText();
    assertTrue(reason.startsWith("AssumeRoleNotPermitted") && reason.contains("does not exist"), reason);

    Files.writeString(dir.resolve("trust-policy.json"), S3_TRUST);
    cli.ok("iam", "create-role", "--role-name", "missing-role", "--assume-role-policy-document", "file://trust-policy.json");
    cli.ok("iam", "attach-role-policy", "--role-name", "missing-role", "--policy-arn",
        "arn:aws:iam::aws:policy/AmazonS3FullAccess"); // a managed policy serves as well as an inline one
    retryFailed(source);
    await("b.txt completes", () -> "COMPLETED".equals(status(cli, source, "b.txt")));
  }
}
