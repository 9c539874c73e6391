package dev.meridian.persistence;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One version of one key, as the index stores it and as events carry it. {@code seq} orders versions of a
 * key (a hybrid logical clock value assigned once at the source and kept by every replica, ties broken by
 * {@code versionId}), so every replica converges to the same order. {@code versionId} is {@code "null"}
 * for the null version of unversioned and suspended buckets. A delete marker has no blob.
 */
public record ObjectVersion(
    String key,
    String versionId,
    long seq,
    boolean deleteMarker,
    long size,
    String etag,
    long lastModifiedMillis,
    BlobRef blob,
    ObjectMeta meta) {

  public static final String NULL_VERSION = "null";

  @JsonIgnore
  public boolean isNullVersion() {
    return NULL_VERSION.equals(versionId);
  }

  /** True when this version sorts after {@code other} in the key's history. */
  public boolean isNewerThan(ObjectVersion other) {
    if (seq != other.seq) return seq > other.seq;
    return versionId.compareTo(other.versionId) > 0;
  }
}
