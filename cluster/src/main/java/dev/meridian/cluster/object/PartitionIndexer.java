package dev.meridian.cluster.object;

import dev.meridian.cluster.RegionStorage;
import dev.meridian.persistence.ObjectVersion;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Applies a partition's events to the key/version index and the blob collector. Every step is idempotent,
 * so an event may be applied again (after a crash, or when rebuilding the index from the journal). The
 * current row of a key is recomputed from its history rather than patched, which keeps it right whatever
 * order versions arrive in.
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

  CompletionStage<Void> apply(ObjectPartition.Event event) {
    if (event instanceof ObjectPartition.VersionAdded added) {
      ObjectVersion v = added.version();
      CompletionStage<Void> replaced = added.replaced() == null ? done() : remove(added.replaced());
      return replaced
          .thenCompose(x -> storage.index.putVersion(bucket, part, v))
          .thenCompose(x -> recomputeCurrent(v.key()))
          .thenCompose(x -> v.blob() == null ? done() : storage.gc.clear(v.blob().id()))
          .thenCompose(x -> v.replica() ? done()
              : owed(v, v.replicateTo(), Instant.ofEpochMilli(v.lastModifiedMillis())));
    }
    if (event instanceof ObjectPartition.VersionUpdated updated) {
      ObjectVersion v = updated.version();
      return storage.index.putVersion(bucket, part, v)
          .thenCompose(x -> recomputeCurrent(v.key()))
          .thenCompose(x -> owed(v, updated.replicateNow(), Instant.ofEpochMilli(updated.atMillis())));
    }
    ObjectVersion gone = ((ObjectPartition.VersionRemoved) event).version();
    return remove(gone).thenCompose(x -> recomputeCurrent(gone.key()));
  }

  /** PENDING progress rows for the destinations a version owes, as of {@code asOf} (see ReplicationStatusStore). */
  private CompletionStage<Void> owed(ObjectVersion v, List<String> destinations, Instant asOf) {
    CompletionStage<Void> all = done();
    for (String d : destinations) {
      all = all.thenCompose(x -> storage.replicationStatus.owed(bucket, part, v.key(), v.versionId(), d, v.size(),
          Instant.ofEpochMilli(v.lastModifiedMillis()), asOf));
    }
    return all;
  }

  private CompletionStage<Void> remove(ObjectVersion v) {
    Instant due = Instant.now().plus(storage.settings.deleteGrace());
    return storage.index.removeVersion(bucket, part, v.key(), v.seq(), v.versionId())
        .thenCompose(x -> storage.gc.scheduleDelete(v.blob(), due));
  }

  private CompletionStage<Void> recomputeCurrent(String key) {
    return storage.index.newestVersion(bucket, part, key).thenCompose(newest -> newest.isPresent()
        ? storage.index.putCurrent(bucket, part, newest.get())
        : storage.index.removeCurrent(bucket, part, key));
  }

  private static CompletionStage<Void> done() {
    return CompletableFuture.completedFuture(null);
  }
}
