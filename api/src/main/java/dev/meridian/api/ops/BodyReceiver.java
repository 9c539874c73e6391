package dev.meridian.api.ops;

import dev.meridian.api.Bodies;
import dev.meridian.api.S3Call;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.bucket.BucketInfo;
import dev.meridian.persistence.BlobRef;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Receives an object body (PutObject, UploadPart) into a new blob while computing its digests, then
 * checks what the client declared: length, Content-MD5, flexible checksum. A body that fails a check is
 * discarded and the request fails with the S3 error; nothing is committed.
 */
final class BodyReceiver {

  /** What the request declares about its body, checked before the body is read. */
  record Expectation(long length, byte[] contentMd5, Digests digests) {}

  /** A body stored as a blob, with its digests. */
  record Received(BlobRef blob, String md5Hex, byte[] md5, Map<String, String> checksums) {}

  private BodyReceiver() {}

  static Expectation expect(S3Call call, long maxSize) {
    OptionalLong declared = Bodies.declaredLength(call);
    if (declared.isEmpty()) throw new S3Exception(S3Error.MissingContentLength);
    if (declared.getAsLong() > maxSize) {
      throw new S3Exception(S3Error.EntityTooLarge).with("ProposedSize", Long.toString(declared.getAsLong()))
          .with("MaxSizeAllowed", Long.toString(maxSize));
    }
    return new Expectation(declared.getAsLong(), contentMd5(call), Digests.forRequest(call));
  }

  /**
   * Receives the body: a whole object ({@code wholeObject}: PutObject) may be kept inline when small
   * ({@link BucketService#writeObject}), a part is always a blob.
   */
  static CompletionStage<Received> receive(BucketService buckets, S3Call call, BucketInfo bucket, Expectation expect,
      boolean wholeObject) {
    AtomicReference<CompletionStage<Map<String, String>>> trailers = new AtomicReference<>();
    Digests digests = expect.digests();
    Source<ByteString, ?> body = Bodies.payload(call)
        .mapMaterializedValue(t -> {
          trailers.set(t);
          return t;
        })
        .map(digests::update);
    var stored = wholeObject ? buckets.writeObject(bucket, call.key(), expect.length(), body)
        : buckets.writeBlob(bucket, call.key(), body);
    return stored.thenCompose(blob -> trailers.get().thenCompose(t -> {
      try {
        if (blob.size() != expect.length()) throw new S3Exception(S3Error.IncompleteBody);
        if (expect.contentMd5() != null && !Arrays.equals(expect.contentMd5(), digests.md5())) {
          throw new S3Exception(S3Error.BadDigest);
        }
        return CompletableFuture.completedFuture(
            new Received(blob, digests.md5Hex(), digests.md5(), digests.verify(call, t)));
      } catch (S3Exception e) {
        return buckets.discardBlob(bucket, blob).thenCompose(x -> CompletableFuture.<Received>failedFuture(e));
      }
    }));
  }

  private static byte[] contentMd5(S3Call call) {
    String v = call.headerOrNull("Content-MD5");
    if (v == null) return null;
    try {
      byte[] md5 = Base64.getDecoder().decode(v.trim());
      if (md5.length == 16) return md5;
    } catch (IllegalArgumentException e) {
      // falls through to InvalidDigest
    }
    throw new S3Exception(S3Error.InvalidDigest);
  }
}
