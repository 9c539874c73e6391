package dev.meridian.api.ops;

import dev.meridian.api.ApiSettings;
import dev.meridian.api.Bodies;
import dev.meridian.api.Responses;
import dev.meridian.api.S3Call;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.api.xml.BucketXml;
import dev.meridian.api.xml.ListXml;
import dev.meridian.api.xml.MultipartXml;
import dev.meridian.api.xml.S3Xml;
import dev.meridian.cluster.BucketService;
import dev.meridian.persistence.MultipartStore;
import dev.meridian.persistence.ObjectMeta;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;

/**
 * Multipart upload: CreateMultipartUpload, UploadPart, CompleteMultipartUpload (S3's part rules and
 * {@code "<md5 of part md5s>-N"} ETag), AbortMultipartUpload, ListParts, ListMultipartUploads.
 */
public final class MultipartOps {

  static final int MAX_PART_NUMBER = 10_000;
  static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
  private static final int MAX_XML = 4 * 1024 * 1024;

  private final BucketService buckets;
  private final ApiSettings settings;
  private final Materializer mat;

  public MultipartOps(BucketService buckets, ApiSettings settings, Materializer mat) {
    this.buckets = buckets;
    this.settings = settings;
    this.mat = mat;
  }

  public CompletionStage<HttpResponse> createMultipartUpload(S3Call call) {
    ObjectHeaders.validateKey(call.key());
    ObjectMeta meta = ObjectHeaders.fromRequest(call, Map.of());
    String algorithm = call.headerOrNull("x-amz-checksum-algorithm");
    return BucketOps.bucketOf(buckets, call)
        .thenCompose(bucket -> buckets.createUpload(bucket, call.key(), meta, algorithm))
        .thenApply(u -> {
          HttpResponse r = Responses.xml(new MultipartXml.InitiateMultipartUploadResult(u.bucket(), u.key(), u.uploadId()));
          return algorithm == null ? r : r.addHeader(RawHeader.create("x-amz-checksum-algorithm", algorithm));
        });
  }

  public CompletionStage<HttpResponse> uploadPart(S3Call call) {
    int number = partNumber(call.param("partNumber"));
    BodyReceiver.Expectation expect = BodyReceiver.expect(call, MAX_PART_SIZE);
    return BucketOps.bucketOf(buckets, call).thenCompose(bucket ->
        buckets.upload(bucket, call.key(), call.param("uploadId")).thenCompose(upload ->
            BodyReceiver.receive(buckets, call, bucket, expect, false).thenCompose(r -> {
              String checksum = r.checksums().values().stream().findFirst().orElse(null);
              var part = new MultipartStore.Part(number, r.md5Hex(), r.blob().size(), r.blob(),
                  System.currentTimeMillis(), checksum);
              return buckets.putPart(bucket, upload, part).thenApply(x -> {
                HttpResponse resp = Responses.ok().addHeader(RawHeader.create("ETag", Responses.quoted(r.md5Hex())));
                for (var c : r.checksums().entrySet()) {
                  resp = resp.addHeader(RawHeader.create("x-amz-checksum-" + c.getKey().toLowerCase(), c.getValue()));
                }
                return resp;
              });
            })));
  }

  public CompletionStage<HttpResponse> completeMultipartUpload(S3Call call) {
    String ifMatch = call.headerOrNull("If-Match");
    boolean ifNoneMatchAny = ObjectOps.ifNoneMatchStar(call);
    return BucketOps.bucketOf(buckets, call).thenCompose(bucket ->
        buckets.upload(bucket, call.key(), call.param("uploadId")).thenCompose(upload ->
            Bodies.small(call, mat, MAX_XML).thenCompose(body -> {
              var doc = S3Xml.read(body, MultipartXml.CompleteMultipartUpload.class);
              if (doc.parts == null || doc.parts.isEmpty()) throw new S3Exception(S3Error.MalformedXML);
              return ObjectOps.precheckWrite(buckets, bucket, call.key(), ifMatch, ifNoneMatchAny)
                  .thenCompose(checked -> buckets.parts(bucket, upload)).thenCompose(all -> {
                List<MultipartStore.Part> chosen = choose(doc.parts, all);
                return buckets.completeUpload(bucket, upload, chosen, all, multipartEtag(chosen), upload.meta(),
                    ifMatch, ifNoneMatchAny);
              });
            }).thenApply(v -> {
              HttpResponse r = Responses.xml(new MultipartXml.CompleteMultipartUploadResult(
                  "/" + bucket.name() + "/" + v.key(), bucket.name(), v.key(), Responses.quoted(v.etag())));
              return ObjectOps.withVersionHeader(r, bucket, v);
            })));
  }

