package dev.meridian.persistence;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a client stored alongside an object's bytes: the standard content headers, user metadata
 * ({@code x-amz-meta-*}, names lower-cased without the prefix), storage class, checksums
 * (algorithm name such as {@code CRC32} to base64 value) and tags, with the time the tags were last set
 * ({@code tagsMillis}, 0 when they came with the object): tag changes are applied last-writer-wins, so
 * replicas that receive them in any order converge. Kept verbatim on every replica.
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
    Map<String, String> tags,
    long tagsMillis) {

  public static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
  public static final String STANDARD = "STANDARD";

  public ObjectMeta {
    userMetadata = userMetadata == null ? Map.of() : new TreeMap<>(userMetadata);
    checksums = checksums == null ? Map.of() : new TreeMap<>(checksums);
    tags = tags == null ? Map.of() : new TreeMap<>(tags);
    if (storageClass == null) storageClass = STANDARD;
  }

  /** Metadata whose tags came with the object (never changed since). */
  public ObjectMeta(String contentType, String contentEncoding, String contentDisposition, String contentLanguage,
      String cacheControl, String expires, Map<String, String> userMetadata, String storageClass,
      Map<String, String> checksums, Map<String, String> tags) {
    this(contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl, expires, userMetadata,
        storageClass, checksums, tags, 0L);
  }

  /** Metadata of an object stored with no headers at all. */
  public static ObjectMeta empty() {
    return new ObjectMeta(null, null, null, null, null, null, Map.of(), STANDARD, Map.of(), Map.of());
  }

  /** These metadata with other tags, set at {@code atMillis} (0: with the object, as on a copy). */
  public ObjectMeta withTags(Map<String, String> newTags, long atMillis) {
    return new ObjectMeta(contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl,
        expires, userMetadata, storageClass, checksums, newTags, atMillis);
  }
}
