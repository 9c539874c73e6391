package dev.meridian.cluster;

/**
 * Domain errors of the storage cluster. The S3 API maps each to its wire error in one place; nothing here
 * knows HTTP.
 */
public enum StoreError {
  NO_SUCH_BUCKET,
  BUCKET_ALREADY_EXISTS,
  BUCKET_ALREADY_OWNED_BY_YOU,
  BUCKET_NOT_EMPTY,
  NO_SUCH_KEY,
  NO_SUCH_VERSION,
  NO_SUCH_UPLOAD,
  INVALID_VERSION_ID,
  PRECONDITION_FAILED,
  /** The operation does not apply to the version addressed (e.g. tagging a delete marker). */
  METHOD_NOT_ALLOWED,
  /** Replication needs versioning enabled on the source bucket. */
  VERSIONING_NOT_ENABLED,
  /** Versioning cannot be suspended while replication is configured. */
  REPLICATION_REQUIRES_VERSIONING,
  CONDITIONAL_REQUEST_CONFLICT,
  REGION_UNAVAILABLE,
  /** Too many writes are waiting for the same keys' partition: retry later. */
  SLOW_DOWN,
  /** The operation must run on a node of another region (the detail names it). */
  WRONG_REGION,
  INTERNAL
}
