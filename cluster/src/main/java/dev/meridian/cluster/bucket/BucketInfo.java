package dev.meridian.cluster.bucket;

import java.util.UUID;

/**
 * A bucket's metadata as its entity holds it. {@code incarnation} tells apart buckets that reuse a name
 * after deletion; {@code partitions} is fixed at creation and says how keys spread over partition
 * entities.
 */
public record BucketInfo(
    String name,
    String region,
    String owner,
    long createdMillis,
    UUID incarnation,
    Versioning versioning,
    int partitions) {

  public BucketInfo withVersioning(Versioning v) {
    return new BucketInfo(name, region, owner, createdMillis, incarnation, v, partitions);
  }
}
