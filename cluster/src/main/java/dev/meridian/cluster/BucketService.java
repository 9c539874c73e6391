package dev.meridian.cluster;

import dev.meridian.cluster.bucket.Bucket;
import dev.meridian.cluster.bucket.BucketInfo;
import dev.meridian.cluster.bucket.BucketSetting;
import dev.meridian.cluster.bucket.ReplicationConfig;
import dev.meridian.cluster.bucket.Versioning;
import dev.meridian.cluster.object.Listing;
import dev.meridian.cluster.object.ObjectPartition;
import dev.meridian.cluster.region.RegionData;
import dev.meridian.cluster.region.Regions;
import dev.meridian.persistence.BlobRef;
import dev.meridian.persistence.BlobStore;
import dev.meridian.persistence.BucketRegistry;
import dev.meridian.cluster.iam.IamDirectory;
import dev.meridian.cluster.iam.IamSettings;
import dev.meridian.persistence.IamStore;
import dev.meridian.persistence.MultipartStore;
import dev.meridian.persistence.ObjectMeta;
import dev.meridian.persistence.RegionInfo;
import dev.meridian.persistence.ReplicationStatusStore;
import dev.meridian.persistence.VersionIds;
import dev.meridian.persistence.ObjectVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.zip.CRC32;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The storage operations the S3 API needs, in domain terms. Commands go to the bucket's home region
 * through sharding; reads of the index and of blobs go to Cassandra directly (the writers keep the index
 * current before they acknowledge). Every failure surfaces as a {@link Result.StoreException} with a
 * {@link StoreError}.
 */
public final class BucketService {

  private static final Duration HOME_CACHE_TTL = Duration.ofSeconds(30);

  private final ActorSystem<?> system;
  private final RegionStorage storage;
  private final Shards shards;
  private final Regions regions;
  private final Duration askTimeout;
  private final IamDirectory iamDirectory;
  private final Materializer mat;
  /** Home region of recently seen buckets (positive entries only: a miss always asks the registry). */
  private final ConcurrentHashMap<String, CachedHome> homes = new ConcurrentHashMap<>();

  private record CachedHome(String region, Instant until) {}

  public BucketService(ActorSystem<?> system, RegionStorage storage, Shards shards) {
    this.system = system;
    this.storage = storage;
    this.shards = shards;
    this.regions = new Regions(system, storage);
    this.askTimeout = storage.settings.askTimeout();
    this.mat = Materializer.matFromSystem(system);
    this.iamDirectory = new IamDirectory(storage.iam, IamSettings.from(system.settings().config()),
        storage.settings.accountId());
  }

  public MeridianSettings settings() {
    return storage.settings;
  }

  /** When this region's keyspace was created, if recorded (see {@link RegionInfo}). */
  public CompletionStage<Optional<Instant>> regionCreated() {
    return RegionInfo.created(storage.session, storage.settings.regionKeyspace());
  }

  /** IAM roles and policies (global: the same in every region). */
  public IamStore iam() {
    return storage.iam;
  }

  /** IAM as authentication and authorization read it: cached, with secrets opened and policies parsed. */
  public IamDirectory iamDirectory() {
    return iamDirectory;
  }

  // ---- buckets ----

  public CompletionStage<BucketInfo> createBucket(String name, String region, String owner) {
    return this.<Bucket.Command, BucketInfo>ask(region, shards.bucket(name, region), reply -> new Bucket.Create(owner, reply))
        .thenApply(info -> remember(info));
  }

  /** The bucket's metadata from its entity in its home region, or NO_SUCH_BUCKET. */
  public CompletionStage<BucketInfo> bucket(String name) {
    CachedHome cached = homes.get(name);
    if (cached == null || cached.until().isBefore(Instant.now())) return bucketAt(name, lookupHome(name));
    // The name may have been deleted and claimed again in another region since it was cached: a miss at
    // the cached home is checked against the registry before it is believed.
    return bucketAt(name, CompletableFuture.completedFuture(cached.region())).handle((info, err) -> {
      if (err == null) return CompletableFuture.completedFuture(info);
      Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
      if (cause instanceof Result.StoreException se && se.error == StoreError.NO_SUCH_BUCKET) {
        homes.remove(name, cached);
        return bucketAt(name, lookupHome(name));
      }
      return CompletableFuture.<BucketInfo>failedFuture(cause);
    }).thenCompose(f -> f);
  }

