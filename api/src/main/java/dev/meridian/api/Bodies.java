package dev.meridian.api;

import dev.meridian.api.auth.AwsChunkedDecoder;
import dev.meridian.api.auth.PayloadMode;
import dev.meridian.api.auth.PayloadSha256Check;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Request bodies as the client meant them: aws-chunked framing removed and its chunk signatures checked,
 * or the declared SHA-256 checked at the end. Streams without a size limit (the caller bounds what it
 * keeps); the materialized value is the trailer headers of a chunked body (empty otherwise).
 */
public final class Bodies {

  private Bodies() {}

  public static Source<ByteString, CompletionStage<Map<String, String>>> payload(S3Call call) {
    Source<ByteString, Object> raw = call.body().data().mapMaterializedValue(x -> x);
    PayloadMode mode = call.auth().mode();
    switch (mode) {
      case STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER -> {
        return raw.viaMat(AwsChunkedDecoder.forVerified(call.auth(), decodedLength(call)), (a, b) -> b);
      }
      case SIGNED_SHA256 -> {
        return raw.via(PayloadSha256Check.of(call.auth())).mapMaterializedValue(x -> CompletableFuture.completedFuture(Map.of()));
      }
      default -> {
        return raw.mapMaterializedValue(x -> CompletableFuture.completedFuture(Map.of()));
      }
    }
  }

  /** The object's size as the client declared it: x-amz-decoded-content-length, else Content-Length. */
  public static OptionalLong declaredLength(S3Call call) {
    OptionalLong decoded = decodedLength(call);
    if (decoded.isPresent()) return decoded;
    return call.request().entity().getContentLengthOption();
  }

  private static OptionalLong decodedLength(S3Call call) {
    String v = call.headerOrNull("x-amz-decoded-content-length");
    if (v == null) return OptionalLong.empty();
    try {
      return OptionalLong.of(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      throw new S3Exception(S3Error.InvalidArgument, "x-amz-decoded-content-length is not a number");
    }
  }

  /** Reads a small body (an XML document) whole, refusing more than {@code max} bytes. */
  public static CompletionStage<byte[]> small(S3Call call, Materializer mat, int max) {
    return small(call, mat, max, () -> new S3Exception(S3Error.MalformedXML, "The XML document is too large."));
  }

  /** Reads a small body whole; more than {@code max} bytes fails with {@code tooLarge}. */
  public static CompletionStage<byte[]> small(S3Call call, Materializer mat, int max, Supplier<S3Exception> tooLarge) {
    return payload(call)
        .runWith(Sink.fold(ByteString.emptyByteString(), (acc, bs) -> {
          if (acc.size() + bs.size() > max) throw tooLarge.get();
          return acc.concat(bs);
        }), mat)
        .thenApply(ByteString::toArray);
  }
}
