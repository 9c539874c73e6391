package dev.meridian.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.TimeBasedUUID;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;

/** Where a replication projection starts reading its tag: its offset, else its region's creation, else the plugin's start. */
class FromRegionStartTest {

  private static final Instant CREATED = Instant.parse("2027-03-04T05:06:07Z");

  /** The events' provider: records the offset it is asked to start from (empty: the plugin's first-time-bucket). */
  private static final class Recording extends SourceProvider<Offset, EventEnvelope<String>> {
    final List<Optional<Offset>> startedFrom = new ArrayList<>();

    @Override
    public CompletionStage<Source<EventEnvelope<String>, NotUsed>> source(
        Supplier<CompletionStage<Optional<Offset>>> offset) {
      return offset.get().thenApply(o -> {
        startedFrom.add(o);
        return Source.empty();
      });
    }

    @Override
    public Offset extractOffset(EventEnvelope<String> envelope) {
      return envelope.offset();
    }

    @Override
    public long extractCreationTime(EventEnvelope<String> envelope) {
      return envelope.timestamp();
    }
  }

  private static Optional<Offset> startFrom(Optional<Offset> stored, Optional<Instant> created) throws Exception {
    Recording events = new Recording();
    new FromRegionStart<>(events, () -> CompletableFuture.completedFuture(created))
        .source(() -> CompletableFuture.completedFuture(stored)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    return events.startedFrom.get(0);
  }

  private static long millis(Offset o) {
    return com.datastax.oss.driver.api.core.uuid.Uuids.unixTimestamp(((TimeBasedUUID) o).value());
  }

  @Test
  void aProjectionWithAnOffsetContinuesFromIt() throws Exception {
    Offset stored = Offset.sequence(42);
    assertEquals(Optional.of(stored), startFrom(Optional.of(stored), Optional.of(CREATED)));
  }

  @Test
  void aNewProjectionStartsAnHourBeforeItsRegionWasCreated() throws Exception {
    Offset start = startFrom(Optional.empty(), Optional.of(CREATED)).orElseThrow();
    assertEquals(CREATED.minus(FromRegionStart.MARGIN).toEpochMilli(), millis(start));
  }

  @Test
  void aRegionWithoutARecordStartsWhereThePluginStarts() throws Exception {
    assertEquals(Optional.empty(), startFrom(Optional.empty(), Optional.empty()));
  }
}
