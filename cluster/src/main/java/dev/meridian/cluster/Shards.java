package dev.meridian.cluster;

import dev.meridian.cluster.bucket.Bucket;
import dev.meridian.cluster.object.ObjectPartition;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Cluster Sharding for this node: the bucket and partition entities of its own region (data center), and a
 * sharding proxy per other region so that commands for a bucket homed elsewhere reach that region's
 * entities through the cluster.
 */
public final class Shards {

  private final ClusterSharding sharding;
  private final String region;

  public Shards(ActorSystem<?> system, RegionStorage storage) {
    this.sharding = ClusterSharding.get(system);
    this.region = storage.settings.region();
    sharding.init(Entity.of(Bucket.TYPE_KEY, ctx -> Bucket.create(ctx.getEntityId(), region, storage)));
    sharding.init(Entity.of(ObjectPartition.TYPE_KEY, ctx -> ObjectPartition.create(ctx.getEntityId(), storage)));
    for (String other : storage.settings.regions()) {
      if (other.equals(region)) continue;
      sharding.init(Entity.of(Bucket.TYPE_KEY, ctx -> Bucket.create(ctx.getEntityId(), other, storage)).withDataCenter(other));
      sharding.init(Entity.of(ObjectPartition.TYPE_KEY, ctx -> ObjectPartition.create(ctx.getEntityId(), storage))
          .withDataCenter(other));
    }
  }

  public EntityRef<Bucket.Command> bucket(String name, String home) {
    return home.equals(region) ? sharding.entityRefFor(Bucket.TYPE_KEY, name)
        : sharding.entityRefFor(Bucket.TYPE_KEY, name, home);
  }

  public EntityRef<ObjectPartition.Command> partition(String bucket, int part, String home) {
    String id = ObjectPartition.entityId(bucket, part);
    return home.equals(region) ? sharding.entityRefFor(ObjectPartition.TYPE_KEY, id)
        : sharding.entityRefFor(ObjectPartition.TYPE_KEY, id, home);
  }
}