  /**
   * The region a bucket lives in, from the registry (cached for {@link #HOME_CACHE_TTL}), without asking the
   * bucket's entity: answers while that region is unreachable. NO_SUCH_BUCKET when the name is not claimed.
   */
  public CompletionStage<String> homeRegion(String name) {
    CachedHome cached = homes.get(name);
    if (cached != null && cached.until().isAfter(Instant.now())) return CompletableFuture.completedFuture(cached.region());
    return lookupHome(name);
  }

  private CompletionStage<BucketInfo> bucketAt(String name, CompletionStage<String> home) {
    return home.thenCompose(region -> this.<Bucket.Command, BucketInfo>ask(region, shards.bucket(name, region), Bucket.Get::new));
  }

  public CompletionStage<List<BucketRegistry.Entry>> listBuckets(String owner) {
    return storage.registry.all().thenApply(all -> all.stream()
        .filter(e -> e.owner().equals(owner))
        .sorted((a, b) -> a.name().compareTo(b.name()))
        .toList());
  }

  public CompletionStage<BucketInfo> setReplication(BucketInfo bucket, ReplicationConfig config) {
    return this.<Bucket.Command, BucketInfo>ask(bucket.region(), shards.bucket(bucket.name(), bucket.region()),
        reply -> new Bucket.SetReplication(config, reply));
  }

  /** Every bucket of every region, from the global registry. */
  public CompletionStage<List<BucketRegistry.Entry>> allBuckets() {
    return storage.registry.all();
  }

  /** Sets (or, with an empty value, removes) the bucket's tags, policy or CORS rules. */
  public CompletionStage<BucketInfo> configure(BucketInfo bucket, BucketSetting setting) {
    return this.<Bucket.Command, BucketInfo>ask(bucket.region(), shards.bucket(bucket.name(), bucket.region()),
        reply -> new Bucket.Configure(setting, reply));
  }

  public CompletionStage<BucketInfo> setVersioning(BucketInfo bucket, Versioning status) {
    return this.<Bucket.Command, BucketInfo>ask(bucket.region(), shards.bucket(bucket.name(), bucket.region()),
        reply -> new Bucket.SetVersioning(status, reply));
  }

  public CompletionStage<Void> deleteBucket(BucketInfo bucket) {
    return this.<Bucket.Command, BucketInfo>ask(bucket.region(), shards.bucket(bucket.name(), bucket.region()), Bucket.Delete::new)
        .thenAccept(x -> homes.remove(bucket.name()));
  }

  private CompletionStage<String> lookupHome(String name) {
    return storage.registry.lookup(name).thenApply(entry -> {
      BucketRegistry.Entry e = entry.orElseThrow(() -> new Result.StoreException(StoreError.NO_SUCH_BUCKET, name));
      homes.put(name, new CachedHome(e.region(), Instant.now().plus(HOME_CACHE_TTL)));
      return e.region();
    });
  }

  private BucketInfo remember(BucketInfo info) {
    homes.put(info.name(), new CachedHome(info.region(), Instant.now().plus(HOME_CACHE_TTL)));
    return info;
  }

  // ---- objects ----

  public static int partitionOf(String key, int partitions) {
    CRC32 crc = new CRC32();
    crc.update(key.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % partitions);
  }

  /**
   * Streams an object's bytes into the bucket's region as a new blob (through that region's gateway when
   * it is not this node's). If the upload never commits, the blob is collected after the upload grace.
   */
  public CompletionStage<BlobRef> writeBlob(BucketInfo bucket, String key, Source<ByteString, ?> data) {
    return regions.of(bucket.region()).writeBlob(bucket.name(), partitionOf(key, bucket.partitions()), key, data);
  }

  /**
   * Takes the bytes of a whole object of declared {@code size}: inline (kept with the version, see
   * {@link BlobRef}) when it is at most {@code inline-max-size}, else as a blob in the bucket's region
   * ({@link #writeBlob}). Not for the parts of a multipart upload, whose manifest lists chunked blobs.
   */
  public CompletionStage<BlobRef> writeObject(BucketInfo bucket, String key, long size, Source<ByteString, ?> data) {
    int inlineMax = storage.settings.inlineMaxSize();
    if (inlineMax > 0 && size >= 0 && size <= inlineMax) return BlobStore.inline(data, inlineMax, mat);
    return writeBlob(bucket, key, data);
  }

  /** Drops a blob that will not be committed (a failed digest check). */
  public CompletionStage<Void> discardBlob(BucketInfo bucket, BlobRef blob) {
    if (blob.isInline()) return CompletableFuture.completedFuture(null);
    return regions.of(bucket.region()).discardBlob(blob);
  }

