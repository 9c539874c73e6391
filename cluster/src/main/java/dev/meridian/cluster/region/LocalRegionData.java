package dev.meridian.cluster.region;

import dev.meridian.cluster.RegionStorage;
import dev.meridian.cluster.object.Listing;
import dev.meridian.persistence.BlobRef;
import dev.meridian.persistence.MultipartStore;
import dev.meridian.persistence.ObjectVersion;
import dev.meridian.persistence.ReplicationStatusStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/** This node's region's data plane, straight from its Cassandra keyspace. */
public final class LocalRegionData implements RegionData {

  private final RegionStorage storage;
  private final Listing listing;
  private final Materializer mat;

  public LocalRegionData(RegionStorage storage, Materializer mat) {
    this.storage = storage;
    this.listing = new Listing(storage.index);
    this.mat = mat;
  }

  @Override
  public CompletionStage<BlobRef> writeBlob(String bucket, int part, String key, Source<ByteString, ?> data) {
    UUID id = UUID.randomUUID();
    Instant due = Instant.now().plus(storage.settings.uploadGrace());
    return storage.gc.uploadStarted(id, bucket, part, key, due).thenCompose(x -> storage.blobs.write(id, data, mat));
  }

  @Override
  public CompletionStage<Void> discardBlob(BlobRef blob) {
    return storage.gc.scheduleDelete(blob, Instant.now()).thenCompose(x -> storage.gc.clear(blob.id()))
        .thenCompose(x -> storage.blobs.delete(blob));
  }

  @Override
  public Source<ByteString, NotUsed> read(BlobRef blob, long first, long last) {
    return storage.blobs.read(blob, first, last);
  }

  @Override
  public CompletionStage<ObjectVersion> version(String bucket, int part, String key, String versionId) {
    var found = versionId == null ? storage.index.current(bucket, part, key) : storage.index.version(bucket, part, key, versionId);
    return found.thenApply(v -> v.orElse(null));
  }

  @Override
  public CompletionStage<Listing.Page> list(String bucket, int partitions, String prefix, String delimiter,
      String marker, int maxKeys) {
    return listing.listCurrent(bucket, partitions, prefix, delimiter, marker, maxKeys);
  }

  @Override
  public CompletionStage<Listing.VersionsPage> listVersions(String bucket, int partitions, String prefix,
      String delimiter, String keyMarker, String versionIdMarker, int maxKeys) {
    return listing.listVersions(bucket, partitions, prefix, delimiter, keyMarker, versionIdMarker, maxKeys);
  }

  @Override
  public CompletionStage<Map<String, ReplicationStatusStore.Progress>> replicationStatus(String bucket, int part,
      String key, String versionId) {
    return storage.replicationStatus.get(bucket, part, key, versionId);
  }

  @Override
  public CompletionStage<Void> createUpload(MultipartStore.Upload upload) {
    return storage.multipart.createUpload(upload);
  }

  @Override
  public CompletionStage<MultipartStore.Upload> upload(String bucket, String key, String uploadId) {
    return storage.multipart.upload(bucket, key, uploadId).thenApply(u -> u.orElse(null));
  }

  @Override
  public CompletionStage<List<MultipartStore.Upload>> uploads(String bucket) {
    return storage.multipart.uploads(bucket);
  }

  @Override
  public CompletionStage<List<MultipartStore.Part>> parts(String uploadId) {
    return storage.multipart.parts(uploadId);
  }

  @Override
  public CompletionStage<Void> putPart(String uploadId, MultipartStore.Part part) {
    Instant due = Instant.now().plus(storage.settings.deleteGrace());
    return storage.multipart.part(uploadId, part.number()).thenCompose(old ->
        storage.multipart.putPart(uploadId, part)
            .thenCompose(x -> storage.gc.clear(part.blob().id()))
            .thenCompose(x -> old.isPresent() ? storage.gc.scheduleDelete(old.get().blob(), due) : done()));
  }

  @Override
  public CompletionStage<Void> writeManifest(UUID manifest, List<BlobRef> parts) {
    return storage.blobs.writeManifest(manifest, parts);
  }

  @Override
  public CompletionStage<List<Long>> partSizes(UUID manifest) {
    return storage.blobs.manifest(manifest).thenApply(parts -> parts.stream().map(BlobRef::size).toList());
  }

  @Override
  public CompletionStage<Void> finishUpload(MultipartStore.Upload upload, List<BlobRef> collect) {
    return storage.multipart.finish(upload, collect, storage.gc);
  }

  private static CompletionStage<Void> done() {
    return CompletableFuture.completedFuture(null);
  }
}