  /** S3's rules for the part list of a complete: ascending numbers, known parts with matching ETags, sizes. */
  private List<MultipartStore.Part> choose(List<MultipartXml.CompletedPart> requested, List<MultipartStore.Part> uploaded) {
    List<MultipartStore.Part> chosen = new ArrayList<>();
    int previous = 0;
    for (MultipartXml.CompletedPart p : requested) {
      if (p.partNumber == null || p.etag == null) throw new S3Exception(S3Error.MalformedXML);
      if (p.partNumber <= previous) throw new S3Exception(S3Error.InvalidPartOrder);
      previous = p.partNumber;
      Optional<MultipartStore.Part> found = uploaded.stream().filter(u -> u.number() == p.partNumber).findFirst();
      if (found.isEmpty() || !unquote(p.etag).equals(found.get().etag())) {
        throw new S3Exception(S3Error.InvalidPart).with("PartNumber", p.partNumber.toString()).with("ETag", p.etag);
      }
      chosen.add(found.get());
    }
    for (int i = 0; i < chosen.size() - 1; i++) {
      if (chosen.get(i).size() < settings.minPartSize()) {
        throw new S3Exception(S3Error.EntityTooSmall).with("ProposedSize", Long.toString(chosen.get(i).size()))
            .with("MinSizeAllowed", Long.toString(settings.minPartSize()))
            .with("PartNumber", Integer.toString(chosen.get(i).number()));
      }
    }
    return chosen;
  }

  static String multipartEtag(List<MultipartStore.Part> parts) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      for (MultipartStore.Part p : parts) md5.update(HexFormat.of().parseHex(p.etag()));
      return HexFormat.of().formatHex(md5.digest()) + "-" + parts.size();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public CompletionStage<HttpResponse> abortMultipartUpload(S3Call call) {
    return BucketOps.bucketOf(buckets, call).thenCompose(bucket ->
        buckets.upload(bucket, call.key(), call.param("uploadId")).thenCompose(u -> buckets.abortUpload(bucket, u)))
        .thenApply(x -> Responses.noContent());
  }

  public CompletionStage<HttpResponse> listParts(S3Call call) {
    int maxParts = boundedInt(call, "max-parts", 1000);
    int marker = call.param("part-number-marker") == null ? 0 : boundedInt(call, "part-number-marker", Integer.MAX_VALUE);
    return BucketOps.bucketOf(buckets, call).thenCompose(bucket ->
        buckets.upload(bucket, call.key(), call.param("uploadId")).thenCompose(upload ->
            buckets.parts(bucket, upload).thenApply(all -> {
              List<MultipartStore.Part> after = all.stream().filter(p -> p.number() > marker).toList();
              List<MultipartStore.Part> page = after.subList(0, Math.min(maxParts, after.size()));
              boolean truncated = after.size() > page.size();
              BucketXml.Owner owner = new BucketXml.Owner(call.owner(), call.owner());
              return Responses.xml(new MultipartXml.ListPartsResult(bucket.name(), upload.key(), upload.uploadId(), marker,
                  page.isEmpty() ? null : page.get(page.size() - 1).number(), maxParts, truncated,
                  page.stream().map(p -> new MultipartXml.PartEntry(p.number(), S3Xml.timestamp(p.lastModifiedMillis()),
                      Responses.quoted(p.etag()), p.size())).toList(),
                  owner, owner, upload.meta().storageClass()));
            })));
  }

  public CompletionStage<HttpResponse> listMultipartUploads(S3Call call) {
    int maxUploads = boundedInt(call, "max-uploads", 1000);
    String prefix = call.param("prefix") == null ? "" : call.param("prefix");
    String keyMarker = call.param("key-marker");
    String uploadIdMarker = call.param("upload-id-marker");
    return BucketOps.bucketOf(buckets, call).thenCompose(bucket -> buckets.uploads(bucket).thenApply(all -> {
      List<MultipartStore.Upload> matching = all.stream()
          .filter(u -> u.key().startsWith(prefix))
          .filter(u -> keyMarker == null || u.key().compareTo(keyMarker) > 0
              || (u.key().equals(keyMarker) && uploadIdMarker != null && u.uploadId().compareTo(uploadIdMarker) > 0))
          .toList();
      List<MultipartStore.Upload> page = matching.subList(0, Math.min(maxUploads, matching.size()));
      boolean truncated = matching.size() > page.size();
      MultipartStore.Upload last = page.isEmpty() ? null : page.get(page.size() - 1);
      BucketXml.Owner owner = new BucketXml.Owner(call.owner(), call.owner());
      return Responses.xml(new MultipartXml.ListMultipartUploadsResult(bucket.name(), keyMarker, uploadIdMarker,
          truncated ? last.key() : null, truncated ? last.uploadId() : null, call.param("prefix"), null, maxUploads,
          truncated,
          page.stream().map(u -> new MultipartXml.UploadEntry(u.key(), u.uploadId(), owner, owner,
              u.meta().storageClass(), S3Xml.timestamp(u.initiatedMillis()))).toList(),
          List.<ListXml.CommonPrefix>of()));
    }));
  }

  static int partNumber(String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= MAX_PART_NUMBER) return n;
    } catch (NumberFormatException e) {
      // falls through
    }
    throw new S3Exception(S3Error.InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive")
        .with("ArgumentName", "partNumber").with("ArgumentValue", value);
  }

  private static int boundedInt(S3Call call, String name, int max) {
    String v = call.param(name);
    if (v == null) return max;
    try {
      int n = Integer.parseInt(v);
      if (n >= 0) return Math.min(n, max);
    } catch (NumberFormatException e) {
      // falls through
    }
    throw new S3Exception(S3Error.InvalidArgument).with("ArgumentName", name).with("ArgumentValue", v);
  }

  private static String unquote(String etag) {
    String e = etag.trim();
    return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
  }
}
