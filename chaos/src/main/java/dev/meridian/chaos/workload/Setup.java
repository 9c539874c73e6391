package dev.meridian.chaos.workload;

import dev.meridian.chaos.history.BucketPlan;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteMarkerReplicationStatus;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;

/**
 * Creates the replication role (trusted by S3, allowed exactly the replication actions), then a plan's
 * buckets, each in its home region, with versioning enabled, then puts every source bucket's replication
 * configuration (S3's V2 schema: a filter, a priority and the delete marker status on every rule), through a
 * node of the bucket's home region.
 */
public final class Setup {

  static final String ROLE = "chaos-replication";
  private static final String TRUST = """
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
       "Action": "sts:AssumeRole"}]}""";
  private static final String PERMISSIONS = """
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "arn:aws:s3:::*/*",
       "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionTagging", "s3:ReplicateObject",
                  "s3:ReplicateDelete", "s3:ReplicateTags"]}]}""";

  private Setup() {}

  public static void create(BucketPlan plan, IamClient iam, Function<String, S3Client> clientOfRegion) {
    try {
      iam.createRole(r -> r.roleName(ROLE).assumeRolePolicyDocument(TRUST));
    } catch (EntityAlreadyExistsException e) {
      // a run against the same keyspaces again: the role is there already
    }
    iam.putRolePolicy(r -> r.roleName(ROLE).policyName("replicate").policyDocument(PERMISSIONS));
    for (BucketPlan.Bucket b : plan.buckets()) {
      S3Client s3 = clientOfRegion.apply(b.region());
      s3.createBucket(r -> {
        r.bucket(b.name());
        if (!b.region().equals("us-east-1")) r.createBucketConfiguration(c -> c.locationConstraint(b.region()));
      });
      s3.putBucketVersioning(r -> r.bucket(b.name()).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }
    for (BucketPlan.Bucket b : plan.buckets()) {
      List<BucketPlan.Rule> rules = plan.rulesFrom(b.name());
      if (rules.isEmpty()) continue;
      List<ReplicationRule> wire = rules.stream().map(r -> ReplicationRule.builder()
          .id(r.id()).priority(r.priority()).status(ReplicationRuleStatus.ENABLED)
          .filter(f -> f.prefix(r.prefix()))
          .deleteMarkerReplication(d -> d.status(r.deleteMarkers() ? DeleteMarkerReplicationStatus.ENABLED
              : DeleteMarkerReplicationStatus.DISABLED))
          .destination(d -> d.bucket("arn:aws:s3:::" + r.destination()))
          .build()).toList();
      clientOfRegion.apply(b.region()).putBucketReplication(r -> r.bucket(b.name())
          .replicationConfiguration(c -> c.role("arn:aws:iam::000000000000:role/" + ROLE).rules(wire)));
    }
  }
}
