package dev.meridian.api.access;

import dev.meridian.api.S3Call;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.Result;
import dev.meridian.cluster.StoreError;
import dev.meridian.cluster.bucket.BucketInfo;
import dev.meridian.cluster.iam.IamDirectory;
import dev.meridian.cluster.policy.Identity;
import dev.meridian.cluster.policy.Policy;
import dev.meridian.cluster.policy.PolicyEvaluator;
import dev.meridian.cluster.policy.PolicyException;
import dev.meridian.cluster.policy.PolicyParser;
import dev.meridian.cluster.policy.RequestContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether the caller of an S3 request may do it, before the operation runs (so nothing is read or
 * written for a refused request, and a refused upload's body is never taken). The root credentials may do
 * everything. Anyone else needs every permission {@link S3Actions} lists for the operation, each evaluated
 * as AWS does within one account: the caller's identity policies together with the policy of the bucket
 * the permission is about; an explicit Deny in either wins, an Allow in either grants, nothing denies.
 * A refusal is checked once more against freshly read policies before it is answered with AccessDenied,
 * so a grant made a moment ago on another node is not refused from a cache.
 */
public final class S3Authorizer {

  private static final Logger log = LoggerFactory.getLogger(S3Authorizer.class);
  private static final int MAX_PARSED = 1000;

  private final BucketService buckets;
  private final IamDirectory iam;
  /** Bucket policies parsed, by text (a bucket's policy changes rarely; a changed text is a new entry). */
  private final Map<String, Policy> parsed = new ConcurrentHashMap<>();

  public S3Authorizer(BucketService buckets) {
    this.buckets = buckets;
    this.iam = buckets == null ? null : buckets.iamDirectory(); // null in router tests that never authorize
  }

  /** Completes when the call may run {@code operation}; fails with AccessDenied otherwise. */
  public CompletionStage<Void> authorize(String operation, S3Call call) {
    if (call.identity().isRoot()) return CompletableFuture.completedFuture(null);
    List<S3Actions.Need> needs = S3Actions.of(operation, call);
    CompletionStage<Void> all = CompletableFuture.completedFuture(null);
    for (S3Actions.Need need : needs) {
      all = all.thenCompose(x -> allowed(call, need)).thenAccept(ok -> {
        if (!ok) throw new S3Exception(S3Error.AccessDenied);
      });
    }
    return all;
  }

  /** Whether the caller has one permission (the root always has). */
  public CompletionStage<Boolean> allowed(S3Call call, S3Actions.Need need) {
    Identity who = call.identity();
    if (who.isRoot()) return CompletableFuture.completedFuture(true);
    Map<String, List<String>> keys = S3RequestKeys.of(call, iam.accountId());
    return bucket(need.bucket()).thenCompose(bucket -> {
      Policy bucketPolicy = bucket == null || bucket.policy() == null ? null : parse(bucket.policy());
      return decide(who, bucket, bucketPolicy, need, call, keys, false).thenCompose(decision -> {
        if (decision.allowed()) return CompletableFuture.completedFuture(true);
        return decide(who, bucket, bucketPolicy, need, call, keys, true).thenApply(fresh -> {
          if (!fresh.allowed()) {
            log.debug("{} {} on {} by {}: {}", call.requestId(), need.action(), need.resource(), who.arn(), fresh);
          }
          return fresh.allowed();
        });
      });
    });
  }

  private CompletionStage<PolicyEvaluator.Decision> decide(Identity who, BucketInfo bucket, Policy bucketPolicy,
      S3Actions.Need need, S3Call call, Map<String, List<String>> keys, boolean fresh) {
    CompletionStage<List<Policy>> identityPolicies = who.kind() == Identity.Kind.USER
        ? iam.userPolicies(who.name(), fresh) : CompletableFuture.completedFuture(List.of());
    return identityPolicies.thenCompose(policies -> existingTags(policies, bucketPolicy, bucket, need, call).thenApply(tags -> {
      Map<String, List<String>> all = new HashMap<>(keys);
      tags.forEach((k, v) -> all.put("s3:ExistingObjectTag/" + k, List.of(v)));
      RequestContext ctx = new RequestContext(who, need.action(), need.resource(), all);
      return PolicyEvaluator.evaluate(policies, bucketPolicy, ctx);
    }));
  }

  /**
   * The tags of the object a permission is about, when a policy tests {@code s3:ExistingObjectTag/<key>}
   * (read only then: most requests need no extra lookup); empty for a bucket, a missing object or a copy source.
   */
  private CompletionStage<Map<String, String>> existingTags(List<Policy> policies, Policy bucketPolicy, BucketInfo bucket,
      S3Actions.Need need, S3Call call) {
    boolean sameObject = need.key() != null && need.key().equals(call.key()) && need.bucket().equals(call.bucket());
    if (bucket == null || !sameObject || !(testsExistingTags(bucketPolicy) || policies.stream().anyMatch(S3Authorizer::testsExistingTags))) {
      return CompletableFuture.completedFuture(Map.of());
    }
    return buckets.version(bucket, need.key(), call.param("versionId"))
        .thenApply(v -> v.filter(x -> !x.deleteMarker() && x.meta() != null).map(x -> x.meta().tags()).orElse(Map.of()))
        .exceptionally(e -> Map.of());
  }

  private static boolean testsExistingTags(Policy p) {
    if (p == null) return false;
    for (Policy.Statement s : p.statements()) {
      for (Policy.Condition c : s.conditions()) if (c.key().startsWith("s3:existingobjecttag/")) return true;
    }
    return false;
  }

  /** The bucket a permission is about; null when none is involved or it does not exist. */
  private CompletionStage<BucketInfo> bucket(String name) {
    if (name == null) return CompletableFuture.completedFuture(null);
    return buckets.bucket(name).handle((info, err) -> {
      if (err != null) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof Result.StoreException se && se.error == StoreError.NO_SUCH_BUCKET) return null;
        throw err instanceof CompletionException ce ? ce : new CompletionException(cause);
      }
      return info;
    });
  }

  private Policy parse(String text) {
    Policy p = parsed.get(text);
    if (p != null) return p;
    try {
      p = PolicyParser.parse(text, PolicyParser.Kind.RESOURCE);
    } catch (PolicyException e) {
      // Stored before bucket policies were validated: it grants (and denies) nothing.
      log.warn("a stored bucket policy is not valid and is ignored: {}", e.getMessage());
      p = new Policy("2012-10-17", null, List.of());
    }
    if (parsed.size() >= MAX_PARSED) parsed.clear();
    parsed.put(text, p);
    return p;
  }
}
