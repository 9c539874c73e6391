package dev.meridian.cluster.bucket;

/** A bucket's versioning state, as S3 defines it: never enabled, enabled, or suspended after enabling. */
public enum Versioning {
  UNVERSIONED,
  ENABLED,
  SUSPENDED
}
