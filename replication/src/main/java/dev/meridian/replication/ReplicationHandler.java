package dev.meridian.replication;

import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.Result;
import dev.meridian.cluster.StoreError;
import dev.meridian.cluster.bucket.BucketInfo;
import dev.meridian.cluster.bucket.Versioning;
import dev.meridian.cluster.object.ObjectPartition;
import dev.meridian.persistence.BlobRef;
import dev.meridian.persistence.ObjectMeta;
import dev.meridian.persistence.ObjectVersion;
import dev.meridian.persistence.ReplicationStatusStore.Progress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicates the versions of one tag slice of this region's object events to the destination buckets
 * that live in one destination region. For each version that owes replication there: the bytes are
 * streamed from this region into a new blob of the destination region, then the destination partition
 * applies the replica (same version id, order, time, ETag, metadata), idempotently, and the progress is
 * recorded as COMPLETED. A destination that is missing or unversioned is a permanent failure, recorded as
 * FAILED with S3's reason code; a later tag change of a replicated version is applied to its replicas,
 * and a version an operator asks to replicate (an existing object, a FAILED retry) is copied like a new one; anything else fails the envelope, and the projection retries it with
 * backoff, so a region that is down stalls only its own stream and nothing is dropped.
 */
final class ReplicationHandler {

  private static final Logger log = LoggerFactory.getLogger(ReplicationHandler.class);

  private final String destinationRegion;
  private final BucketService buckets;

  ReplicationHandler(String destinationRegion, BucketService buckets) {
    this.destinationRegion = destinationRegion;
    this.buckets = buckets;
  }

  /** The last piece of work of each key in flight: work on one key runs in the order of its events. */
  private final ConcurrentHashMap<String, CompletableFuture<Done>> inFlight = new ConcurrentHashMap<>();

  /**
   * Replicates one envelope, after the envelopes of the same key that are still in flight (envelopes of
   * other keys run concurrently, up to the projection's parallelism).
   */
  CompletionStage<Done> process(EventEnvelope<ObjectPartition.Event> envelope) {
    String key = envelope.persistenceId() + "/" + keyOf(envelope.event());
    CompletableFuture<Done> mine = new CompletableFuture<>();
    CompletableFuture<Done> before = inFlight.put(key, mine);
    CompletionStage<Done> start = before == null ? CompletableFuture.completedFuture(Done.getInstance())
        : before.handle((d, e) -> Done.getInstance());
    start.thenCompose(x -> processNow(envelope)).whenComplete((d, e) -> {
      inFlight.remove(key, mine);
      if (e != null) mine.completeExceptionally(e);
      else mine.complete(d);
    });
    return mine;
  }

  private static String keyOf(ObjectPartition.Event event) {
    if (event instanceof ObjectPartition.VersionAdded a) return a.version().key();
    if (event instanceof ObjectPartition.VersionUpdated u) return u.version().key();
    return ((ObjectPartition.VersionRemoved) event).version().key();
  }

