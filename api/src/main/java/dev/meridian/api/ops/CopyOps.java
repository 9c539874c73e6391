package dev.meridian.api.ops;

import dev.meridian.api.Addressing;
import dev.meridian.api.Responses;
import dev.meridian.api.S3Call;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.api.xml.ObjectXml;
import dev.meridian.api.xml.S3Xml;
import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.bucket.BucketInfo;
import dev.meridian.cluster.object.EtagMatch;
import dev.meridian.persistence.MultipartStore;
import dev.meridian.persistence.ObjectMeta;
import dev.meridian.persistence.ObjectVersion;
import dev.meridian.persistence.VersionIds;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * CopyObject and UploadPartCopy: the source is read through its bucket's region and streamed into a new
 * blob of the destination's region, within a bucket, across buckets, or across regions. Metadata is
 * copied unless {@code x-amz-metadata-directive: REPLACE}; the {@code x-amz-copy-source-if-*} conditions
 * are checked against the source.
 */
public final class CopyOps {

  /** A parsed x-amz-copy-source: bucket, key and optional version id. */
  public record CopySource(String bucket, String key, String versionId) {}

  private final BucketService buckets;

  public CopyOps(BucketService buckets) {
    this.buckets = buckets;
  }

  public CompletionStage<HttpResponse> copyObject(S3Call call) {
    ObjectHeaders.validateKey(call.key());
    CopySource src = parseSource(call.headerOrNull("x-amz-copy-source"));
    String directive = call.header("x-amz-metadata-directive").orElse("COPY");
    if (!directive.equals("COPY") && !directive.equals("REPLACE")) {
      throw new S3Exception(S3Error.InvalidArgument, "Unknown metadata directive.")
          .with("ArgumentName", "x-amz-metadata-directive").with("ArgumentValue", directive);
    }
    boolean replace = directive.equals("REPLACE");
    String taggingDirective = call.header("x-amz-tagging-directive").orElse("COPY");
    if (!taggingDirective.equals("COPY") && !taggingDirective.equals("REPLACE")) {
      throw new S3Exception(S3Error.InvalidArgument, "Unknown tagging directive.")
          .with("ArgumentName", "x-amz-tagging-directive").with("ArgumentValue", taggingDirective);
    }
    boolean replaceTags = taggingDirective.equals("REPLACE");
    Map<String, String> requestedTags = Tags.fromHeader(call.headerOrNull("x-amz-tagging"));
    ObjectMeta requested = replace ? ObjectHeaders.fromRequest(call, Map.of()) : null;
    boolean sameObject = src.bucket().equals(call.bucket()) && src.key().equals(call.key());
    if (sameObject && !replace && !replaceTags && call.header("x-amz-storage-class").isEmpty()) {
      throw new S3Exception(S3Error.InvalidRequest, "This copy request is illegal because it is trying to copy an "
          + "object to itself without changing the object's metadata, storage class, website redirect location or "
          + "encryption attributes.");
    }
    return source(call, src).thenCompose(source -> BucketOps.bucketOf(buckets, call).thenCompose(dest -> {
      ObjectVersion v = source.version();
      ObjectMeta meta = (replace ? requested : withStorageClass(v.meta(), call))
          .withTags(replaceTags ? requestedTags : v.meta().tags(), 0L);
      return copyBytes(dest, call.key(), source.bucket(), v, 0, v.size() - 1, true).thenCompose(r -> {
        ObjectVersion draft = new ObjectVersion(call.key(), null, 0, false, r.blob().size(), r.md5Hex(), 0, r.blob(), meta);
        return buckets.commit(dest, draft, null, false);
      }).thenApply(copy -> {
        HttpResponse resp = Responses.xml(new ObjectXml.CopyObjectResult(S3Xml.timestamp(copy.lastModifiedMillis()),
            Responses.quoted(copy.etag())));
        resp = ObjectOps.withVersionHeader(resp, dest, copy);
        if (source.versioned()) resp = resp.addHeader(RawHeader.create("x-amz-copy-source-version-id", v.versionId()));
        return resp;
      });
    }));
  }

