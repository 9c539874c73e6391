package dev.meridian.replication;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A replication projection's events: from its stored offset, or, for a projection that has none yet,
 * from {@link #MARGIN} before its region's keyspace was created ({@code RegionInfo}) instead of from the
 * plugin's {@code first-time-bucket}, which would cost one query per hourly bucket in between, for each
 * projection at each start until it stores an offset. The margin covers the clocks of the Cassandra that
 * recorded the creation and of the nodes that timestamp events. A region with no recorded creation (its
 * keyspace held a journal before Meridian recorded it) starts at {@code first-time-bucket}, as before.
 */
final class FromRegionStart<E> extends SourceProvider<Offset, EventEnvelope<E>> {

  static final Duration MARGIN = Duration.ofHours(1);

  private final SourceProvider<Offset, EventEnvelope<E>> events;
  private final Supplier<CompletionStage<Optional<Instant>>> regionCreated;

  FromRegionStart(SourceProvider<Offset, EventEnvelope<E>> events,
      Supplier<CompletionStage<Optional<Instant>>> regionCreated) {
    this.events = events;
    this.regionCreated = regionCreated;
  }

  @Override
  public CompletionStage<Source<EventEnvelope<E>, NotUsed>> source(
      Supplier<CompletionStage<Optional<Offset>>> storedOffset) {
    return events.source(() -> storedOffset.get().thenCompose(stored -> stored.isPresent()
        ? CompletableFuture.completedFuture(stored)
        : regionCreated.get().thenApply(created -> created.map(FromRegionStart::offsetBefore))));
  }

  /** The offset from which every event after {@code created - MARGIN} is read. */
  static Offset offsetBefore(Instant created) {
    return Offset.timeBasedUUID(Uuids.startOf(created.minus(MARGIN).toEpochMilli()));
  }

  @Override
  public Offset extractOffset(EventEnvelope<E> envelope) {
    return events.extractOffset(envelope);
  }

  @Override
  public long extractCreationTime(EventEnvelope<E> envelope) {
    return events.extractCreationTime(envelope);
  }
}
