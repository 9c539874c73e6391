package dev.meridian.api;

import dev.meridian.api.xml.S3Xml;
import dev.meridian.cluster.Result;
import dev.meridian.cluster.StoreError;
import dev.meridian.api.auth.AuthError;
import dev.meridian.api.auth.ChunkedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into S3 error responses: domain errors via {@link #toS3}, protocol
 * errors from the table, anything unexpected as InternalError (logged). HEAD responses carry the status
 * and headers but no body, as S3 does.
 */
public final class ErrorResponses {

  private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {}

  /** The S3 error for a domain error. */
  public static S3Exception toS3(StoreError error, String detail) {
    return switch (error) {
      case NO_SUCH_BUCKET -> new S3Exception(S3Error.NoSuchBucket).with("BucketName", detail);
      case BUCKET_ALREADY_EXISTS -> new S3Exception(S3Error.BucketAlreadyExists).with("BucketName", detail);
      case BUCKET_ALREADY_OWNED_BY_YOU -> new S3Exception(S3Error.BucketAlreadyOwnedByYou).with("BucketName", detail);
      case BUCKET_NOT_EMPTY -> new S3Exception(S3Error.BucketNotEmpty).with("BucketName", detail);
      case NO_SUCH_KEY -> new S3Exception(S3Error.NoSuchKey).with("Key", detail);
      case NO_SUCH_VERSION -> new S3Exception(S3Error.NoSuchVersion);
      case NO_SUCH_UPLOAD -> new S3Exception(S3Error.NoSuchUpload).with("UploadId", detail);
      case INVALID_VERSION_ID -> new S3Exception(S3Error.InvalidArgument, "Invalid version id specified");
      case VERSIONING_NOT_ENABLED -> new S3Exception(S3Error.InvalidRequest,
          "Versioning must be 'Enabled' on the bucket to apply a replication configuration");
      case REPLICATION_REQUIRES_VERSIONING -> new S3Exception(S3Error.InvalidBucketState,
          "A replication configuration is present on this bucket, so the versioning state cannot be changed.");
      case METHOD_NOT_ALLOWED -> new S3Exception(S3Error.MethodNotAllowed).with("ResourceType", "DeleteMarker")
          .withHeader("x-amz-delete-marker", "true").withHeader("x-amz-version-id", detail);
      case PRECONDITION_FAILED -> new S3Exception(S3Error.PreconditionFailed).with("Condition", detail);
      case CONDITIONAL_REQUEST_CONFLICT -> new S3Exception(S3Error.ConditionalRequestConflict);
      case REGION_UNAVAILABLE -> new S3Exception(S3Error.ServiceUnavailable,
          "A region (or the bucket-name registry) this request needs is not reachable right now; retry later.");
      case SLOW_DOWN -> new S3Exception(S3Error.SlowDown);
      case WRONG_REGION -> new S3Exception(S3Error.InvalidRequest, "Send this request to a node of region " + detail);
      case INTERNAL -> new S3Exception(S3Error.InternalError);
    };
  }

  /** Unwraps futures' wrappers and maps any failure to an S3 error. */
  public static S3Exception from(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof S3Exception s3) return s3;
    if (e instanceof Result.StoreException se) return toS3(se.error, se.getMessage());
    if (e instanceof ChunkedEncodingException ce) {
      return fromAuth(ce.error(), ce.getMessage(), ce.details());
    }
    if (e instanceof org.apache.pekko.http.scaladsl.model.EntityStreamSizeException) return new S3Exception(S3Error.IncompleteBody);
    if (e instanceof org.apache.pekko.http.scaladsl.model.EntityStreamException) {
      return new S3Exception(S3Error.IncompleteBody);
    }
    if (storageUnavailable(e)) {
      log.warn("storage not answering: {}", e.toString());
      return new S3Exception(S3Error.ServiceUnavailable,
          "The storage this request needs is not answering right now; retry later.");
    }
    log.error("internal error", e);
    return new S3Exception(S3Error.InternalError);
  }

  /**
   * Whether a failure is Cassandra being unreachable or too slow (no connection, a timeout, too few
   * replicas): transient, so the client is told to retry (503), as S3 does, rather than 500.
   */
  static boolean storageUnavailable(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof com.datastax.oss.driver.api.core.AllNodesFailedException
          || c instanceof com.datastax.oss.driver.api.core.DriverTimeoutException
          || c instanceof com.datastax.oss.driver.api.core.servererrors.UnavailableException
          || c instanceof com.datastax.oss.driver.api.core.servererrors.QueryConsistencyException) {
        return true;
      }
    }
    return false;
  }

  /** Authentication errors share their names with S3's error codes. */
  public static S3Exception fromAuth(AuthError error, String message, Map<String, String> details) {
    S3Exception s3 = new S3Exception(S3Error.valueOf(error.name()), message);
    if (details != null) details.forEach(s3::with);
    return s3;
  }

  public static HttpResponse render(S3Exception e, String resource, String requestId, boolean head) {
    HttpResponse response = HttpResponse.create()
        .withStatus(StatusCodes.get(e.error.status))
        .addHeader(RawHeader.create("x-amz-request-id", requestId));
    if (e.error == S3Error.ServiceUnavailable || e.error == S3Error.SlowDown) {
      response = response.addHeader(RawHeader.create("Retry-After", "1"));
    }
    for (Map.Entry<String, String> h : e.headers.entrySet()) response = response.addHeader(RawHeader.create(h.getKey(), h.getValue()));
    if (head) return response;
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>")
        .append("<Code>").append(e.error.name()).append("</Code>")
        .append("<Message>").append(S3Xml.escape(e.getMessage())).append("</Message>");
    for (Map.Entry<String, String> x : e.extra.entrySet()) {
      xml.append('<').append(x.getKey()).append('>').append(S3Xml.escape(x.getValue()))
          .append("</").append(x.getKey()).append('>');
    }
    xml.append("<Resource>").append(S3Xml.escape(resource)).append("</Resource>")
        .append("<RequestId>").append(requestId).append("</RequestId></Error>");
    return response.withEntity(HttpEntities.create(Responses.XML,
        xml.toString().getBytes(StandardCharsets.UTF_8)));
  }
}
