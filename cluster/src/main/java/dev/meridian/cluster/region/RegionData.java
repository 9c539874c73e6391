package dev.meridian.cluster.region;

import dev.meridian.cluster.object.Listing;
import dev.meridian.persistence.BlobRef;
import dev.meridian.persistence.MultipartStore;
import dev.meridian.persistence.ObjectVersion;
import dev.meridian.persistence.ReplicationStatusStore;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The data plane of one region: object bytes, the key/version index and multipart uploads, all of which
 * live in that region's Cassandra keyspace. {@link LocalRegionData} serves this node's region straight
 * from Cassandra; {@link RemoteRegionData} serves another region by asking a {@link RegionGateway} there,
 * with bytes streamed both ways as stream refs (backpressured, never one message per object). Absent
 * values are {@code null} rather than Optional: they cross the network.
 */
public interface RegionData {

  /** Streams bytes into a new blob for {@code key} (registered with the collector first). */
  CompletionStage<BlobRef> writeBlob(String bucket, int part, String key, Source<ByteString, ?> data);

  CompletionStage<Void> discardBlob(BlobRef blob);

  Source<ByteString, NotUsed> read(BlobRef blob, long first, long last);

  /** The current version of a key (a delete marker included) or the given version; null if none. */
  CompletionStage<ObjectVersion> version(String bucket, int part, String key, String versionId);

  CompletionStage<Listing.Page> list(String bucket, int partitions, String prefix, String delimiter, String marker,
      int maxKeys);

  CompletionStage<Listing.VersionsPage> listVersions(String bucket, int partitions, String prefix, String delimiter,
      String keyMarker, String versionIdMarker, int maxKeys);

  /** Replication progress of a source version, by destination bucket. */
  CompletionStage<Map<String, ReplicationStatusStore.Progress>> replicationStatus(String bucket, int part, String key,
      String versionId);

  CompletionStage<Void> createUpload(MultipartStore.Upload upload);

  /** The upload, or null. */
  CompletionStage<MultipartStore.Upload> upload(String bucket, String key, String uploadId);

  CompletionStage<List<MultipartStore.Upload>> uploads(String bucket);

  CompletionStage<List<MultipartStore.Part>> parts(String uploadId);

  /** Records a part; a part uploaded again under the same number replaces (and collects) the earlier one. */
  CompletionStage<Void> putPart(String uploadId, MultipartStore.Part part);

  CompletionStage<Void> writeManifest(UUID manifest, List<BlobRef> parts);

  /** The sizes of a multipart object's parts, in part order (from its manifest). */
  CompletionStage<List<Long>> partSizes(UUID manifest);

  /** Removes an upload and its part rows, and collects the given blobs (parts not kept, or all on abort). */
  CompletionStage<Void> finishUpload(MultipartStore.Upload upload, List<BlobRef> collect);
}
