package dev.meridian.replication;

import dev.meridian.cluster.object.ObjectPartition;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * The projections' side of replication: for one destination region, hands each object event of this
 * region's tag slice to the {@link Replicator}, restricted to destinations in that region. Envelopes of
 * one key are processed in order, others concurrently (the projection's parallelism). A failure fails the
 * envelope and the projection retries it with backoff from its last offset, so a region that is down
 * stalls only its own streams and nothing is dropped.
 */
final class ReplicationHandler {

  private final String destinationRegion;
  private final Replicator replicator;
  /** The last piece of work of each key in flight: work on one key runs in the order of its events. */
  private final ConcurrentHashMap<String, CompletableFuture<Done>> inFlight = new ConcurrentHashMap<>();

  ReplicationHandler(String destinationRegion, Replicator replicator) {
    this.destinationRegion = destinationRegion;
    this.replicator = replicator;
  }

  /** Replicates one envelope, after the envelopes of the same key that are still in flight. */
  CompletionStage<Done> process(EventEnvelope<ObjectPartition.Event> envelope) {
    if (!ObjectPartition.owesReplication(envelope.event())) return CompletableFuture.completedFuture(Done.getInstance());
    String key = envelope.persistenceId() + "/" + Replicator.keyOf(envelope.event());
    CompletableFuture<Done> mine = new CompletableFuture<>();
    CompletableFuture<Done> before = inFlight.put(key, mine);
    CompletionStage<Done> start = before == null ? CompletableFuture.completedFuture(Done.getInstance())
        : before.handle((d, e) -> Done.getInstance());
    start.thenCompose(x -> replicator.handle(sourceBucket(envelope.persistenceId()), envelope.event(),
        destinationRegion::equals)).whenComplete((d, e) -> {
          inFlight.remove(key, mine);
          if (e != null) mine.completeExceptionally(Replicator.cause(e));
          else mine.complete(Done.getInstance());
        });
    return mine;
  }

  /** The bucket of a partition's persistence id ({@code obj|bucket#part}). */
  static String sourceBucket(String persistenceId) {
    String entityId = persistenceId.substring(persistenceId.indexOf('|') + 1);
    return entityId.substring(0, entityId.lastIndexOf('#'));
  }
}
