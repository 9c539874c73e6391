package dev.meridian.cluster.object;

import dev.meridian.cluster.RegionStorage;
import dev.meridian.persistence.ObjectIndex;
import dev.meridian.persistence.ObjectVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Applies a partition's events to the key/version index and the blob collector. Every step is idempotent,
 * so an event may be applied again (after a crash, or when rebuilding the index from the journal).
 *
 * <p>Two ways to apply an event. The partition's own path knows the key's current row from the read it
 * made to decide ({@link #apply(List, List)}, a group of events about different keys): it writes every
 * row at once (one round trip, not a chain of them; the rows of the index partition, replication progress
 * included, as one request, see {@link ObjectIndex.Writes}) and derives the new current row from the old
 * one and the event, as versions are ordered by {@code (seq, versionId)}; only the removal of the current
 * version reads the history back.
 * Re-applying after a crash knows nothing ({@link #apply(ObjectPartition.Event)}): it writes the history
 * first and then recomputes the current row from it, which is right whatever order versions arrived in.
 * The rows are not written atomically either way, which is why the partition replies only once all of
 * them are written, and why recovery applies the recent events again.
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

  /** The null versions of {@code keys}, without inline bytes (see {@link ObjectIndex#nullVersionsWithoutData}). */
  CompletionStage<Map<String, ObjectVersion>> nullVersionsWithoutData(List<String> keys) {
    return storage.index.nullVersionsWithoutData(bucket, part, keys);
  }

  /** Gives {@code each} every key with a version in the partition (see {@link ObjectIndex#forEachKey}). */
  CompletionStage<Void> forEachKey(Consumer<String> each) {
    return storage.index.forEachKey(bucket, part, each);
  }

  CompletionStage<Optional<ObjectVersion>> version(String key, String versionId) {
    return storage.index.version(bucket, part, key, versionId);
  }

  /** Applies an event without knowing the key's current row: history first, then the current row read back. */
  CompletionStage<Void> apply(ObjectPartition.Event event) {
    ObjectVersion v = subject(event);
    ObjectIndex.Writes rows = storage.index.writes(bucket, part);
    List<CompletionStage<Void>> others = history(event, rows);
    return all(others, rows).thenCompose(x -> recomputeCurrent(v.key()));
  }

  /**
   * Applies events of the partition's own, each about a different key, given each key's current row
   * before it ({@code befores}, read when the commands were decided; the partition is the only writer, so
   * they are still the current rows): the rows of all of them in one request, then the current rows that
   * only the history can tell, read back.
   */
  CompletionStage<Void> apply(List<ObjectPartition.Event> events, List<Optional<ObjectVersion>> befores) {
    ObjectIndex.Writes rows = storage.index.writes(bucket, part);
    List<CompletionStage<Void>> others = new ArrayList<>();
    List<String> recompute = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      if (!stage(events.get(i), befores.get(i), rows, others)) recompute.add(subject(events.get(i)).key());
    }
    CompletionStage<Void> written = all(others, rows);
    if (recompute.isEmpty()) return written;
    return written.thenCompose(x -> allOf(recompute.stream().map(this::recomputeCurrent).toList()));
  }

  /**
   * Adds an event's writes to {@code rows} and {@code others}; false when the key's current row is to be
   * recomputed from its history once they are written.
   */
  private boolean stage(ObjectPartition.Event event, Optional<ObjectVersion> before, ObjectIndex.Writes rows,
      List<CompletionStage<Void>> others) {
    ObjectVersion v = subject(event);
    others.addAll(history(event, rows));
    boolean wasCurrent = before.isPresent() && sameVersion(before.get(), v);
    if (event instanceof ObjectPartition.VersionRemoved) {
      // The next newest version becomes current: only the history can tell which that is.
      return !wasCurrent;
    }
    if (event instanceof ObjectPartition.VersionAdded added) {
      ObjectVersion replaced = added.replaced();
      boolean beforeStays = before.isPresent() && before.get().isNewerThan(v)
          && (replaced == null || !sameVersion(before.get(), replaced));
      boolean beforeRemoved = before.isPresent() && replaced != null && sameVersion(before.get(), replaced);
      // Cannot happen for the partition's own writes (a new version is the newest); stay correct anyway.
      if (beforeRemoved && before.get().isNewerThan(v)) return false;
      if (!beforeStays) rows.putCurrent(v);
    } else if (wasCurrent) {
      rows.putCurrent(v); // an update of the current version
    }
    return true;
  }

  /** The version an event is about. */
  static ObjectVersion subject(ObjectPartition.Event event) {
    if (event instanceof ObjectPartition.VersionAdded a) return a.version();
    if (event instanceof ObjectPartition.VersionUpdated u) return u.version();
    return ((ObjectPartition.VersionRemoved) event).version();
  }

  /**
   * Every write of an event except the current row: the index partition's rows into {@code rows}, the blob
   * collector's (another table, other partitions) started now and returned.
   */
  private List<CompletionStage<Void>> history(ObjectPartition.Event event, ObjectIndex.Writes rows) {
    List<CompletionStage<Void>> others = new ArrayList<>();
    if (event instanceof ObjectPartition.VersionAdded added) {
      ObjectVersion v = added.version();
      if (added.replaced() != null) others.add(remove(added.replaced(), rows));
      rows.putVersion(v);
      if (v.blob() != null && !v.blob().isInline()) others.add(storage.gc.clear(v.blob().id()));
      if (!v.replica()) owed(v, v.replicateTo(), Instant.ofEpochMilli(v.lastModifiedMillis()), rows);
    } else if (event instanceof ObjectPartition.VersionUpdated updated) {
      ObjectVersion v = updated.version();
      rows.putVersion(v);
      owed(v, updated.replicateNow(), Instant.ofEpochMilli(updated.atMillis()), rows);
    } else {
      others.add(remove(((ObjectPartition.VersionRemoved) event).version(), rows));
    }
    return others;
  }

  /** PENDING progress rows for the destinations a version owes, as of {@code asOf} (see ReplicationStatusStore). */
  private void owed(ObjectVersion v, List<String> destinations, Instant asOf, ObjectIndex.Writes rows) {
    for (String d : destinations) {
      rows.add(storage.replicationStatus.owed(bucket, part, v.key(), v.versionId(), d, v.size(),
          Instant.ofEpochMilli(v.lastModifiedMillis()), asOf));
    }
  }

  /** Removes a version's row; its blob is scheduled for collection (the returned write). */
  private CompletionStage<Void> remove(ObjectVersion v, ObjectIndex.Writes rows) {
    rows.removeVersion(v.key(), v.seq(), v.versionId());
    return storage.gc.scheduleDelete(v.blob(), Instant.now().plus(storage.settings.deleteGrace()));
  }

  private CompletionStage<Void> recomputeCurrent(String key) {
    return storage.index.newestVersion(bucket, part, key).thenCompose(newest -> {
      ObjectIndex.Writes rows = storage.index.writes(bucket, part);
      return (newest.isPresent() ? rows.putCurrent(newest.get()) : rows.removeCurrent(key)).execute();
    });
  }

  private static boolean sameVersion(ObjectVersion a, ObjectVersion b) {
    return a.seq() == b.seq() && a.versionId().equals(b.versionId());
  }

  /** The index partition's rows written in one request, together with the other writes already started. */
  private static CompletionStage<Void> all(List<CompletionStage<Void>> others, ObjectIndex.Writes rows) {
    List<CompletionStage<Void>> writes = new ArrayList<>(others);
    writes.add(rows.execute());
    return allOf(writes);
  }

  private static CompletionStage<Void> allOf(List<CompletionStage<Void>> stages) {
    return CompletableFuture.allOf(stages.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new));
  }
}
