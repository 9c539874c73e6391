package dev.meridian.api.ops;

import dev.meridian.api.ApiSettings;
import dev.meridian.api.Bodies;
import dev.meridian.api.ErrorResponses;
import dev.meridian.api.xml.ObjectXml;
import dev.meridian.api.xml.S3Xml;
import dev.meridian.api.Responses;
import dev.meridian.api.S3Call;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.bucket.BucketInfo;
import dev.meridian.cluster.bucket.Versioning;
import dev.meridian.cluster.object.EtagMatch;
import dev.meridian.persistence.BlobStore;
import dev.meridian.persistence.ObjectMeta;
import dev.meridian.persistence.ObjectVersion;
import dev.meridian.persistence.VersionIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/** PutObject, GetObject, HeadObject, DeleteObject. */
public final class ObjectOps {

  private final BucketService buckets;
  private final ApiSettings settings;
  private final Materializer mat;

  public ObjectOps(BucketService buckets, ApiSettings settings, Materializer mat) {
    this.buckets = buckets;
    this.settings = settings;
    this.mat = mat;
  }

  // ---- PutObject ----

  public CompletionStage<HttpResponse> putObject(S3Call call) {
    ObjectHeaders.validateKey(call.key());
    BodyReceiver.Expectation expect = BodyReceiver.expect(call, settings.maxPutSize());
    ObjectHeaders.fromRequest(call, Map.of()); // validate metadata before reading the body
    String ifMatch = call.headerOrNull("If-Match");
    boolean ifNoneMatchAny = ifNoneMatchStar(call);
    return BucketOps.bucketOf(buckets, call).thenCompose(bucket ->
        precheckWrite(buckets, bucket, call.key(), ifMatch, ifNoneMatchAny).thenCompose(checked ->
        BodyReceiver.receive(buckets, call, bucket, expect, true)).thenCompose(r -> {
          ObjectMeta meta = ObjectHeaders.fromRequest(call, r.checksums());
          ObjectVersion draft = new ObjectVersion(call.key(), null, 0, false, r.blob().size(), r.md5Hex(), 0, r.blob(), meta);
          return buckets.commit(bucket, draft, ifMatch, ifNoneMatchAny).thenApply(v -> putResponse(bucket, v));
        }));
  }

  /** x-amz-version-id, which S3 sends for writes to buckets that have (or had) versioning enabled. */
  static HttpResponse withVersionHeader(HttpResponse r, BucketInfo bucket, ObjectVersion v) {
    return bucket.versioning() == Versioning.UNVERSIONED ? r : r.addHeader(RawHeader.create("x-amz-version-id", v.versionId()));
  }

  static HttpResponse putResponse(BucketInfo bucket, ObjectVersion v) {
    HttpResponse r = withVersionHeader(Responses.ok().addHeader(RawHeader.create("ETag", Responses.quoted(v.etag()))), bucket, v);
    for (Map.Entry<String, String> c : v.meta().checksums().entrySet()) {
      r = r.addHeader(RawHeader.create("x-amz-checksum-" + c.getKey().toLowerCase(), c.getValue()));
    }
    return r;
  }

  /**
   * Checks a conditional write's precondition before its body is taken (no bytes are stored for a write
   * that cannot succeed): If-None-Match * against a live object is 412; If-Match against no object is
   * NoSuchKey, against another ETag 412. The partition checks again at commit, where a key that was
   * deleted meanwhile makes an If-Match write 409 ConditionalRequestConflict, as S3 answers such a race.
   */
  static CompletionStage<Void> precheckWrite(BucketService buckets, BucketInfo bucket, String key, String ifMatch,
      boolean ifNoneMatchAny) {
    if (ifMatch == null && !ifNoneMatchAny) return CompletableFuture.completedFuture(null);
    return buckets.version(bucket, key, null).thenAccept(found -> {
      var live = found.filter(v -> !v.deleteMarker());
      if (ifNoneMatchAny && live.isPresent()) {
        throw new S3Exception(S3Error.PreconditionFailed).with("Condition", "If-None-Match");
      }
      if (ifMatch != null && live.isEmpty()) throw new S3Exception(S3Error.NoSuchKey).with("Key", key);
      if (ifMatch != null && !EtagMatch.matches(ifMatch, live.get().etag())) {
        throw new S3Exception(S3Error.PreconditionFailed).with("Condition", "If-Match");
      }
    });
  }

  static boolean ifNoneMatchStar(S3Call call) {
    String v = call.headerOrNull("If-None-Match");
    if (v == null) return false;
    if (!v.trim().equals("*")) throw new S3Exception(S3Error.NotImplemented, "If-None-Match on PUT supports only *");
    return true;
  }

