package dev.meridian.api;

import dev.meridian.api.xml.S3Xml;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** Small builders for S3 responses. */
public final class Responses {

  /** RFC 1123 dates, as S3 writes Last-Modified. */
  public static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  public static final ContentType.NonBinary XML = MediaTypes.APPLICATION_XML.toContentType(HttpCharsets.UTF_8);

  private Responses() {}

  public static HttpResponse xml(Object document) {
    return HttpResponse.create().withEntity(HttpEntities.create(XML, S3Xml.write(document)));
  }


  public static HttpResponse noContent() {
    return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
  }

  public static HttpResponse ok() {
    return HttpResponse.create();
  }

  public static String httpDate(long epochMillis) {
    return HTTP_DATE.format(Instant.ofEpochMilli(epochMillis));
  }

  public static String quoted(String etag) {
    return etag == null ? null : "\"" + etag + "\"";
  }
}
