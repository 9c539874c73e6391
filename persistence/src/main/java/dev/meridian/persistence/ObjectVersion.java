package dev.meridian.persistence;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * One version of one key, as the index stores it and as events carry it. {@code seq} orders versions of a
 * key (a hybrid logical clock value assigned once at the source and kept by every replica, ties broken by
 * {@code versionId}), so every replica converges to the same order. {@code versionId} is {@code "null"}
 * for the null version of unversioned and suspended buckets. A delete marker has no blob.
 * {@code replicateTo} names the destination buckets replication owes this version (empty when none);
 * {@code replica} marks a version written by replication, which is never replicated again.
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
    ObjectMeta meta,
    List<String> replicateTo,
    boolean replica) {

  public static final String NULL_VERSION = "null";

  public ObjectVersion {
    replicateTo = replicateTo == null ? List.of() : List.copyOf(replicateTo);
  }

  /** A version that owes no replication. */
  public ObjectVersion(String key, String versionId, long seq, boolean deleteMarker, long size, String etag,
      long lastModifiedMillis, BlobRef blob, ObjectMeta meta) {
    this(key, versionId, seq, deleteMarker, size, etag, lastModifiedMillis, blob, meta, List.of(), false);
  }

  /** This version with the given replication targets. */
  public ObjectVersion withReplicateTo(List<String> targets) {
    return new ObjectVersion(key, versionId, seq, deleteMarker, size, etag, lastModifiedMillis, blob, meta, targets, replica);
  }

  /** This version with another blob reference (the same bytes, e.g. an inline blob with its data). */
  public ObjectVersion withBlob(BlobRef newBlob) {
    return new ObjectVersion(key, versionId, seq, deleteMarker, size, etag, lastModifiedMillis, newBlob, meta, replicateTo, replica);
  }

  /** This version with other metadata (e.g. new tags); everything else, replica flag included, kept. */
  public ObjectVersion withMeta(ObjectMeta newMeta) {
    return new ObjectVersion(key, versionId, seq, deleteMarker, size, etag, lastModifiedMillis, blob, newMeta, replicateTo, replica);
  }

  /** The replica of this version in another bucket: same id, order, time, ETag and metadata; its own blob. */
  public ObjectVersion asReplica(BlobRef replicaBlob, ObjectMeta replicaMeta) {
    return new ObjectVersion(key, versionId, seq, deleteMarker, size, etag, lastModifiedMillis, replicaBlob, replicaMeta,
        List.of(), true);
  }

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
