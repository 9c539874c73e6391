package dev.meridian.cluster.bucket;

import java.util.UUID;

/**
 * A bucket's metadata as its entity holds it. {@code incarnation} tells apart buckets that reuse a name
 * after deletion; {@code partitions} is fixed at creation and says how keys spread over partition
 * entities; {@code replication} is null when no replication is configured.
 */
public record BucketInfo(
    String name,
    String region,
    String owner,
    long createdMillis,
    UUID incarnation,
    Versioning versioning,
    int partitions,
    ReplicationConfig replication) {

  public BucketInfo withVersioning(Versioning v) {
    return new BucketInfo(name, region, owner, createdMillis, incarnation, v, partitions, replication);
  }

  public BucketInfo withReplication(ReplicationConfig r) {
    return new BucketInfo(name, region, owner, createdMillis, incarnation, versioning, partitions, r);
  }
}
