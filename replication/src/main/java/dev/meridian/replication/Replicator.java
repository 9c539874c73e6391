package dev.meridian.replication;

import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.Result;
import dev.meridian.cluster.StoreError;
import dev.meridian.cluster.bucket.BucketInfo;
import dev.meridian.cluster.bucket.Versioning;
import dev.meridian.cluster.object.ObjectPartition;
import dev.meridian.persistence.ObjectMeta;
import dev.meridian.persistence.ObjectVersion;
import dev.meridian.persistence.ReplicationStatusStore.Progress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what one object event of a source bucket owes replication, for the destinations in the
 * regions a caller accepts: copies the version (bytes streamed from the source region into a new blob of
 * the destination's region, then applied by the destination partition, idempotently by version id, with
 * the same id, order, time, ETag and metadata) and records COMPLETED; records FAILED with S3's reason for
 * a destination that is missing or unversioned, or when the replication role does not permit the copy
 * ({@link ReplicationRole}); passes tag changes on (when the role permits them). A version already at the
 * destination is not copied again. Any other failure fails the returned stage: the caller retries.
 * Used by the projections (the guarantee) and by the fast path (the low-latency attempt).
 */
final class Replicator {

  private static final Logger log = LoggerFactory.getLogger(Replicator.class);

  private final BucketService buckets;
  private final ReplicationRole role;
  /** Whether the progress rows are read first (see {@link #pending}). */
  private final boolean skipCompleted;
  /** What this node delivered lately: added to by every Replicator, read with {@code skipCompleted}. */
  private final Delivered delivered;

  /**
   * {@code skipCompleted}: for the projections, which usually come after the fast path has delivered; the
   * fast path runs just after the rows were written PENDING, so reading them there would be wasted.
   */
  Replicator(BucketService buckets, boolean skipCompleted, Delivered delivered) {
    this.buckets = buckets;
    this.skipCompleted = skipCompleted;
    this.delivered = delivered;
    this.role = new ReplicationRole(buckets.iamDirectory());
  }

  /** The key an event concerns (work on one key is kept in order). */
  static String keyOf(ObjectPartition.Event event) {
    if (event instanceof ObjectPartition.VersionAdded a) return a.version().key();
    if (event instanceof ObjectPartition.VersionUpdated u) return u.version().key();
    return ((ObjectPartition.VersionRemoved) event).version().key();
  }

  /** Whether replicating the event streams an object's bytes (a version larger than inline). */
  static boolean streamsBytes(ObjectPartition.Event event) {
    ObjectVersion v = event instanceof ObjectPartition.VersionAdded a ? a.version()
        : event instanceof ObjectPartition.VersionUpdated u ? u.version() : null;
    return v != null && !v.deleteMarker() && v.blob() != null && !v.blob().isInline();
  }

  /**
   * Does the event's work for the destinations whose region {@code regions} accepts. Replicas are never
   * copied on, but their tag changes may sync back (ReplicaModifications).
   */
  CompletionStage<Void> handle(String sourceBucket, ObjectPartition.Event event, Predicate<String> regions) {
    ObjectVersion v;
    List<String> copy;
    List<String> retag;
    if (event instanceof ObjectPartition.VersionAdded added) {
      v = added.version();
      copy = v.replica() ? List.of() : v.replicateTo();
      retag = List.of();
    } else if (event instanceof ObjectPartition.VersionUpdated updated) {
      v = updated.version();
      copy = v.replica() ? List.of() : updated.replicateNow();
      retag = updated.retagAt();
    } else {
      return CompletableFuture.completedFuture(null);
    }
    if (copy.isEmpty() && retag.isEmpty()) return CompletableFuture.completedFuture(null);
    return buckets.bucket(sourceBucket).thenCompose(source -> pending(source, v, copy).thenCompose(owed -> {
      // Destinations are independent: copied concurrently; tag changes after the copies.
      CompletionStage<Void> all = allOf(owed.stream().map(d -> replicate(source, v, d, regions)).toList());
      for (String destination : retag) all = all.thenCompose(x -> replicateTags(source, v, destination, regions));
      return all;
    })).exceptionally(e -> {
      if (isError(e, StoreError.NO_SUCH_BUCKET)) return null; // the source bucket is gone: nothing is owed any more
      throw new CompletionException(cause(e));
    });
  }

  /**
   * The destinations of {@code copy} that do not have the version yet (with {@code skipCompleted}; else all
   * of them): by what this node delivered lately, then by the progress rows. The fast path has usually
   * delivered it before a projection gets there, and one read of the rows costs less than asking each
   * destination. A row that says COMPLETED was written after the replica was applied.
   */
  private CompletionStage<List<String>> pending(BucketInfo source, ObjectVersion v, List<String> copy) {
    if (copy.isEmpty() || !skipCompleted) return CompletableFuture.completedFuture(copy);
    List<String> unknown = copy.stream().filter(d -> !delivered.contains(source.name(), v.versionId(), d)).toList();
    if (unknown.isEmpty()) return CompletableFuture.completedFuture(unknown);
    return buckets.replicationProgress(source, v).thenApply(progress -> unknown.stream()
        .filter(d -> progress.get(d) == null || !Progress.COMPLETED.equals(progress.get(d).status()))
        .toList());
  }