  // ---- GetObject / HeadObject ----

  public CompletionStage<HttpResponse> getObject(S3Call call) {
    return read(call, false);
  }

  public CompletionStage<HttpResponse> headObject(S3Call call) {
    return read(call, true);
  }

  /** The {@code versionId} query parameter, if any; one that no version could have is InvalidArgument. */
  static String versionIdParam(S3Call call) {
    String versionId = call.param("versionId");
    if (versionId != null && !VersionIds.isWellFormed(versionId)) {
      throw new S3Exception(S3Error.InvalidArgument, "Invalid version id specified")
          .with("ArgumentName", "versionId").with("ArgumentValue", versionId);
    }
    return versionId;
  }

  private CompletionStage<HttpResponse> read(S3Call call, boolean head) {
    String versionId = versionIdParam(call);
    return BucketOps.bucketOf(buckets, call).thenCompose(bucket ->
        buckets.version(bucket, call.key(), versionId).thenCompose(found -> {
          boolean versioned = bucket.versioning() != Versioning.UNVERSIONED;
          ObjectVersion v = found.orElseThrow(() -> versionId != null
              ? new S3Exception(S3Error.NoSuchVersion).with("Key", call.key()).with("VersionId", versionId)
              : new S3Exception(S3Error.NoSuchKey).with("Key", call.key()));
          if (v.deleteMarker()) throw deleteMarker(call, v, versionId != null);
          HttpResponse notModified = Conditions.check(call, v);
          if (notModified != null) return CompletableFuture.completedFuture(notModified);
          return part(call, bucket, v).thenCombine(buckets.replicationStatus(bucket, v), (part, status) -> {
            HttpResponse r = respond(call, bucket, v, versioned, head, part);
            return status == null ? r : r.addHeader(RawHeader.create("x-amz-replication-status", status));
          });
        }));
  }

  /** The byte range of part {@code partNumber}, and how many parts the object has (null: no partNumber). */
  private record Part(Ranges.Range range, int count, boolean multipart) {}

  /**
   * GetObject/HeadObject with {@code partNumber}: a ranged read of that part (an object not uploaded in
   * parts has one part, itself). A part beyond the last is 416 InvalidPartNumber.
   */
  private CompletionStage<Part> part(S3Call call, BucketInfo bucket, ObjectVersion v) {
    String param = call.param("partNumber");
    if (param == null) return CompletableFuture.completedFuture(null);
    int number = MultipartOps.partNumber(param);
    if (call.headerOrNull("Range") != null) {
      throw new S3Exception(S3Error.InvalidRequest, "Cannot specify both Range header and partNumber query parameter");
    }
    return buckets.partSizes(bucket, v).thenApply(sizes -> {
      if (number > sizes.size()) throw new S3Exception(S3Error.InvalidPartNumber).with("PartNumberRequested", param)
          .with("ActualPartCount", Integer.toString(sizes.size()));
      long first = 0;
      for (int i = 0; i < number - 1; i++) first += sizes.get(i);
      long size = sizes.get(number - 1);
      return new Part(size == 0 ? null : new Ranges.Range(first, first + size - 1), sizes.size(),
          v.blob() != null && v.blob().isManifest());
    });
  }

  private static S3Exception deleteMarker(S3Call call, ObjectVersion marker, boolean byVersion) {
    S3Exception e = byVersion ? new S3Exception(S3Error.MethodNotAllowed).with("Method", call.method())
        .with("ResourceType", "DeleteMarker") : new S3Exception(S3Error.NoSuchKey).with("Key", call.key());
    return e.withHeader("x-amz-delete-marker", "true").withHeader("x-amz-version-id", marker.versionId())
        .withHeader("Last-Modified", Responses.httpDate(marker.lastModifiedMillis()));
  }

  private HttpResponse respond(S3Call call, BucketInfo bucket, ObjectVersion v, boolean versioned, boolean head,
      Part part) {
    HttpResponse r = Responses.ok().addHeaders(ObjectHeaders.responseHeaders(call, v, versioned));
    var contentType = ObjectHeaders.responseContentType(call, v);
    long size = v.size();
    Ranges.Range range = part != null ? part.range() : Ranges.parse(call.headerOrNull("Range"), size);
    if (part != null && part.multipart()) {
      r = r.addHeader(RawHeader.create("x-amz-mp-parts-count", Integer.toString(part.count())));
    }
    long first = 0;
    long last = size - 1;
    if (range != null) {
      first = range.first();
      last = range.last();
      r = r.withStatus(StatusCodes.PARTIAL_CONTENT)
          .addHeader(RawHeader.create("Content-Range", "bytes " + first + "-" + last + "/" + size));
    }
    long length = last - first + 1;
    if (length <= 0) return r.withEntity(HttpEntities.create(contentType, new byte[0]));
    if (!head && v.blob().isInline()) {
      // A small object's bytes are at hand: a strict entity, no stream to run per response.
      return r.withEntity(HttpEntities.create(contentType, BlobStore.inlineBytes(v.blob(), first, last)));
    }
    Source<ByteString, ?> data = head ? Source.empty() : buckets.read(bucket, v, first, last);
    return r.withEntity(HttpEntities.create(contentType, length, data));
  }

