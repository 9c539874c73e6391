package dev.meridian.cluster.object;

import dev.meridian.cluster.RegionStorage;
import dev.meridian.persistence.ObjectVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Applies a partition's events to the key/version index and the blob collector. Every step is idempotent,
 * so an event may be applied again (after a crash, or when rebuilding the index from the journal).
 *
 * <p>Two ways to apply an event. The partition's own path knows the key's current row from the read it
 * made to decide ({@link #apply(ObjectPartition.Event, Optional)}): it writes every row at once (one round
 * trip, not a chain of them) and derives the new current row from the old one and the event, as versions
 * are ordered by {@code (seq, versionId)}; only the removal of the current version reads the history back.
 * Re-applying after a crash knows nothing ({@link #apply(ObjectPartition.Event)}): it writes the history
 * first and then recomputes the current row from it, which is right whatever order versions arrived in.
 * The rows are not written atomically either way, which is why the partition replies only once all of
 * them are written, and why recovery applies the last event again.
 */
final class PartitionIndexer {

  private final RegionStorage storage;
  private final String bucket;
  private final int part;

  PartitionIndexer(RegionStorage storage, String bucket, int part) {
    this.storage = storage;
    this.bucket = bucket;
    this.part = part;
  }

  CompletionStage<Optional<ObjectVersion>> current(String key) {
    return storage.index.current(bucket, part, key);
  }

  CompletionStage<Optional<ObjectVersion>> nullVersion(String key) {
    return storage.index.nullVersion(bucket, part, key);
  }

  CompletionStage<Optional<ObjectVersion>> version(String key, String versionId) {
    return storage.index.version(bucket, part, key, versionId);
  }

  /** Applies an event without knowing the key's current row: history first, then the current row read back. */
  CompletionStage<Void> apply(ObjectPartition.Event event) {
    ObjectVersion v = subject(event);
    return all(historyWrites(event)).thenCompose(x -> recomputeCurrent(v.key()));
  }

  /**
   * Applies an event of the partition's own, given the key's current row before it ({@code before},
   * read when the command was decided; the partition is the only writer, so it is still the current row).
   */
  CompletionStage<Void> apply(ObjectPartition.Event event, Optional<ObjectVersion> before) {
    ObjectVersion v = subject(event);
    List<CompletionStage<Void>> writes = historyWrites(event);
    boolean wasCurrent = before.isPresent() && sameVersion(before.get(), v);
    if (event instanceof ObjectPartition.VersionRemoved) {
      // The next newest version becomes current: only the history can tell which that is.
      return wasCurrent ? all(writes).thenCompose(x -> recomputeCurrent(v.key())) : all(writes);
    }
    if (event instanceof ObjectPartition.VersionAdded added) {
      ObjectVersion replaced = added.replaced();
      boolean beforeStays = before.isPresent() && before.get().isNewerThan(v)
          && (replaced == null || !sameVersion(before.get(), replaced));
      boolean beforeRemoved = before.isPresent() && replaced != null && sameVersion(before.get(), replaced);
      if (beforeRemoved && before.get().isNewerThan(v)) {
        // Cannot happen for the partition's own writes (a new version is the newest); stay correct anyway.
        return all(writes).thenCompose(x -> recomputeCurrent(v.key()));
      }
      if (!beforeStays) writes.add(storage.index.putCurrent(bucket, part, v));
    } else if (wasCurrent) {
      writes.add(storage.index.putCurrent(bucket, part, v)); // an update of the current version
    }
    return all(writes);
  }

  /** The version an event is about. */
  static ObjectVersion subject(ObjectPartition.Event event) {
    if (event instanceof ObjectPartition.VersionAdded a) return a.version();
    if (event instanceof ObjectPartition.VersionUpdated u) return u.version();
    return ((ObjectPartition.VersionRemoved) event).version();
  }

  /** Every write of an event except the current row, started now: independent of each other. */
  private List<CompletionStage<Void>> historyWrites(ObjectPartition.Event event) {
    List<CompletionStage<Void>> writes = new ArrayList<>();
    if (event instanceof ObjectPartition.VersionAdded added) {
      ObjectVersion v = added.version();
      if (added.replaced() != null) writes.addAll(remove(added.replaced()));
      writes.add(storage.index.putVersion(bucket, part, v));
      if (v.blob() != null && !v.blob().isInline()) writes.add(storage.gc.clear(v.blob().id()));
      if (!v.replica()) writes.addAll(owed(v, v.replicateTo(), Instant.ofEpochMilli(v.lastModifiedMillis())));
    } else if (event instanceof ObjectPartition.VersionUpdated updated) {
      ObjectVersion v = updated.version();
      writes.add(storage.index.putVersion(bucket, part, v));
      writes.addAll(owed(v, updated.replicateNow(), Instant.ofEpochMilli(updated.atMillis())));
    } else {
      writes.addAll(remove(((ObjectPartition.VersionRemoved) event).version()));
    }
    return writes;
  }

  /** PENDING progress rows for the destinations a version owes, as of {@code asOf} (see ReplicationStatusStore). */
  private List<CompletionStage<Void>> owed(ObjectVersion v, List<String> destinations, Instant asOf) {
    List<CompletionStage<Void>> writes = new ArrayList<>();
    for (String d : destinations) {
      writes.add(storage.replicationStatus.owed(bucket, part, v.key(), v.versionId(), d, v.size(),
          Instant.ofEpochMilli(v.lastModifiedMillis()), asOf));
    }
    return writes;
  }

  private List<CompletionStage<Void>> remove(ObjectVersion v) {
    Instant due = Instant.now().plus(storage.settings.deleteGrace());
    return List.of(storage.index.removeVersion(bucket, part, v.key(), v.seq(), v.versionId()),
        storage.gc.scheduleDelete(v.blob(), due));
  }

  private CompletionStage<Void> recomputeCurrent(String key) {
    return storage.index.newestVersion(bucket, part, key).thenCompose(newest -> newest.isPresent()
        ? storage.index.putCurrent(bucket, part, newest.get())
        : storage.index.removeCurrent(bucket, part, key));
  }

  private static boolean sameVersion(ObjectVersion a, ObjectVersion b) {
    return a.seq() == b.seq() && a.versionId().equals(b.versionId());
  }

  private static CompletionStage<Void> all(List<CompletionStage<Void>> writes) {
    return CompletableFuture.allOf(writes.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new));
  }
}
