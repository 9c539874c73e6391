package dev.meridian.cluster.bucket;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A bucket's metadata as its entity holds it. {@code incarnation} tells apart buckets that reuse a name
 * after deletion; {@code partitions} is fixed at creation and says how keys spread over partition
 * entities; {@code replication} is null when no replication is configured, {@code policy} when no bucket
 * policy is set; {@code tags} and {@code cors} are empty when none are set.
 */
public record BucketInfo(
    String name,
    String region,
    String owner,
    long createdMillis,
    UUID incarnation,
    Versioning versioning,
    int partitions,
    ReplicationConfig replication,
    Map<String, String> tags,
    String policy,
    List<CorsRule> cors) {

  public BucketInfo {
    tags = tags == null ? Map.of() : new TreeMap<>(tags);
    cors = cors == null ? List.of() : List.copyOf(cors);
  }

  /** A new bucket: unversioned, with nothing configured. */
  public static BucketInfo created(String name, String region, String owner, long createdMillis, UUID incarnation,
      int partitions) {
    return new BucketInfo(name, region, owner, createdMillis, incarnation, Versioning.UNVERSIONED, partitions, null,
        Map.of(), null, List.of());
  }

  public BucketInfo withVersioning(Versioning v) {
    return new BucketInfo(name, region, owner, createdMillis, incarnation, v, partitions, replication, tags, policy, cors);
  }

  public BucketInfo withReplication(ReplicationConfig r) {
    return new BucketInfo(name, region, owner, createdMillis, incarnation, versioning, partitions, r, tags, policy, cors);
  }

  public BucketInfo with(BucketSetting setting) {
    if (setting instanceof BucketSetting.Tagging t) {
      return new BucketInfo(name, region, owner, createdMillis, incarnation, versioning, partitions, replication,
          t.tags(), policy, cors);
    }
    if (setting instanceof BucketSetting.Policy p) {
      return new BucketInfo(name, region, owner, createdMillis, incarnation, versioning, partitions, replication,
          tags, p.json(), cors);
    }
    return new BucketInfo(name, region, owner, createdMillis, incarnation, versioning, partitions, replication,
        tags, policy, ((BucketSetting.Cors) setting).rules());
  }
}