  /**
   * Commits a version whose bytes are written; the partition assigns version id, sequence and time. The
   * version owes replication to the destinations of the bucket's rules that cover it.
   */
  public CompletionStage<ObjectVersion> commit(BucketInfo bucket, ObjectVersion draft, String ifMatch, boolean ifNoneMatchAny) {
    var ref = partitionRef(bucket, draft.key());
    ObjectVersion owed = draft.withReplicateTo(replicationTargets(bucket, draft.key(), draft.meta().tags(), false));
    return this.<ObjectPartition.Command, ObjectVersion>ask(bucket.region(), ref,
        reply -> new ObjectPartition.Put(owed, bucket.versioning(), ifMatch, ifNoneMatchAny, reply));
  }

  /**
   * The destination buckets replication owes a new version (or delete marker) of {@code key}: for each
   * destination, the highest-priority enabled rule that covers the key and tags decides. Replicas are
   * never replicated again.
   */
  public static List<String> replicationTargets(BucketInfo bucket, String key, Map<String, String> tags,
      boolean deleteMarker) {
    ReplicationConfig config = bucket.replication();
    if (config == null || bucket.versioning() != Versioning.ENABLED) return List.of();
    Map<String, ReplicationConfig.Rule> byDestination = new LinkedHashMap<>();
    config.rules().stream()
        .sorted(Comparator.comparing((ReplicationConfig.Rule r) -> r.priority() == null ? 0 : r.priority()).reversed())
        .filter(r -> deleteMarker ? r.enabled() && key.startsWith(r.prefix()) : r.matches(key, tags))
        .forEach(r -> byDestination.putIfAbsent(r.destination().bucket(), r));
    return byDestination.values().stream()
        .filter(r -> !deleteMarker || r.replicatesDeleteMarkers())
        .map(r -> r.destination().bucket())
        .toList();
  }

  /**
   * S3's x-amz-replication-status of a version: REPLICA for replicas; for a version that owes replication,
   * FAILED if any destination failed, COMPLETED once every destination has it, PENDING until then; null
   * for versions no rule covered.
   */
  public CompletionStage<String> replicationStatus(BucketInfo bucket, ObjectVersion v) {
    if (v.replica()) return CompletableFuture.completedFuture("REPLICA");
    if (v.replicateTo().isEmpty()) return CompletableFuture.completedFuture(null);
    return replicationProgress(bucket, v).thenApply(progress -> {
      if (progress.values().stream().anyMatch(x -> x.status().equals(ReplicationStatusStore.Progress.FAILED))) {
        return "FAILED";
      }
      boolean all = v.replicateTo().stream().allMatch(d -> progress.containsKey(d)
          && progress.get(d).status().equals(ReplicationStatusStore.Progress.COMPLETED));
      return all ? "COMPLETED" : "PENDING";
    });
  }

  /** A source version's progress by destination bucket (destinations with no row yet are absent). */
  public CompletionStage<Map<String, ReplicationStatusStore.Progress>> replicationProgress(BucketInfo bucket,
      ObjectVersion v) {
    return regions.of(bucket.region())
        .replicationStatus(bucket.name(), partitionOf(v.key(), bucket.partitions()), v.key(), v.versionId());
  }

  /** Records a destination's progress for a source version of this node's region (the replication engine). */
  public CompletionStage<Void> recordReplication(BucketInfo source, ObjectVersion v, String destination,
      ReplicationStatusStore.Progress progress) {
    return storage.replicationStatus.set(source.name(), partitionOf(v.key(), source.partitions()), v.key(),
        v.versionId(), destination, progress);
  }

  /**
   * Asks a source version to be replicated to {@code destinations} (an object written before its rule,
   * or a FAILED retry); completes with the version as it now owes replication.
   */
  public CompletionStage<ObjectVersion> requestReplication(BucketInfo bucket, String key, String versionId,
      List<String> destinations) {
    return this.<ObjectPartition.Command, ObjectVersion>ask(bucket.region(), partitionRef(bucket, key),
        reply -> new ObjectPartition.RequestReplication(key, versionId, destinations, reply));
  }

