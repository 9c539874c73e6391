package dev.meridian.api.ops;

import dev.meridian.api.Bodies;
import dev.meridian.api.Responses;
import dev.meridian.api.S3Call;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.api.xml.S3Xml;
import dev.meridian.api.xml.TaggingXml;
import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.bucket.BucketInfo;
import dev.meridian.cluster.bucket.BucketSetting;
import dev.meridian.persistence.ObjectVersion;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;

/**
 * Object tagging (Get/Put/DeleteObjectTagging, per version) and bucket tagging (Get/Put/DeleteBucketTagging).
 * An object's tags live in its version's metadata: changing them is an event of the key's partition, so
 * it is versioned, durable before the reply, and replicated to the version's replicas.
 */
public final class TaggingOps {

  private static final int MAX_XML = 64 * 1024;

  private final BucketService buckets;
  private final Materializer mat;

  public TaggingOps(BucketService buckets, Materializer mat) {
    this.buckets = buckets;
    this.mat = mat;
  }

  // ---- objects ----

  public CompletionStage<HttpResponse> getObjectTagging(S3Call call) {
    String versionId = ObjectOps.versionIdParam(call);
    return BucketOps.bucketOf(buckets, call).thenCompose(bucket ->
        buckets.version(bucket, call.key(), versionId).thenApply(found -> {
          ObjectVersion v = found.orElseThrow(() -> versionId != null
              ? new S3Exception(S3Error.NoSuchVersion).with("Key", call.key()).with("VersionId", versionId)
              : new S3Exception(S3Error.NoSuchKey).with("Key", call.key()));
          if (v.deleteMarker()) {
            throw versionId != null ? new S3Exception(S3Error.MethodNotAllowed).with("ResourceType", "DeleteMarker")
                : new S3Exception(S3Error.NoSuchKey).with("Key", call.key());
          }
          return ObjectOps.withVersionHeader(Responses.xml(TaggingXml.Tagging.of(v.meta().tags())), bucket, v);
        }));
  }

  public CompletionStage<HttpResponse> putObjectTagging(S3Call call) {
    String versionId = ObjectOps.versionIdParam(call);
    return BucketOps.bucketOf(buckets, call).thenCompose(bucket -> Bodies.small(call, mat, MAX_XML).thenCompose(body -> {
      Map<String, String> tags = Tags.fromXml(S3Xml.read(body, TaggingXml.Tagging.class), Tags.MAX_OBJECT_TAGS);
      return buckets.setTags(bucket, call.key(), versionId, tags).thenApply(v -> ObjectOps.withVersionHeader(Responses.ok(), bucket, v));
    }));
  }

  public CompletionStage<HttpResponse> deleteObjectTagging(S3Call call) {
    String versionId = ObjectOps.versionIdParam(call);
    return BucketOps.bucketOf(buckets, call).thenCompose(bucket ->
        buckets.setTags(bucket, call.key(), versionId, Map.of())
            .thenApply(v -> ObjectOps.withVersionHeader(Responses.noContent(), bucket, v)));
  }

  // ---- buckets ----

  public CompletionStage<HttpResponse> getBucketTagging(S3Call call) {
    return BucketOps.bucketOf(buckets, call).thenApply(bucket -> {
      if (bucket.tags().isEmpty()) throw new S3Exception(S3Error.NoSuchTagSet).with("BucketName", bucket.name());
      return Responses.xml(TaggingXml.Tagging.of(bucket.tags()));
    });
  }

  public CompletionStage<HttpResponse> putBucketTagging(S3Call call) {
    return BucketOps.bucketOf(buckets, call).thenCompose(bucket -> Bodies.small(call, mat, MAX_XML).thenCompose(body -> {
      Map<String, String> tags = Tags.fromXml(S3Xml.read(body, TaggingXml.Tagging.class), Tags.MAX_BUCKET_TAGS);
      return buckets.configure(bucket, new BucketSetting.Tagging(tags));
    })).thenApply(x -> Responses.noContent());
  }

  public CompletionStage<HttpResponse> deleteBucketTagging(S3Call call) {
    return BucketOps.bucketOf(buckets, call)
        .thenCompose(bucket -> buckets.configure(bucket, new BucketSetting.Tagging(Map.of())))
        .thenApply(x -> Responses.noContent());
  }
}
