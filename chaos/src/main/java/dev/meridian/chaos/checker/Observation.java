package dev.meridian.chaos.checker;

import java.util.List;
import java.util.Map;

/**
 * What the cluster holds after healing and draining, as S3 clients read it from each bucket's home region:
 * every version and delete marker in ListObjectVersions order and, when {@code bodiesRead}, each version's
 * bytes (as sha256) and replication status from a GET by version id.
 *
 * @param buckets    state per bucket name
 * @param bodiesRead whether versions were read (a drain poll only lists)
 */
public record Observation(Map<String, BucketState> buckets, boolean bodiesRead) {

  /** One bucket: its versions in listing order, or the error that kept it from being listed. */
  public record BucketState(String bucket, String error, List<Version> versions) {
    public BucketState {
      versions = versions == null ? List.of() : List.copyOf(versions);
    }
  }

  /**
   * A version or delete marker as listed (and read).
   *
   * @param lastModified epoch milliseconds from the listing
   * @param sha256       sha256 of the bytes a GET returned; null for markers or when not read
   * @param replicationStatus x-amz-replication-status of the GET (null when absent or not read)
   * @param readError    why the GET failed, null when it worked or was not made
   */
  public record Version(String key, String versionId, boolean deleteMarker, boolean latest, String etag, long size,
      long lastModified, String sha256, String replicationStatus, String readError) {

    public Version withRead(String sha256, String replicationStatus, String readError) {
      return new Version(key, versionId, deleteMarker, latest, etag, size, lastModified, sha256, replicationStatus,
          readError);
    }
  }
}
