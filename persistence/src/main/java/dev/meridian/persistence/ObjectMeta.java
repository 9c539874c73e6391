package dev.meridian.persistence;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a client stored alongside an object's bytes: the standard content headers, user metadata
 * ({@code x-amz-meta-*}, names lower-cased without the prefix), storage class, checksums
 * (algorithm name such as {@code CRC32} to base64 value) and tags. Kept verbatim on every replica.
 */
public record ObjectMeta(
    String contentType,
    String contentEncoding,
    String contentDisposition,
    String contentLanguage,
    String cacheControl,
    String expires,
    Map<String, String> userMetadata,
    String storageClass,
    Map<String, String> checksums,
    Map<String, String> tags) {

  public static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
  public static final String STANDARD = "STANDARD";

  public ObjectMeta {
    userMetadata = userMetadata == null ? Map.of() : new TreeMap<>(userMetadata);
    checksums = checksums == null ? Map.of() : new TreeMap<>(checksums);
    tags = tags == null ? Map.of() : new TreeMap<>(tags);
    if (storageClass == null) storageClass = STANDARD;
  }

  /** Metadata of an object stored with no headers at all. */
  public static ObjectMeta empty() {
    return new ObjectMeta(null, null, null, null, null, null, Map.of(), STANDARD, Map.of(), Map.of());
  }

  public ObjectMeta withTags(Map<String, String> newTags) {
    return new ObjectMeta(contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl,
        expires, userMetadata, storageClass, checksums, newTags);
  }
}
