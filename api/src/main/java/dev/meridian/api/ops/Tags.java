package dev.meridian.api.ops;

import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.api.xml.TaggingXml;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tag sets as S3 takes them: from the {@code x-amz-tagging} header (a URL-encoded query string) or a
 * Tagging document, checked against S3's limits: at most 10 tags on an object and 50 on a bucket, keys of
 * 1 to 128 characters not starting with {@code aws:}, values of up to 256, no key twice.
 */
final class Tags {

  static final int MAX_OBJECT_TAGS = 10;
  static final int MAX_BUCKET_TAGS = 50;
  private static final int MAX_KEY = 128;
  private static final int MAX_VALUE = 256;

  private Tags() {}

  /** The tags of an {@code x-amz-tagging} header ({@code null}: none). */
  static Map<String, String> fromHeader(String header) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (header == null || header.isEmpty()) return tags;
    for (String pair : header.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      add(tags, key, value);
    }
    return checked(tags, MAX_OBJECT_TAGS, "Object tags cannot be greater than 10");
  }

  /** The tags of a Tagging document (an absent TagSet is MalformedXML, as S3 answers). */
  static Map<String, String> fromXml(TaggingXml.Tagging doc, int max) {
    if (doc.tagSet == null) throw new S3Exception(S3Error.MalformedXML);
    Map<String, String> tags = new LinkedHashMap<>();
    for (TaggingXml.Tag t : doc.tagSet) {
      if (t == null || t.key == null) throw new S3Exception(S3Error.MalformedXML);
      add(tags, t.key, t.value == null ? "" : t.value);
    }
    return checked(tags, max, max == MAX_OBJECT_TAGS ? "Object tags cannot be greater than 10"
        : "Bucket tag count cannot be greater than 50");
  }

  private static void add(Map<String, String> tags, String key, String value) {
    if (tags.containsKey(key)) throw new S3Exception(S3Error.InvalidTag, "Cannot provide multiple Tags with the same key");
    tags.put(key, value);
  }

  private static Map<String, String> checked(Map<String, String> tags, int max, String tooMany) {
    if (tags.size() > max) throw new S3Exception(S3Error.BadRequest, tooMany);
    for (Map.Entry<String, String> e : tags.entrySet()) {
      int keyLength = e.getKey().codePointCount(0, e.getKey().length());
      if (keyLength < 1 || keyLength > MAX_KEY) {
        throw new S3Exception(S3Error.InvalidTag, "The TagKey you have provided is invalid").with("TagKey", e.getKey());
      }
      if (e.getKey().startsWith("aws:")) {
        throw new S3Exception(S3Error.InvalidTag, "Your TagKey cannot be prefixed with aws:").with("TagKey", e.getKey());
      }
      if (e.getValue().codePointCount(0, e.getValue().length()) > MAX_VALUE) {
        throw new S3Exception(S3Error.InvalidTag).with("TagKey", e.getKey());
      }
    }
    return tags;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new S3Exception(S3Error.InvalidArgument, "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.");
    }
  }
}