  private static CompletionStage<Void> allOf(List<CompletionStage<Void>> stages) {
    return CompletableFuture.allOf(stages.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new));
  }

  /**
   * The destination bucket if its region is one {@code regions} accepts, else null. The region is read from the
   * registry before the bucket's entity is asked, so a stream never waits on a region it does not serve (an SRR
   * stream keeps going while a CRR destination's region is down).
   */
  private CompletionStage<BucketInfo> destinationIn(String destinationName, Predicate<String> regions) {
    return buckets.homeRegion(destinationName).thenCompose(home -> regions.test(home)
        ? buckets.bucket(destinationName)
        : CompletableFuture.completedFuture(null));
  }

  private CompletionStage<Void> replicate(BucketInfo source, ObjectVersion v, String destinationName,
      Predicate<String> regions) {
    return destinationIn(destinationName, regions).handle((dest, err) -> {
      if (err != null) {
        if (isError(err, StoreError.NO_SUCH_BUCKET)) return fail(source, v, destinationName, "DstBucketNotFound");
        return CompletableFuture.<Void>failedFuture(cause(err));
      }
      if (dest == null || !regions.test(dest.region())) return CompletableFuture.<Void>completedFuture(null);
      if (dest.versioning() != Versioning.ENABLED) return fail(source, v, destinationName, "DstBucketUnversioned");
      return role.refusal(source, v, dest, ReplicationRole.Purpose.COPY).thenCompose(refused -> {
        if (refused != null) return fail(source, v, destinationName, refused);
        return copy(source, v, dest).thenCompose(x ->
            buckets.recordReplication(source, v, destinationName, new Progress(Progress.COMPLETED, null)))
            .thenRun(() -> delivered.add(source.name(), v.versionId(), destinationName));
      });
    }).thenCompose(f -> f);
  }

  /**
   * A tag change passed on: to the replicas of a source version, or (ReplicaModifications) from a replica
   * back to the bucket it syncs with. A version that is not there (its replication failed, or it was
   * deleted) is left alone.
   */
  private CompletionStage<Void> replicateTags(BucketInfo source, ObjectVersion v, String destinationName,
      Predicate<String> regions) {
    return destinationIn(destinationName, regions).thenCompose(dest -> {
      if (dest == null || !regions.test(dest.region())) return CompletableFuture.<Void>completedFuture(null);
      return role.refusal(source, v, dest, ReplicationRole.Purpose.TAGS).thenCompose(refused -> {
        if (refused != null) {
          log.warn("tag change of {}/{} ({}) not replicated to {}: {}", source.name(), v.key(), v.versionId(),
              destinationName, refused);
          return CompletableFuture.<Void>completedFuture(null);
        }
        return buckets.replicateTags(dest, v.key(), v.versionId(), v.meta().tags(), v.meta().tagsMillis())
            .<Void>thenApply(x -> null);
      });
    }).exceptionally(e -> {
      if (isError(e, StoreError.NO_SUCH_BUCKET) || isError(e, StoreError.NO_SUCH_VERSION)
          || isError(e, StoreError.METHOD_NOT_ALLOWED)) {
        return null;
      }
      throw new CompletionException(cause(e));
    });
  }

  private CompletionStage<Void> fail(BucketInfo source, ObjectVersion v, String destination, String reason) {
    log.warn("replication of {}/{} ({}) to {} failed: {}", source.name(), v.key(), v.versionId(), destination, reason);
    return buckets.recordReplication(source, v, destination, new Progress(Progress.FAILED, reason));
  }

  /**
   * Applies the replica. A delete marker, or a version whose bytes came inline with the event, is applied
   * at once: the destination partition applies a version id only once. Otherwise the bytes are streamed
   * unless the destination has the version already; a copy that loses a race with another is discarded.
   */
  private CompletionStage<Void> copy(BucketInfo source, ObjectVersion v, BucketInfo dest) {
    ObjectMeta meta = destinationMeta(source, v, dest.name());
    if (v.deleteMarker() || v.blob().isInline()) {
      return buckets.replicate(dest, v.asReplica(v.deleteMarker() ? null : v.blob(), meta)).thenApply(x -> null);
    }
    return buckets.version(dest, v.key(), v.versionId()).thenCompose(there -> {
      if (there.isPresent()) return CompletableFuture.<Void>completedFuture(null);
      return buckets.writeObject(dest, v.key(), v.size(), buckets.read(source, v, 0, v.size() - 1))
          .thenCompose(b -> buckets.replicate(dest, v.asReplica(b, meta))
              .thenCompose(applied -> applied ? CompletableFuture.<Void>completedFuture(null) : buckets.discardBlob(dest, b)));
    });
  }

  /** The replica's metadata: the source's, with the storage class the rule's destination asks for. */
  private static ObjectMeta destinationMeta(BucketInfo source, ObjectVersion v, String destination) {
    if (v.meta() == null || source.replication() == null) return v.meta();
    String storageClass = source.replication().rules().stream()
        .filter(r -> r.destination().bucket().equals(destination) && r.destination().storageClass() != null)
        .map(r -> r.destination().storageClass()).findFirst().orElse(null);
    ObjectMeta m = v.meta();
    return storageClass == null ? m : new ObjectMeta(m.contentType(), m.contentEncoding(), m.contentDisposition(),
        m.contentLanguage(), m.cacheControl(), m.expires(), m.userMetadata(), storageClass, m.checksums(), m.tags(),
        m.tagsMillis());
  }

  static Throwable cause(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  private static boolean isError(Throwable e, StoreError error) {
    return cause(e) instanceof Result.StoreException se && se.error == error;
  }
}