  public CompletionStage<HttpResponse> uploadPartCopy(S3Call call) {
    int number = MultipartOps.partNumber(call.param("partNumber"));
    CopySource src = parseSource(call.headerOrNull("x-amz-copy-source"));
    String rangeHeader = call.headerOrNull("x-amz-copy-source-range");
    return source(call, src).thenCompose(source -> BucketOps.bucketOf(buckets, call).thenCompose(dest ->
        buckets.upload(dest, call.key(), call.param("uploadId")).thenCompose(upload -> {
          ObjectVersion v = source.version();
          long first = 0;
          long last = v.size() - 1;
          if (rangeHeader != null) {
            Ranges.Range range = Ranges.parse(rangeHeader, v.size());
            if (range == null || !rangeHeader.trim().matches("bytes=\\d+-\\d+")) {
              throw new S3Exception(S3Error.InvalidArgument, "The x-amz-copy-source-range value must be of the form "
                  + "bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
            }
            first = range.first();
            last = range.last();
          }
          if (last - first + 1 > MultipartOps.MAX_PART_SIZE) throw new S3Exception(S3Error.EntityTooLarge);
          return copyBytes(dest, call.key(), source.bucket(), v, first, last, false).thenCompose(r -> {
            var part = new MultipartStore.Part(number, r.md5Hex(), r.blob().size(), r.blob(), System.currentTimeMillis(), null);
            return buckets.putPart(dest, upload, part).thenApply(x -> Responses.xml(new ObjectXml.CopyPartResult(
                S3Xml.timestamp(part.lastModifiedMillis()), Responses.quoted(part.etag()))));
          });
        })));
  }

  /** The copy source's version, checked against the x-amz-copy-source-if-* headers. */
  private record SourceVersion(BucketInfo bucket, ObjectVersion version, boolean versioned) {}

  private CompletionStage<SourceVersion> source(S3Call call, CopySource src) {
    return buckets.bucket(src.bucket()).thenCompose(srcBucket ->
        buckets.version(srcBucket, src.key(), src.versionId()).thenApply(found -> {
          ObjectVersion v = found.orElseThrow(() -> src.versionId() != null
              ? new S3Exception(S3Error.NoSuchVersion).with("Key", src.key()).with("VersionId", src.versionId())
              : new S3Exception(S3Error.NoSuchKey).with("Key", src.key()));
          if (v.deleteMarker()) {
            throw src.versionId() != null ? new S3Exception(S3Error.InvalidRequest,
                "The source of a copy request may not specifically refer to a delete marker by version id.")
                : new S3Exception(S3Error.NoSuchKey).with("Key", src.key());
          }
          checkConditions(call, v);
          return new SourceVersion(srcBucket, v, !srcBucket.versioning().name().equals("UNVERSIONED"));
        }));
  }

  private static void checkConditions(S3Call call, ObjectVersion v) {
    long modified = v.lastModifiedMillis() / 1000;
    String ifMatch = call.headerOrNull("x-amz-copy-source-if-match");
    String ifNoneMatch = call.headerOrNull("x-amz-copy-source-if-none-match");
    Instant unmodifiedSince = Conditions.date(call.headerOrNull("x-amz-copy-source-if-unmodified-since"));
    Instant modifiedSince = Conditions.date(call.headerOrNull("x-amz-copy-source-if-modified-since"));
    if (ifMatch != null && !EtagMatch.matches(ifMatch, v.etag())) throw failed("x-amz-copy-source-If-Match");
    if (ifMatch == null && unmodifiedSince != null && modified > unmodifiedSince.getEpochSecond()) {
      throw failed("x-amz-copy-source-If-Unmodified-Since");
    }
    if (ifNoneMatch != null && EtagMatch.matches(ifNoneMatch, v.etag())) throw failed("x-amz-copy-source-If-None-Match");
    if (ifNoneMatch == null && modifiedSince != null && modified <= modifiedSince.getEpochSecond()) {
      throw failed("x-amz-copy-source-If-Modified-Since");
    }
  }

  private static S3Exception failed(String condition) {
    return new S3Exception(S3Error.PreconditionFailed).with("Condition", condition);
  }

  /**
   * Streams bytes [first, last] of a source version into the destination bucket's region: a whole object
   * ({@code wholeObject}: CopyObject) may be kept inline when small, a part is always a blob.
   */
  private CompletionStage<BodyReceiver.Received> copyBytes(BucketInfo dest, String key, BucketInfo srcBucket,
      ObjectVersion v, long first, long last, boolean wholeObject) {
    Digests digests = Digests.none();
    Source<ByteString, ?> data = buckets.read(srcBucket, v, first, last).map(digests::update);
    var stored = wholeObject ? buckets.writeObject(dest, key, last - first + 1, data) : buckets.writeBlob(dest, key, data);
    return stored
        .thenApply(blob -> new BodyReceiver.Received(blob, digests.md5Hex(), digests.md5(), Map.of()));
  }

  private static ObjectMeta withStorageClass(ObjectMeta m, S3Call call) {
    String sc = call.headerOrNull("x-amz-storage-class");
    if (sc == null) return m;
    if (!ObjectHeaders.STORAGE_CLASSES.contains(sc)) throw new S3Exception(S3Error.InvalidStorageClass);
    return new ObjectMeta(m.contentType(), m.contentEncoding(), m.contentDisposition(), m.contentLanguage(),
        m.cacheControl(), m.expires(), m.userMetadata(), sc, m.checksums(), m.tags());
  }

  /** Parses {@code [/]bucket/key[?versionId=id]}, URL-encoded as clients send it. */
  public static CopySource parseSource(String header) {
    if (header == null || header.isBlank()) throw new S3Exception(S3Error.InvalidArgument, "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
    String h = header.trim();
    String versionId = null;
    int q = h.indexOf('?');
    if (q >= 0) {
      String query = h.substring(q + 1);
      h = h.substring(0, q);
      for (String kv : query.split("&")) {
        if (kv.startsWith("versionId=")) versionId = Addressing.decode(kv.substring("versionId=".length()), false);
      }
      if (versionId != null && !VersionIds.isWellFormed(versionId)) {
        throw new S3Exception(S3Error.InvalidArgument, "Invalid version id specified");
      }
    }
    String path = Addressing.decode(h, false);
    if (path.startsWith("/")) path = path.substring(1);
    int slash = path.indexOf('/');
    if (slash <= 0 || slash == path.length() - 1) {
      throw new S3Exception(S3Error.InvalidArgument, "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
          .with("ArgumentName", "x-amz-copy-source").with("ArgumentValue", header);
    }
    return new CopySource(path.substring(0, slash), path.substring(slash + 1), versionId);
  }
}
