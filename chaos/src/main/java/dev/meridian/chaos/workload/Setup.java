package dev.meridian.chaos.workload;

import dev.meridian.chaos.history.BucketPlan;
import dev.meridian.server.ReplicationRoleDocuments;
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

  private Setup() {}

  public static void create(BucketPlan plan, IamClient iam, Function<String, S3Client> clientOfRegion) {
    try {
      iam.createRole(r -> r.roleName(ROLE).assumeRolePolicyDocument(ReplicationRoleDocuments.TRUST_POLICY));
    } catch (EntityAlreadyExistsException e) {
      // a run against the same keyspaces again: the role is there already
    }
    iam.putRolePolicy(r -> r.roleName(ROLE).policyName("replicate")
        .policyDocument(ReplicationRoleDocuments.PERMISSIONS_POLICY));
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
