package dev.meridian.replication;

import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.object.ObjectPartition;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.projection.javadsl.ProjectionManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The low-latency side of replication, one per node: as soon as a partition of this node has indexed a
 * version that owes replication, the version is replicated at once, without waiting for the
 * events-by-tag query and its consistency delay. Best effort: with {@code max-in-flight} attempts
 * running (or {@code max-streaming} that stream an object's bytes, which buffer chunks), or when an
 * attempt fails (a region unreachable), the work is left to the projections, which remain the guarantee
 * and skip what the fast path already delivered. Destinations in paused regions are skipped (the pause
 * is read from the projections' management every half second).
 */
final class FastPath {

  private static final Logger log = LoggerFactory.getLogger(FastPath.class);
  private static final Duration PAUSE_REFRESH = Duration.ofMillis(500);

  private sealed interface Msg {}

  private record Notified(ObjectPartition.ReplicationNeeded needed) implements Msg {}

  private record Finished(boolean streamed) implements Msg {}

  private record RefreshPauses() implements Msg {}

  private FastPath() {}

  static Behavior<Msg> create(BucketService buckets, Replicator replicator, int maxInFlight, int maxStreaming) {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(ObjectPartition.ReplicationNeeded.class,
          ctx.messageAdapter(ObjectPartition.ReplicationNeeded.class, Notified::new)));
      Set<String> paused = ConcurrentHashMap.newKeySet();
      List<String> regions = buckets.settings().regions();
      int[] inFlight = {0};
      int[] streaming = {0};
      return Behaviors.withTimers(timers -> {
        timers.startTimerWithFixedDelay(new RefreshPauses(), PAUSE_REFRESH);
        return Behaviors.receive(Msg.class)
            .onMessage(Notified.class, n -> {
              ObjectPartition.ReplicationNeeded needed = n.needed();
              boolean streams = Replicator.streamsBytes(needed.event());
              if (inFlight[0] >= maxInFlight || (streams && streaming[0] >= maxStreaming)) {
                return Behaviors.same(); // the projections will do it
              }
              inFlight[0]++;
              if (streams) streaming[0]++;
              ctx.pipeToSelf(replicator.handle(needed.bucket(), needed.event(), region -> !paused.contains(region)),
                  (ok, err) -> {
                    if (err != null) log.debug("fast replication of {} left to the projections: {}", needed.bucket(), err.toString());
                    return new Finished(streams);
                  });
              return Behaviors.same();
            })
            .onMessage(Finished.class, f -> {
              inFlight[0]--;
              if (f.streamed()) streaming[0]--;
              return Behaviors.same();
            })
            .onMessage(RefreshPauses.class, r -> {
              for (String region : regions) {
                refresh(ctx.getSystem(), region).thenAccept(p -> {
                  if (p == null) return; // unknown: keep what was known
                  if (p) paused.add(region);
                  else paused.remove(region);
                });
              }
              return Behaviors.same();
            })
            .build();
      });
    });
  }

  /** Whether the streams into {@code region} are paused (its first tag slice stands for all). */
  private static CompletionStage<Boolean> refresh(ActorSystem<?> system, String region) {
    return ProjectionManagement.get(system).isPaused(Replication.projectionId(region, "obj-0"))
        .exceptionally(e -> null);
  }
}
