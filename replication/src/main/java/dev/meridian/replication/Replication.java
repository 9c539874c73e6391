package dev.meridian.replication;

import com.typesafe.config.Config;
import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.MeridianSettings;
import dev.meridian.cluster.object.ObjectPartition;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionContext;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.AtLeastOnceFlowProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.stream.javadsl.FlowWithContext;

/**
 * Starts this region's replication: for every region of the cluster (this one included, for SRR), one
 * projection per tag slice of this region's object events, run by a ShardedDaemonProcess spread over
 * the region's nodes. Each (destination region, slice) pair has its own offset, so an unreachable
 * destination region stalls only its own projections while the others keep going. A projection without an
 * offset starts at its region's creation ({@link FromRegionStart}); versions its node's fast path has just
 * delivered are skipped without reading their progress rows ({@link Delivered}).
 */
public final class Replication {

  private Replication() {}

  public static void start(ActorSystem<?> system, BucketService buckets) {
    MeridianSettings settings = buckets.settings();
    Config c = system.settings().config().getConfig("meridian.replication");
    Duration minBackoff = c.getDuration("restart-min-backoff");
    Duration maxBackoff = c.getDuration("restart-max-backoff");
    int slices = settings.tagSlices();
    int parallelism = c.getInt("parallelism");
    Delivered delivered = new Delivered(c.getInt("delivered.max-entries"), c.getDuration("delivered.keep"));
    if (c.getBoolean("fast-path.enabled")) {
      system.systemActorOf(FastPath.create(buckets, new Replicator(buckets, false, delivered), c.getInt("fast-path.max-in-flight"),
          c.getInt("fast-path.max-streaming")),
          "replication-fast-path", Props.empty());
    }
    for (String destination : settings.regions()) {
      ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, "replication-to-" + destination, slices,
          i -> ProjectionBehavior.create(projection(system, buckets, delivered, destination, "obj-" + i, minBackoff,
              maxBackoff, parallelism)),
          ShardedDaemonProcessSettings.create(system), Optional.of(ProjectionBehavior.stopMessage()));
    }
  }

  /** The projection replicating one tag slice of this region's events to {@code destination}. */
  static ProjectionId projectionId(String destination, String tag) {
    return ProjectionId.of("replication-to-" + destination, tag);
  }

  private static AtLeastOnceFlowProjection<org.apache.pekko.persistence.query.Offset, EventEnvelope<ObjectPartition.Event>>
      projection(ActorSystem<?> system, BucketService buckets, Delivered delivered, String destination, String tag,
      Duration minBackoff, Duration maxBackoff, int parallelism) {
    SourceProvider<org.apache.pekko.persistence.query.Offset, EventEnvelope<ObjectPartition.Event>> source =
        new FromRegionStart<>(EventSourcedProvider.eventsByTag(system, CassandraReadJournal.Identifier(), tag),
            buckets::regionCreated);
    ReplicationHandler handler = new ReplicationHandler(destination, new Replicator(buckets, true, delivered));
    FlowWithContext<EventEnvelope<ObjectPartition.Event>, ProjectionContext, Done, ProjectionContext, NotUsed> flow =
        FlowWithContext.<EventEnvelope<ObjectPartition.Event>, ProjectionContext>create()
            .mapAsync(parallelism, handler::process);
    return CassandraProjection.atLeastOnceFlow(projectionId(destination, tag), source, flow)
        .withSaveOffset(10, Duration.ofSeconds(1))
        .withRestartBackoff(minBackoff, maxBackoff, 0.2);
  }
}
