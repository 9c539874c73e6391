package dev.meridian.api.ops;

import dev.meridian.api.Bodies;
import dev.meridian.api.Responses;
import dev.meridian.api.S3Call;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.bucket.BucketSetting;
import dev.meridian.cluster.policy.Glob;
import dev.meridian.cluster.policy.Policy;
import dev.meridian.cluster.policy.PolicyException;
import dev.meridian.cluster.policy.PolicyParser;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;

/**
 * Get/Put/DeleteBucketPolicy. The policy is validated as S3 does (a policy with principals, S3 actions and
 * this bucket's resources, within S3's 20 KB limit), stored in the bucket's entity and returned as sent;
 * {@code access/S3Authorizer} enforces it.
 */
public final class PolicyOps {

  static final int MAX_POLICY_BYTES = 20 * 1024;

  private final BucketService buckets;
  private final Materializer mat;

  public PolicyOps(BucketService buckets, Materializer mat) {
    this.buckets = buckets;
    this.mat = mat;
  }

  public CompletionStage<HttpResponse> getBucketPolicy(S3Call call) {
    return BucketOps.bucketOf(buckets, call).thenApply(bucket -> {
      if (bucket.policy() == null) throw new S3Exception(S3Error.NoSuchBucketPolicy).with("BucketName", bucket.name());
      return Responses.ok().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, bucket.policy()));
    });
  }

  public CompletionStage<HttpResponse> putBucketPolicy(S3Call call) {
    return BucketOps.bucketOf(buckets, call).thenCompose(bucket -> Bodies.small(call, mat, MAX_POLICY_BYTES,
            () -> new S3Exception(S3Error.MalformedPolicy, "Policy exceeds the maximum allowed document size."))
        .thenCompose(body -> buckets.configure(bucket, new BucketSetting.Policy(validated(body, bucket.name())))))
        .thenApply(x -> Responses.noContent());
  }

  public CompletionStage<HttpResponse> deleteBucketPolicy(S3Call call) {
    return BucketOps.bucketOf(buckets, call)
        .thenCompose(bucket -> buckets.configure(bucket, new BucketSetting.Policy(null)))
        .thenApply(x -> Responses.noContent());
  }

  /**
   * The policy text when S3 would accept it for {@code bucket}: valid JSON starting with '{', a valid policy
   * with a Principal in every statement, S3 actions only, and resources of this bucket (MalformedPolicy
   * with S3's reason otherwise).
   */
  static String validated(byte[] body, String bucket) {
    String text = new String(body, StandardCharsets.UTF_8);
    if (!text.stripLeading().startsWith("{")) throw new S3Exception(S3Error.MalformedPolicy);
    Policy policy;
    try {
      policy = PolicyParser.parse(text, PolicyParser.Kind.RESOURCE);
    } catch (PolicyException e) {
      String m = e.getMessage();
      throw new S3Exception(S3Error.MalformedPolicy, m.startsWith("Syntax errors") ? "Invalid policy syntax." : m);
    }
    String bucketArn = "arn:aws:s3:::" + bucket;
    for (Policy.Statement s : policy.statements()) {
      for (String a : s.actions() != null ? s.actions() : s.notActions()) {
        if (!a.equals("*") && !a.toLowerCase(java.util.Locale.ROOT).startsWith("s3:")) {
          throw new S3Exception(S3Error.MalformedPolicy, "Policy has invalid action");
        }
      }
      for (String r : s.resources() != null ? s.resources() : s.notResources()) {
        boolean ours = r.equals("*") || Glob.matches(r, bucketArn) || r.startsWith(bucketArn + "/")
            || Glob.matches(r, bucketArn + "/x");
        if (!ours) throw new S3Exception(S3Error.MalformedPolicy, "Policy has invalid resource");
      }
    }
    return text;
  }
}