  /**
   * Every replication progress row of a bucket homed in this node's region (the rows live in the home
   * region's keyspace), for the replication metrics and the retry of failures.
   */
  public CompletionStage<List<ReplicationStatusStore.Entry>> replicationProgress(BucketInfo bucket) {
    if (!bucket.region().equals(storage.settings.region())) {
      return CompletableFuture.failedFuture(new Result.StoreException(StoreError.WRONG_REGION, bucket.region()));
    }
    List<CompletableFuture<List<ReplicationStatusStore.Entry>>> parts = new ArrayList<>();
    for (int p = 0; p < bucket.partitions(); p++) {
      parts.add(storage.replicationStatus.partition(bucket.name(), p).toCompletableFuture());
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApply(x -> parts.stream().flatMap(f -> f.join().stream()).toList());
  }

  /** Applies a replica to its destination bucket; completes with false when it was already there. */
  public CompletionStage<Boolean> replicate(BucketInfo destination, ObjectVersion replica) {
    var ref = partitionRef(destination, replica.key());
    return this.<ObjectPartition.Command, Boolean>ask(destination.region(), ref,
        reply -> new ObjectPartition.Replicate(replica, reply));
  }

  public CompletionStage<ObjectPartition.DeleteOutcome> deleteObject(BucketInfo bucket, String key, String versionId) {
    var ref = partitionRef(bucket, key);
    if (versionId != null) {
      return this.<ObjectPartition.Command, ObjectPartition.DeleteOutcome>ask(bucket.region(), ref,
          reply -> new ObjectPartition.DeleteVersion(key, versionId, reply));
    }
    return this.<ObjectPartition.Command, ObjectPartition.DeleteOutcome>ask(bucket.region(), ref,
        reply -> new ObjectPartition.DeleteKey(key, bucket.versioning(),
            bucket.versioning() == Versioning.UNVERSIONED ? List.of() : replicationTargets(bucket, key, Map.of(), true), reply));
  }

  /**
   * A client's PutObjectTagging / DeleteObjectTagging: replaces the tags of a version ({@code versionId}
   * null: the current one), to be replicated on (see {@link ObjectPartition.SetTags}); completes with the
   * version.
   */
  public CompletionStage<ObjectVersion> setTags(BucketInfo bucket, String key, String versionId, Map<String, String> tags) {
    List<String> back = replicaModificationTargets(bucket, key, tags);
    return this.<ObjectPartition.Command, ObjectVersion>ask(bucket.region(), partitionRef(bucket, key),
        reply -> new ObjectPartition.SetTags(key, versionId, tags, true, 0L, back, reply));
  }

  /** Applies a tag change that replication carries, stamped {@code tagsMillis} at its origin (not passed on). */
  public CompletionStage<ObjectVersion> replicateTags(BucketInfo bucket, String key, String versionId,
      Map<String, String> tags, long tagsMillis) {
    return this.<ObjectPartition.Command, ObjectVersion>ask(bucket.region(), partitionRef(bucket, key),
        reply -> new ObjectPartition.SetTags(key, versionId, tags, false, tagsMillis, List.of(), reply));
  }

  /**
   * The buckets that a change to a replica in {@code bucket} is synced to: the destinations of its
   * enabled rules with ReplicaModifications that cover the key (two-way replication, as S3 defines it).
   */
  static List<String> replicaModificationTargets(BucketInfo bucket, String key, Map<String, String> tags) {
    ReplicationConfig config = bucket.replication();
    if (config == null || bucket.versioning() != Versioning.ENABLED) return List.of();
    return config.rules().stream()
        .filter(r -> Boolean.TRUE.equals(r.replicaModifications()) && r.matches(key, tags))
        .map(r -> r.destination().bucket()).distinct().toList();
  }

  /**
   * The current version of a key (possibly a delete marker), or a given version. The current version of a
   * key homed in this node's region comes from its partition entity, which answers from the node's
   * version cache when it can (see {@code VersionCache}); other reads go to the region's index.
   */
  public CompletionStage<Optional<ObjectVersion>> version(BucketInfo bucket, String key, String versionId) {
    if (versionId == null && storage.versionCache.enabled() && bucket.region().equals(storage.settings.region())) {
      return this.<ObjectPartition.Command, ObjectVersion>ask(bucket.region(), partitionRef(bucket, key),
          reply -> new ObjectPartition.ReadCurrent(key, reply)).thenApply(Optional::ofNullable);
    }
    return regions.of(bucket.region()).version(bucket.name(), partitionOf(key, bucket.partitions()), key, versionId)
        .thenApply(Optional::ofNullable);
  }

  /** The part sizes of a version: one part (its size) unless it was uploaded in parts. */
  public CompletionStage<List<Long>> partSizes(BucketInfo bucket, ObjectVersion version) {
    if (version.blob() == null || !version.blob().isManifest()) {
      return CompletableFuture.completedFuture(List.of(version.size()));
    }
    return regions.of(bucket.region()).partSizes(version.blob().id());
  }

  public Source<ByteString, NotUsed> read(BucketInfo bucket, ObjectVersion version, long first, long last) {
    if (version.blob().isInline()) return BlobStore.readInline(version.blob(), first, last);
    return regions.of(bucket.region()).read(version.blob(), first, last);
  }

  public CompletionStage<Listing.Page> list(BucketInfo bucket, String prefix, String delimiter, String marker, int maxKeys) {
    return regions.of(bucket.region()).list(bucket.name(), bucket.partitions(), prefix, delimiter, marker, maxKeys);
  }

  public CompletionStage<Listing.VersionsPage> listVersions(BucketInfo bucket, String prefix, String delimiter,
      String keyMarker, String versionIdMarker, int maxKeys) {
    return regions.of(bucket.region()).listVersions(bucket.name(), bucket.partitions(), prefix, delimiter, keyMarker,
        versionIdMarker, maxKeys);
  }

  // ---- multipart uploads ----

  public CompletionStage<MultipartStore.Upload> createUpload(BucketInfo bucket, String key, ObjectMeta meta,
      String checksumAlgorithm) {
    Instant now = Instant.now();
    String id = VersionIds.newVersionId(now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000);
    var upload = new MultipartStore.Upload(bucket.name(), key, id, now.toEpochMilli(), meta, checksumAlgorithm);
    return regions.of(bucket.region()).createUpload(upload).thenApply(x -> upload);
  }

  public CompletionStage<MultipartStore.Upload> upload(BucketInfo bucket, String key, String uploadId) {
    return regions.of(bucket.region()).upload(bucket.name(), key, uploadId).thenApply(u -> {
      if (u == null) throw new Result.StoreException(StoreError.NO_SUCH_UPLOAD, uploadId);
      return u;
    });
  }

  public CompletionStage<List<MultipartStore.Upload>> uploads(BucketInfo bucket) {
    return regions.of(bucket.region()).uploads(bucket.name());
  }

  public CompletionStage<List<MultipartStore.Part>> parts(BucketInfo bucket, MultipartStore.Upload upload) {
    return regions.of(bucket.region()).parts(upload.uploadId());
  }

  /** Records an uploaded part (its blob is written); a part uploaded again under the same number replaces it. */
  public CompletionStage<Void> putPart(BucketInfo bucket, MultipartStore.Upload upload, MultipartStore.Part part) {
    return regions.of(bucket.region()).putPart(upload.uploadId(), part);
  }

  /**
   * Completes an upload with the parts chosen (already validated): writes the manifest, commits the
   * version through the partition, then drops the upload and collects the parts that were not chosen.
   */
  public CompletionStage<ObjectVersion> completeUpload(BucketInfo bucket, MultipartStore.Upload upload,
      List<MultipartStore.Part> chosen, List<MultipartStore.Part> all, String etag, ObjectMeta meta,
      String ifMatch, boolean ifNoneMatchAny) {
    RegionData data = regions.of(bucket.region());
    UUID manifest = UUID.randomUUID();
    long size = chosen.stream().mapToLong(MultipartStore.Part::size).sum();
    ObjectVersion draft = new ObjectVersion(upload.key(), null, 0, false, size, etag, 0,
        BlobRef.manifest(manifest, size, chosen.size()), meta);
    List<BlobRef> unused = all.stream().filter(p -> !chosen.contains(p)).map(MultipartStore.Part::blob).toList();
    return data.writeManifest(manifest, chosen.stream().map(MultipartStore.Part::blob).toList())
        .thenCompose(x -> commit(bucket, draft, ifMatch, ifNoneMatchAny))
        .thenCompose(v -> data.finishUpload(upload, unused).thenApply(x -> v));
  }

  /** Aborts an upload: its parts' bytes are collected. */
  public CompletionStage<Void> abortUpload(BucketInfo bucket, MultipartStore.Upload upload) {
    RegionData data = regions.of(bucket.region());
    return data.parts(upload.uploadId()).thenCompose(parts ->
        data.finishUpload(upload, parts.stream().map(MultipartStore.Part::blob).toList()));
  }

  private EntityRef<ObjectPartition.Command> partitionRef(BucketInfo bucket, String key) {
    return shards.partition(bucket.name(), partitionOf(key, bucket.partitions()), bucket.region());
  }

  // ---- asking entities ----

  private <C, T> CompletionStage<T> ask(String region, EntityRef<C> ref, Function<ActorRef<Result<T>>, C> command) {
    try {
      regions.requireReachable(region);
    } catch (Result.StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
    return ref.<Result<T>>ask(command::apply, askTimeout)
        .exceptionally(e -> {
          Throwable cause = e.getCause() != null ? e.getCause() : e;
          if (cause instanceof TimeoutException) {
            throw new Result.StoreException(StoreError.REGION_UNAVAILABLE, "no answer from " + ref.getEntityId());
          }
          throw new Result.StoreException(StoreError.INTERNAL, cause.toString());
        })
        .thenApply(Result::orThrow);
  }
}
