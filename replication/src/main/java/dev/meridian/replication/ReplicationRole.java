package dev.meridian.replication;

import dev.meridian.cluster.bucket.BucketInfo;
import dev.meridian.cluster.iam.IamDirectory;
import dev.meridian.cluster.policy.Identity;
import dev.meridian.cluster.policy.Policy;
import dev.meridian.cluster.policy.PolicyEvaluator;
import dev.meridian.cluster.policy.PolicyException;
import dev.meridian.cluster.policy.PolicyParser;
import dev.meridian.cluster.policy.RequestContext;
import dev.meridian.persistence.ObjectVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Replication acts with the role its configuration names, as S3 does: before a version is copied, the role
 * must exist in this account, its trust policy must let {@code s3.amazonaws.com} assume it
 * ({@code sts:AssumeRole}), and its permissions policies (with the source and destination buckets'
 * policies, whose explicit Deny wins) must allow what the copy does. When they do not, the version goes
 * FAILED with one of S3's replication failure reasons, followed by what is missing:
 * <ul>
 *   <li>{@code AssumeRoleNotPermitted}: no role is named, the role does not exist, or its trust policy does
 *       not let S3 assume it;</li>
 *   <li>{@code SrcGetObjectNotPermitted}: neither {@code s3:GetObjectVersionForReplication} nor
 *       {@code s3:GetObjectVersion} on the source version ({@code arn:aws:s3:::source/key});</li>
 *   <li>{@code DstPutObjectNotPermitted}: no {@code s3:ReplicateObject} on {@code arn:aws:s3:::destination/key};</li>
 *   <li>{@code DstDelObjNotPermitted}: no {@code s3:ReplicateDelete} there, for a delete marker;</li>
 *   <li>{@code DstPutTaggingNotPermitted}: no {@code s3:ReplicateTags} there, for a version with tags.</li>
 * </ul>
 * The role is read through the node's {@link IamDirectory} cache; a refusal is confirmed against the store
 * before it is recorded, so a role fixed a moment ago (put-role-policy, then a retry job) is never refused
 * from a stale cache.
 */
final class ReplicationRole {

  static final String S3_SERVICE = "s3.amazonaws.com";

  /** What replication is about to do to the destination. */
  enum Purpose { COPY, TAGS }

  private final IamDirectory iam;

  ReplicationRole(IamDirectory iam) {
    this.iam = iam;
  }

  /**
   * Null when the source's replication role may replicate {@code v} to {@code destination}, else the
   * reason to record.
   */
  CompletionStage<String> refusal(BucketInfo source, ObjectVersion v, BucketInfo destination, Purpose purpose) {
    return refusal(source, v, destination, purpose, false).thenCompose(reason -> reason == null
        ? CompletableFuture.completedFuture(null) : refusal(source, v, destination, purpose, true));
  }

  private CompletionStage<String> refusal(BucketInfo source, ObjectVersion v, BucketInfo destination, Purpose purpose,
      boolean fresh) {
    String roleArn = source.replication() == null ? null : source.replication().role();
    String prefix = "arn:aws:iam::" + iam.accountId() + ":role/";
    if (roleArn == null || !roleArn.startsWith(prefix)) {
      return CompletableFuture.completedFuture("AssumeRoleNotPermitted: the replication role " + roleArn
          + " is not a role of account " + iam.accountId());
    }
    String name = roleArn.substring(roleArn.lastIndexOf('/') + 1);
    return iam.role(name, fresh).thenApply(found -> decide(found, roleArn, source, v, destination, purpose));
  }

  private static String decide(Optional<IamDirectory.RoleGrant> found, String roleArn, BucketInfo source,
      ObjectVersion v, BucketInfo destination, Purpose purpose) {
    if (found.isEmpty() || !found.get().role().arn().equals(roleArn)) {
      return "AssumeRoleNotPermitted: role " + roleArn + " does not exist";
    }
    IamDirectory.RoleGrant role = found.get();
    RequestContext assume = new RequestContext(Identity.service(S3_SERVICE), "sts:AssumeRole", roleArn, Map.of());
    if (role.trust() == null || !PolicyEvaluator.evaluate(List.of(), role.trust(), assume).allowed()) {
      return "AssumeRoleNotPermitted: the trust policy of role " + roleArn + " does not let " + S3_SERVICE + " assume it";
    }
    Identity acting = Identity.role(role.role().arn().split(":")[4], role.role().name(), role.role().arn(), role.role().id());
    Map<String, List<String>> keys = Map.of("aws:CurrentTime", List.of(Instant.now().toString()),
        "aws:EpochTime", List.of(Long.toString(Instant.now().getEpochSecond())), "s3:VersionId", List.of(v.versionId()));
    String sourceObject = "arn:aws:s3:::" + source.name() + "/" + v.key();
    String destObject = "arn:aws:s3:::" + destination.name() + "/" + v.key();
    Policy sourcePolicy = bucketPolicy(source);
    Policy destPolicy = bucketPolicy(destination);
    if (purpose == Purpose.COPY) {
      boolean read = allowed(role, sourcePolicy, new RequestContext(acting, "s3:GetObjectVersionForReplication", sourceObject, keys))
          || allowed(role, sourcePolicy, new RequestContext(acting, "s3:GetObjectVersion", sourceObject, keys));
      if (!read) {
        return "SrcGetObjectNotPermitted: role " + roleArn + " may not s3:GetObjectVersionForReplication on " + sourceObject;
      }
    }
    List<String[]> needs = new ArrayList<>();
    if (purpose == Purpose.TAGS) {
      needs.add(new String[] {"s3:ReplicateTags", "DstPutTaggingNotPermitted"});
    } else if (v.deleteMarker()) {
      needs.add(new String[] {"s3:ReplicateDelete", "DstDelObjNotPermitted"});
    } else {
      needs.add(new String[] {"s3:ReplicateObject", "DstPutObjectNotPermitted"});
      if (v.meta() != null && !v.meta().tags().isEmpty()) needs.add(new String[] {"s3:ReplicateTags", "DstPutTaggingNotPermitted"});
    }
    for (String[] need : needs) {
      if (!allowed(role, destPolicy, new RequestContext(acting, need[0], destObject, keys))) {
        return need[1] + ": role " + roleArn + " may not " + need[0] + " on " + destObject;
      }
    }
    return null;
  }

  private static boolean allowed(IamDirectory.RoleGrant role, Policy bucketPolicy, RequestContext ctx) {
    return PolicyEvaluator.evaluate(role.policies(), bucketPolicy, ctx).allowed();
  }

  private static Policy bucketPolicy(BucketInfo bucket) {
    if (bucket.policy() == null) return null;
    try {
      return PolicyParser.parse(bucket.policy(), PolicyParser.Kind.RESOURCE);
    } catch (PolicyException e) {
      return null; // stored before policies were validated: it neither grants nor denies
    }
  }
}
