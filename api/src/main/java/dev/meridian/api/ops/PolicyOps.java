package dev.meridian.api.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.api.Bodies;
import dev.meridian.api.Responses;
import dev.meridian.api.S3Call;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.bucket.BucketSetting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;

/**
 * Get/Put/DeleteBucketPolicy. The policy is checked for shape (a JSON object with a Statement, within
 * S3's 20 KB limit), stored in the bucket's entity and returned as sent; the access-control layer
 * evaluates it.
 */
public final class PolicyOps {

  static final int MAX_POLICY_BYTES = 20 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

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
        .thenCompose(body -> buckets.configure(bucket, new BucketSetting.Policy(validated(body)))))
        .thenApply(x -> Responses.noContent());
  }

  public CompletionStage<HttpResponse> deleteBucketPolicy(S3Call call) {
    return BucketOps.bucketOf(buckets, call)
        .thenCompose(bucket -> buckets.configure(bucket, new BucketSetting.Policy(null)))
        .thenApply(x -> Responses.noContent());
  }

  static String validated(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    if (!text.stripLeading().startsWith("{")) throw new S3Exception(S3Error.MalformedPolicy);
    JsonNode doc;
    try {
      doc = JSON.readTree(text);
    } catch (IOException e) {
      throw new S3Exception(S3Error.MalformedPolicy);
    }
    JsonNode statement = doc.get("Statement");
    if (statement == null || !(statement.isArray() || statement.isObject())) {
      throw new S3Exception(S3Error.MalformedPolicy, "Missing required field Statement");
    }
    return text;
  }
}
