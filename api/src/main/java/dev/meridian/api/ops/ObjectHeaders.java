package dev.meridian.api.ops;

import dev.meridian.api.Responses;
import dev.meridian.api.S3Call;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.persistence.ObjectMeta;
import dev.meridian.persistence.ObjectVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Object metadata between HTTP headers and {@link ObjectMeta}: what a PUT stores (content headers, user
 * metadata, storage class, tags from {@code x-amz-tagging}) with S3's limits, and what GET and HEAD send back (with response-* overrides).
 */
final class ObjectHeaders {

  static final int MAX_KEY_BYTES = 1024;
  static final int MAX_USER_METADATA_BYTES = 2048;
  private static final String META = "x-amz-meta-";
  static final Set<String> STORAGE_CLASSES = Set.of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA",
      "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "OUTPOSTS", "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE");

  private ObjectHeaders() {}

  static void validateKey(String key) {
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new S3Exception(S3Error.KeyTooLongError).with("Size", Integer.toString(key.getBytes(StandardCharsets.UTF_8).length))
          .with("MaxSizeAllowed", Integer.toString(MAX_KEY_BYTES));
    }
  }

  /** The metadata a PUT (or a REPLACE copy) stores, from the request's headers. */
  static ObjectMeta fromRequest(S3Call call, Map<String, String> checksums) {
    Map<String, String> user = new TreeMap<>();
    int userBytes = 0;
    for (HttpHeader h : call.request().getHeaders()) {
      String name = h.lowercaseName();
      if (!name.startsWith(META)) continue;
      String k = name.substring(META.length());
      user.merge(k, h.value(), (a, b) -> a + "," + b);
      userBytes += k.getBytes(StandardCharsets.UTF_8).length + h.value().getBytes(StandardCharsets.UTF_8).length;
    }
    if (userBytes > MAX_USER_METADATA_BYTES) {
      throw new S3Exception(S3Error.MetadataTooLarge).with("Size", Integer.toString(userBytes))
          .with("MaxSizeAllowed", Integer.toString(MAX_USER_METADATA_BYTES));
    }
    String storageClass = call.header("x-amz-storage-class").orElse(ObjectMeta.STANDARD);
    if (!STORAGE_CLASSES.contains(storageClass)) throw new S3Exception(S3Error.InvalidStorageClass);
    return new ObjectMeta(
        contentType(call),
        contentEncoding(call),
        call.headerOrNull("Content-Disposition"),
        call.headerOrNull("Content-Language"),
        call.headerOrNull("Cache-Control"),
        call.headerOrNull("Expires"),
        user,
        storageClass,
        checksums,
        Tags.fromHeader(call.headerOrNull("x-amz-tagging")));
  }

  private static String contentType(S3Call call) {
    ContentType ct = call.request().entity().getContentType();
    if (ct.equals(ContentTypes.NO_CONTENT_TYPE)) return ObjectMeta.DEFAULT_CONTENT_TYPE;
    return call.contentType() != null ? call.contentType() : ct.toString();
  }

  /** Content-Encoding minus {@code aws-chunked}, which is S3's transfer framing and not the object's encoding. */
  private static String contentEncoding(S3Call call) {
    String ce = call.headerOrNull("Content-Encoding");
    if (ce == null) return null;
    List<String> kept = new ArrayList<>();
    for (String part : ce.split(",")) {
      String p = part.trim();
      if (!p.isEmpty() && !p.equalsIgnoreCase("aws-chunked")) kept.add(p);
    }
    return kept.isEmpty() ? null : String.join(",", kept);
  }

  /** The Content-Type to send for a version (with a response-content-type override if asked). */
  static ContentType responseContentType(S3Call call, ObjectVersion v) {
    String override = call.param("response-content-type");
    String value = override != null ? override : v.meta().contentType();
    return verbatim(value == null ? ObjectMeta.DEFAULT_CONTENT_TYPE : value);
  }

  /**
   * A Content-Type that renders exactly as stored. S3 returns the client's spelling; a parsed Pekko
   * ContentType re-renders parameters ({@code text/plain;charset=utf-8} would come back as
   * {@code text/plain; charset=UTF-8}). A custom media type whose subtype carries the rest of the value
   * is rendered as is; Pekko allows no raw Content-Type header on a response.
   */
  static ContentType verbatim(String value) {
    int slash = value.indexOf('/');
    if (slash > 0 && slash < value.length() - 1 && value.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
      String main = value.substring(0, slash);
      String rest = value.substring(slash + 1);
      return ContentTypes.create(main.equalsIgnoreCase("multipart") // Pekko insists on its own type for these
          ? MediaTypes.customMultipart(rest, Map.of()) : MediaTypes.customBinary(main, rest, false));
    }
    try {
      return ContentTypes.parse(value);
    } catch (RuntimeException e) {
      return ContentTypes.APPLICATION_OCTET_STREAM;
    }
  }

  /** The headers GET and HEAD send for a version, besides Content-Type and Content-Length. */
  static List<HttpHeader> responseHeaders(S3Call call, ObjectVersion v, boolean versioned) {
    List<HttpHeader> out = new ArrayList<>();
    ObjectMeta m = v.meta();
    out.add(RawHeader.create("ETag", Responses.quoted(v.etag())));
    out.add(RawHeader.create("Last-Modified", Responses.httpDate(v.lastModifiedMillis())));
    out.add(RawHeader.create("Accept-Ranges", "bytes"));
    if (versioned) out.add(RawHeader.create("x-amz-version-id", v.versionId()));
    add(out, "Content-Encoding", override(call, "response-content-encoding", m.contentEncoding()));
    add(out, "Content-Disposition", override(call, "response-content-disposition", m.contentDisposition()));
    add(out, "Content-Language", override(call, "response-content-language", m.contentLanguage()));
    add(out, "Cache-Control", override(call, "response-cache-control", m.cacheControl()));
    add(out, "Expires", override(call, "response-expires", m.expires()));
    if (!ObjectMeta.STANDARD.equals(m.storageClass())) out.add(RawHeader.create("x-amz-storage-class", m.storageClass()));
    m.userMetadata().forEach((k, val) -> out.add(RawHeader.create("x-amz-meta-" + k, val)));
    if (!m.tags().isEmpty()) out.add(RawHeader.create("x-amz-tagging-count", Integer.toString(m.tags().size())));
    // The stored checksum is the whole object's: S3 sends it only when the whole object is sent (a client
    // that validates it, as the AWS CLI does by default, would reject a range or a part against it).
    boolean wholeObject = call.headerOrNull("Range") == null && call.param("partNumber") == null;
    if (wholeObject && "ENABLED".equalsIgnoreCase(call.headerOrNull("x-amz-checksum-mode"))) {
      m.checksums().forEach((alg, val) -> out.add(RawHeader.create("x-amz-checksum-" + alg.toLowerCase(Locale.ROOT), val)));
    }
    return out;
  }

  private static String override(S3Call call, String param, String stored) {
    String o = call.param(param);
    return o != null ? o : stored;
  }

  private static void add(List<HttpHeader> out, String name, String value) {
    if (value != null) out.add(RawHeader.create(name, value));
  }
}