  // ---- DeleteObject ----

  public CompletionStage<HttpResponse> deleteObject(S3Call call) {
    String versionId = versionIdParam(call);
    return BucketOps.bucketOf(buckets, call)
        .thenCompose(bucket -> buckets.deleteObject(bucket, call.key(), versionId))
        .thenApply(outcome -> {
          HttpResponse r = Responses.noContent();
          if (outcome.versionId() != null) r = r.addHeader(RawHeader.create("x-amz-version-id", outcome.versionId()));
          if (outcome.deleteMarker()) r = r.addHeader(RawHeader.create("x-amz-delete-marker", "true"));
          return r;
        });
  }

  // ---- DeleteObjects ----

  private static final int MAX_DELETE_OBJECTS = 1000;

  /**
   * DeleteObjects: up to 1000 keys (optionally versions) in one request, deleted with bounded parallelism;
   * each key succeeds or fails on its own. Quiet mode reports only the failures.
   */
  /**
   * DeleteObjects. {@code permitted} says whether the caller may delete a key (version id or null): a key it
   * may not delete is reported as an AccessDenied error in the result, as S3 does, and the others go on.
   */
  public CompletionStage<HttpResponse> deleteObjects(S3Call call,
      java.util.function.BiFunction<String, String, CompletionStage<Boolean>> permitted) {
    return BucketOps.bucketOf(buckets, call).thenCompose(bucket -> Bodies.small(call, mat, 2 * 1024 * 1024)
        .thenCompose(body -> {
          var doc = S3Xml.read(body, ObjectXml.Delete.class);
          if (doc.objects == null || doc.objects.isEmpty() || doc.objects.size() > MAX_DELETE_OBJECTS) {
            throw new S3Exception(S3Error.MalformedXML);
          }
          boolean quiet = Boolean.TRUE.equals(doc.quiet);
          return Source.from(doc.objects)
              .mapAsync(8, o -> o.key == null || o.key.isEmpty() ? deleteOne(bucket, o)
                  : permitted.apply(o.key, o.versionId).thenCompose(ok -> ok ? deleteOne(bucket, o)
                      : CompletableFuture.<Object>completedFuture(new ObjectXml.DeleteError(o.key, o.versionId,
                          S3Error.AccessDenied.name(), S3Error.AccessDenied.message))))
              .runWith(Sink.seq(), mat)
              .thenApply(results -> {
                List<ObjectXml.Deleted> deleted = new ArrayList<>();
                List<ObjectXml.DeleteError> errors = new ArrayList<>();
                for (Object r : results) {
                  if (r instanceof ObjectXml.Deleted d) {
                    if (!quiet) deleted.add(d);
                  } else {
                    errors.add((ObjectXml.DeleteError) r);
                  }
                }
                return Responses.xml(new ObjectXml.DeleteResult(deleted, errors));
              });
        }));
  }

  private CompletionStage<Object> deleteOne(BucketInfo bucket, ObjectXml.ObjectIdentifier o) {
    if (o.key == null || o.key.isEmpty()) {
      return CompletableFuture.completedFuture(new ObjectXml.DeleteError(o.key, o.versionId, "InvalidArgument", "Key is required"));
    }
    if (o.versionId != null && !VersionIds.isWellFormed(o.versionId)) {
      return CompletableFuture.completedFuture(
          new ObjectXml.DeleteError(o.key, o.versionId, "NoSuchVersion", S3Error.NoSuchVersion.message));
    }
    return buckets.deleteObject(bucket, o.key, o.versionId).<Object>thenApply(out -> new ObjectXml.Deleted(o.key,
            o.versionId, out.deleteMarker() ? Boolean.TRUE : null,
            out.deleteMarker() && o.versionId == null ? out.versionId() : null))
        .exceptionally(e -> {
          S3Exception s3 = ErrorResponses.from(e);
          return new ObjectXml.DeleteError(o.key, o.versionId, s3.error.name(), s3.getMessage());
        });
  }
}
