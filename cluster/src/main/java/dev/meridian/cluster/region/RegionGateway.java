package dev.meridian.cluster.region;

import dev.meridian.cluster.KryoSerializable;
import dev.meridian.cluster.Result;
import dev.meridian.cluster.StoreError;
import dev.meridian.cluster.object.Listing;
import dev.meridian.persistence.BlobRef;
import dev.meridian.persistence.MultipartStore;
import dev.meridian.persistence.ObjectVersion;
import dev.meridian.persistence.ReplicationStatusStore;
import dev.meridian.persistence.Rechunk;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;

/**
 * Serves this node's region's data plane to nodes of other regions: one per node, registered with the
 * receptionist under its region's key. Every request is answered from {@link LocalRegionData}; bytes
 * arrive and leave as stream refs, so an upload or download crosses regions with backpressure and never
 * as one message.
 */
public final class RegionGateway {

  public static ServiceKey<Command> key(String region) {
    return ServiceKey.create(Command.class, "region-gateway-" + region);
  }

  public sealed interface Command extends KryoSerializable {}

  public record WriteBlob(String bucket, int part, String key, SourceRef<ByteString> data,
      ActorRef<Result<BlobRef>> replyTo) implements Command {}

  public record DiscardBlob(BlobRef blob, ActorRef<Result<Boolean>> replyTo) implements Command {}

  public record Read(BlobRef blob, long first, long last, ActorRef<Result<SourceRef<ByteString>>> replyTo)
      implements Command {}

  public record Version(String bucket, int part, String key, String versionId, ActorRef<Result<ObjectVersion>> replyTo)
      implements Command {}

  public record ListPage(String bucket, int partitions, String prefix, String delimiter, String marker, int maxKeys,
      ActorRef<Result<Listing.Page>> replyTo) implements Command {}

  public record ListVersions(String bucket, int partitions, String prefix, String delimiter, String keyMarker,
      String versionIdMarker, int maxKeys, ActorRef<Result<Listing.VersionsPage>> replyTo) implements Command {}

  public record ReplicationStatus(String bucket, int part, String key, String versionId,
      ActorRef<Result<Map<String, ReplicationStatusStore.Progress>>> replyTo) implements Command {}

  public record CreateUpload(MultipartStore.Upload upload, ActorRef<Result<Boolean>> replyTo) implements Command {}

  public record GetUpload(String bucket, String key, String uploadId, ActorRef<Result<MultipartStore.Upload>> replyTo)
      implements Command {}

  public record Uploads(String bucket, ActorRef<Result<List<MultipartStore.Upload>>> replyTo) implements Command {}

  public record Parts(String uploadId, ActorRef<Result<List<MultipartStore.Part>>> replyTo) implements Command {}

  public record PutPart(String uploadId, MultipartStore.Part part, ActorRef<Result<Boolean>> replyTo) implements Command {}

  public record WriteManifest(UUID manifest, List<BlobRef> parts, ActorRef<Result<Boolean>> replyTo) implements Command {}

  public record PartSizes(UUID manifest, ActorRef<Result<List<Long>>> replyTo) implements Command {}

  public record FinishUpload(MultipartStore.Upload upload, List<BlobRef> collect, ActorRef<Result<Boolean>> replyTo)
      implements Command {}

  /** Largest stream element sent between regions, well under Artery's 256 KiB frame. */
  static final int FRAME = 64 * 1024;

  private RegionGateway() {}

  public static Behavior<Command> create(String region, RegionData local) {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(key(region), ctx.getSelf()));
      Materializer mat = Materializer.createMaterializer(ctx);
      return Behaviors.receive(Command.class)
          .onMessage(WriteBlob.class, c -> reply(local.writeBlob(c.bucket(), c.part(), c.key(), c.data().getSource()), c.replyTo()))
          .onMessage(DiscardBlob.class, c -> reply(done(local.discardBlob(c.blob())), c.replyTo()))
          .onMessage(Read.class, c -> reply(CompletableFuture.completedFuture(
              local.read(c.blob(), c.first(), c.last()).via(Rechunk.atMost(FRAME)).runWith(StreamRefs.sourceRef(), mat)),
              c.replyTo()))
          .onMessage(Version.class, c -> reply(local.version(c.bucket(), c.part(), c.key(), c.versionId()), c.replyTo()))
          .onMessage(ListPage.class, c -> reply(local.list(c.bucket(), c.partitions(), c.prefix(), c.delimiter(),
              c.marker(), c.maxKeys()), c.replyTo()))
          .onMessage(ListVersions.class, c -> reply(local.listVersions(c.bucket(), c.partitions(), c.prefix(),
              c.delimiter(), c.keyMarker(), c.versionIdMarker(), c.maxKeys()), c.replyTo()))
          .onMessage(ReplicationStatus.class, c -> reply(local.replicationStatus(c.bucket(), c.part(), c.key(),
              c.versionId()), c.replyTo()))
          .onMessage(CreateUpload.class, c -> reply(done(local.createUpload(c.upload())), c.replyTo()))
          .onMessage(GetUpload.class, c -> reply(local.upload(c.bucket(), c.key(), c.uploadId()), c.replyTo()))
          .onMessage(Uploads.class, c -> reply(local.uploads(c.bucket()), c.replyTo()))
          .onMessage(Parts.class, c -> reply(local.parts(c.uploadId()), c.replyTo()))
          .onMessage(PutPart.class, c -> reply(done(local.putPart(c.uploadId(), c.part())), c.replyTo()))
          .onMessage(WriteManifest.class, c -> reply(done(local.writeManifest(c.manifest(), c.parts())), c.replyTo()))
          .onMessage(PartSizes.class, c -> reply(local.partSizes(c.manifest()), c.replyTo()))
          .onMessage(FinishUpload.class, c -> reply(done(local.finishUpload(c.upload(), c.collect())), c.replyTo()))
          .build();
    });
  }

  private static CompletionStage<Boolean> done(CompletionStage<Void> f) {
    return f.thenApply(x -> true);
  }

  private static <T> Behavior<Command> reply(CompletionStage<T> result, ActorRef<Result<T>> replyTo) {
    result.whenComplete((value, error) -> replyTo.tell(error == null ? Result.ok(value)
        : Result.err(StoreError.INTERNAL, error.toString())));
    return Behaviors.same();
  }
}