  private CompletionStage<Done> processNow(EventEnvelope<ObjectPartition.Event> envelope) {
    // Replicas are never copied on, but their tag changes may sync back (ReplicaModifications).
    ObjectVersion v;
    List<String> copy;
    List<String> retag;
    if (envelope.event() instanceof ObjectPartition.VersionAdded added) {
      v = added.version();
      copy = v.replica() ? List.of() : v.replicateTo();
      retag = List.of();
    } else if (envelope.event() instanceof ObjectPartition.VersionUpdated updated) {
      v = updated.version();
      copy = v.replica() ? List.of() : updated.replicateNow();
      retag = updated.retagAt();
    } else {
      return done();
    }
    if (copy.isEmpty() && retag.isEmpty()) return done();
    String entityId = envelope.persistenceId().substring(envelope.persistenceId().indexOf('|') + 1);
    String sourceName = entityId.substring(0, entityId.lastIndexOf('#'));
    return buckets.bucket(sourceName).thenCompose(source -> {
      CompletionStage<Void> all = CompletableFuture.completedFuture(null);
      for (String destination : copy) all = all.thenCompose(x -> replicate(source, v, destination));
      for (String destination : retag) all = all.thenCompose(x -> replicateTags(v, destination));
      return all;
    }).exceptionally(e -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof Result.StoreException se && se.error == StoreError.NO_SUCH_BUCKET) {
        return null; // the source bucket is gone (it was emptied and deleted): nothing is owed any more
      }
      throw new CompletionException(cause);
    }).thenApply(x -> Done.getInstance());
  }

  private CompletionStage<Void> replicate(BucketInfo source, ObjectVersion v, String destinationName) {
    return buckets.bucket(destinationName).handle((dest, err) -> {
      if (err != null) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof Result.StoreException se && se.error == StoreError.NO_SUCH_BUCKET) {
          return fail(source, v, destinationName, "DstBucketNotFound");
        }
        return CompletableFuture.<Void>failedFuture(cause);
      }
      if (!dest.region().equals(destinationRegion)) return CompletableFuture.<Void>completedFuture(null);
      if (dest.versioning() != Versioning.ENABLED) return fail(source, v, destinationName, "DstBucketUnversioned");
      return copy(source, v, dest).thenCompose(x ->
          buckets.recordReplication(source, v, destinationName, new Progress(Progress.COMPLETED, null)));
    }).thenCompose(f -> f);
  }

  /**
   * A tag change passed on: to the replicas of a source version, or (ReplicaModifications) from a replica
   * back to the bucket it syncs with. A version that is not there (its replication failed, or it was
   * deleted) is left alone.
   */
  private CompletionStage<Void> replicateTags(ObjectVersion v, String destinationName) {
    return buckets.bucket(destinationName).thenCompose(dest -> {
      if (!dest.region().equals(destinationRegion)) return CompletableFuture.<Void>completedFuture(null);
      return buckets.setTags(dest, v.key(), v.versionId(), v.meta().tags(), false).<Void>thenApply(x -> null);
    }).exceptionally(e -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof Result.StoreException se && (se.error == StoreError.NO_SUCH_BUCKET
          || se.error == StoreError.NO_SUCH_VERSION || se.error == StoreError.METHOD_NOT_ALLOWED)) {
        return null;
      }
      throw new CompletionException(cause);
    });
  }

  private CompletionStage<Void> fail(BucketInfo source, ObjectVersion v, String destination, String reason) {
    log.warn("replication of {}/{} ({}) to {} failed: {}", source.name(), v.key(), v.versionId(), destination, reason);
    return buckets.recordReplication(source, v, destination, new Progress(Progress.FAILED, reason));
  }

  /** Streams the bytes (none for a delete marker) and applies the replica; a redelivered copy is discarded. */
  private CompletionStage<Void> copy(BucketInfo source, ObjectVersion v, BucketInfo dest) {
    ObjectMeta meta = destinationMeta(source, v, dest.name());
    if (v.deleteMarker()) return buckets.replicate(dest, v.asReplica(null, meta)).thenApply(x -> null);
    CompletionStage<BlobRef> blob = buckets.writeBlob(dest, v.key(), buckets.read(source, v, 0, v.size() - 1));
    return blob.thenCompose(b -> buckets.replicate(dest, v.asReplica(b, meta))
        .thenCompose(applied -> applied ? CompletableFuture.<Void>completedFuture(null) : buckets.discardBlob(dest, b)));
  }

  /** The replica's metadata: the source's, with the storage class the rule's destination asks for. */
  private static ObjectMeta destinationMeta(BucketInfo source, ObjectVersion v, String destination) {
    if (v.meta() == null || source.replication() == null) return v.meta();
    String storageClass = source.replication().rules().stream()
        .filter(r -> r.destination().bucket().equals(destination) && r.destination().storageClass() != null)
        .map(r -> r.destination().storageClass()).findFirst().orElse(null);
    ObjectMeta m = v.meta();
    return storageClass == null ? m : new ObjectMeta(m.contentType(), m.contentEncoding(), m.contentDisposition(),
        m.contentLanguage(), m.cacheControl(), m.expires(), m.userMetadata(), storageClass, m.checksums(), m.tags());
  }

  private static CompletionStage<Done> done() {
    return CompletableFuture.completedFuture(Done.getInstance());
  }
}
