package dev.meridian.api.ops;

import dev.meridian.api.Responses;
import dev.meridian.api.S3Call;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.cluster.object.EtagMatch;
import dev.meridian.persistence.ObjectVersion;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Conditional GET and HEAD (RFC 7232 as S3 applies it): If-Match and If-Unmodified-Since fail with 412;
 * If-None-Match and If-Modified-Since answer 304. A true If-Match overrides If-Unmodified-Since, and an
 * If-None-Match overrides If-Modified-Since. Unparseable dates are ignored, as S3 does.
 */
final class Conditions {

  private Conditions() {}

  /** Null when the read goes ahead; a 304 response when not modified; throws PreconditionFailed. */
  static HttpResponse check(S3Call call, ObjectVersion v) {
    long modifiedSecond = v.lastModifiedMillis() / 1000;
    String ifMatch = call.headerOrNull("If-Match");
    String ifNoneMatch = call.headerOrNull("If-None-Match");
    if (ifMatch != null) {
      if (!EtagMatch.matches(ifMatch, v.etag())) throw failed("If-Match");
    } else {
      Instant since = date(call.headerOrNull("If-Unmodified-Since"));
      if (since != null && modifiedSecond > since.getEpochSecond()) throw failed("If-Unmodified-Since");
    }
    if (ifNoneMatch != null) {
      if (EtagMatch.matches(ifNoneMatch, v.etag())) return notModified(v);
    } else {
      Instant since = date(call.headerOrNull("If-Modified-Since"));
      if (since != null && modifiedSecond <= since.getEpochSecond()) return notModified(v);
    }
    return null;
  }

  private static S3Exception failed(String condition) {
    return new S3Exception(S3Error.PreconditionFailed).with("Condition", condition);
  }

  private static HttpResponse notModified(ObjectVersion v) {
    return HttpResponse.create().withStatus(StatusCodes.NOT_MODIFIED)
        .addHeader(RawHeader.create("ETag", Responses.quoted(v.etag())))
        .addHeader(RawHeader.create("Last-Modified", Responses.httpDate(v.lastModifiedMillis())));
  }

  static Instant date(String value) {
    if (value == null) return null;
    try {
      return ZonedDateTime.parse(value.trim(), Responses.HTTP_DATE).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(value.trim());
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
