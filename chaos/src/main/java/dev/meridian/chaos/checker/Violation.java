package dev.meridian.chaos.checker;

/**
 * One thing the checker found wrong, with the bucket, key and version concerned and a sentence saying why.
 */
public record Violation(Kind kind, String bucket, String key, String versionId, String detail) {

  /** Kinds of violation; {@link #description} is what the report prints. */
  public enum Kind {
    LOST_WRITE("an acknowledged write (version or delete marker) is not in its bucket"),
    PHANTOM_VERSION("a version or delete marker that no request could have produced"),
    DUPLICATE_VERSION("one write appears as two versions"),
    FAILED_WRITE_VISIBLE("a write the server refused is visible"),
    RESURRECTED("a version deleted by an acknowledged DeleteObject?versionId is still there"),
    CORRUPT_BYTES("a version reads back with other bytes than were written"),
    UNREADABLE("a listed version cannot be read from its home region"),
    MISSING_REPLICA("an eligible version is missing from a destination"),
    DIVERGENT_REPLICA("a replica differs from its source (bytes, ETag, size or key)"),
    UNEXPECTED_REPLICA("a replica where no rule sends it (or a delete marker a rule does not replicate)"),
    WRONG_ORDER("versions of a key are in another order in a destination than in the source"),
    LISTING_ORDER("ListObjectVersions does not list a key's versions and delete markers newest first with IsLatest on the first"),
    STATUS_PENDING("a source version still reports replication status PENDING"),
    STATUS_FAILED("a source version reports replication status FAILED without a legitimate reason"),
    STATUS_WRONG("a version reports the wrong replication status (missing, or REPLICA on a source version)"),
    PHANTOM_READ("a GET returned bytes that no write produced for that key"),
    UNAVAILABLE("requests of a healthy region failed during another region's fault"),
    UNOBSERVABLE("a bucket could not be listed after healing"),
    NODE_EXITED("a node the nemesis did not kill exited by itself (e.g. downed by the Split Brain Resolver)");

    public final String description;

    Kind(String description) {
      this.description = description;
    }
  }

  @Override
  public String toString() {
    return kind + " " + bucket + "/" + key + (versionId == null ? "" : "@" + versionId) + ": " + detail;
  }
}
