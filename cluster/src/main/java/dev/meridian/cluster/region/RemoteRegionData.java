package dev.meridian.cluster.region;

import dev.meridian.cluster.Result;
import dev.meridian.cluster.StoreError;
import dev.meridian.cluster.object.Listing;
import dev.meridian.persistence.BlobRef;
import dev.meridian.persistence.MultipartStore;
import dev.meridian.persistence.ObjectVersion;
import dev.meridian.persistence.ReplicationStatusStore;
import dev.meridian.persistence.Rechunk;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;

/**
 * Another region's data plane, reached through its {@link RegionGateway}s (found with the receptionist).
 * Only gateways on nodes this node can currently reach are asked: when the region is cut off, requests
 * fail at once with REGION_UNAVAILABLE (503 to the client) instead of waiting for a timeout.
 */
public final class RemoteRegionData implements RegionData {

  /** How often an upload in flight checks that its gateway's node is still reachable. */
  private static final Duration GATEWAY_CHECK = Duration.ofSeconds(1);

  private final ActorSystem<?> system;
  private final String region;
  private final RegionHealth health;
  private final Duration askTimeout;
  private final Duration streamTimeout;
  private final Materializer mat;
  private final AtomicReference<Set<ActorRef<RegionGateway.Command>>> gateways = new AtomicReference<>(Set.of());

  public RemoteRegionData(ActorSystem<?> system, String region, RegionHealth health, Duration askTimeout,
      Duration streamTimeout) {
    this.system = system;
    this.region = region;
    this.health = health;
    this.askTimeout = askTimeout;
    this.streamTimeout = streamTimeout;
    this.mat = Materializer.matFromSystem(system);
    system.receptionist().tell(Receptionist.subscribe(RegionGateway.key(region),
        system.systemActorOf(Behaviors.<Receptionist.Listing>receive(Receptionist.Listing.class)
            .onMessage(Receptionist.Listing.class, listing -> {
              gateways.set(Set.copyOf(listing.getServiceInstances(RegionGateway.key(region))));
              return Behaviors.same();
            }).build(), "gateway-listing-" + region, Props.empty())));
  }

  private <T> CompletionStage<T> ask(Function<ActorRef<Result<T>>, RegionGateway.Command> command, Duration timeout) {
    ActorRef<RegionGateway.Command> gateway = reachableGateway();
    if (gateway == null) return unavailable("no reachable gateway");
    return ask(gateway, command, timeout);
  }

  /** A gateway on a node this node can reach, chosen at random; null when the region is cut off. */
  private ActorRef<RegionGateway.Command> reachableGateway() {
    List<ActorRef<RegionGateway.Command>> candidates = gateways.get().stream()
        .filter(g -> health.reachable(g.path().address())).toList();
    return candidates.isEmpty() ? null : candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
  }

  private <T> CompletionStage<T> ask(ActorRef<RegionGateway.Command> gateway,
      Function<ActorRef<Result<T>>, RegionGateway.Command> command, Duration timeout) {
    return AskPattern.<RegionGateway.Command, Result<T>>ask(gateway, command::apply, timeout, system.scheduler())
        .exceptionally(e -> {
          Throwable cause = e.getCause() != null ? e.getCause() : e;
          StoreError error = cause instanceof TimeoutException ? StoreError.REGION_UNAVAILABLE : StoreError.INTERNAL;
          throw new Result.StoreException(error, region + ": " + cause);
        })
        .thenApply(Result::orThrow);
  }

  private Result.StoreException unavailableError(String why) {
    return new Result.StoreException(StoreError.REGION_UNAVAILABLE, region + ": " + why);
  }

  private <T> CompletableFuture<T> unavailable(String why) {
    return CompletableFuture.failedFuture(unavailableError(why));
  }

  /**
   * Streams an upload to a gateway of the blob's region. The reply may take as long as the bytes do, so the
   * ask waits up to the stream timeout; but the upload fails with REGION_UNAVAILABLE as soon as it cannot
   * succeed any more: the stream to the gateway failed (its node crashed before subscribing, or died
   * mid-transfer), the gateway's node became unreachable, or no reply came within the ask timeout after the
   * last byte was sent (the node died after taking the whole body: a small object, for instance).
   */
  @Override
  public CompletionStage<BlobRef> writeBlob(String bucket, int part, String key, Source<ByteString, ?> data) {
    ActorRef<RegionGateway.Command> gateway = reachableGateway();
    if (gateway == null) return unavailable("no reachable gateway");
    CompletableFuture<BlobRef> lost = new CompletableFuture<>();
    SourceRef<ByteString> ref = data.via(Rechunk.atMost(RegionGateway.FRAME))
        .watchTermination((m, done) -> done.whenComplete((ok, e) -> {
          if (e != null) {
            lost.completeExceptionally(unavailableError("upload stream failed: " + e));
          } else {
            system.scheduler().scheduleOnce(askTimeout, () -> lost.completeExceptionally(
                unavailableError("no reply " + askTimeout + " after the upload's last byte")), system.executionContext());
          }
        }))
        .runWith(StreamRefs.sourceRef(), mat);
    Cancellable watch = system.scheduler().scheduleAtFixedRate(GATEWAY_CHECK, GATEWAY_CHECK, () -> {
      if (!health.reachable(gateway.path().address())) {
        lost.completeExceptionally(unavailableError("the gateway's node became unreachable during an upload"));
      }
    }, system.executionContext());
    CompletableFuture<BlobRef> result = this.<BlobRef>ask(gateway,
        r -> new RegionGateway.WriteBlob(bucket, part, key, ref, r), streamTimeout).toCompletableFuture()
        .applyToEither(lost, b -> b);
    result.whenComplete((b, e) -> watch.cancel());
    return result;
  }

  @Override
  public CompletionStage<Void> discardBlob(BlobRef blob) {
    return this.<Boolean>ask(r -> new RegionGateway.DiscardBlob(blob, r), askTimeout).thenApply(x -> null);
  }

  @Override
  public Source<ByteString, NotUsed> read(BlobRef blob, long first, long last) {
    CompletionStage<SourceRef<ByteString>> ref = ask(r -> new RegionGateway.Read(blob, first, last, r), askTimeout);
    return Source.completionStageSource(ref.thenApply(SourceRef::getSource)).mapMaterializedValue(x -> NotUsed.getInstance());
  }

  @Override
  public CompletionStage<ObjectVersion> version(String bucket, int part, String key, String versionId) {
    return ask(r -> new RegionGateway.Version(bucket, part, key, versionId, r), askTimeout);
  }

  @Override
  public CompletionStage<Listing.Page> list(String bucket, int partitions, String prefix, String delimiter,
      String marker, int maxKeys) {
    return ask(r -> new RegionGateway.ListPage(bucket, partitions, prefix, delimiter, marker, maxKeys, r), askTimeout);
  }

  @Override
  public CompletionStage<Listing.VersionsPage> listVersions(String bucket, int partitions, String prefix,
      String delimiter, String keyMarker, String versionIdMarker, int maxKeys) {
    return ask(r -> new RegionGateway.ListVersions(bucket, partitions, prefix, delimiter, keyMarker, versionIdMarker,
        maxKeys, r), askTimeout);
  }

  @Override
  public CompletionStage<Map<String, ReplicationStatusStore.Progress>> replicationStatus(String bucket, int part,
      String key, String versionId) {
    return ask(r -> new RegionGateway.ReplicationStatus(bucket, part, key, versionId, r), askTimeout);
  }

  @Override
  public CompletionStage<Void> createUpload(MultipartStore.Upload upload) {
    return this.<Boolean>ask(r -> new RegionGateway.CreateUpload(upload, r), askTimeout).thenApply(x -> null);
  }

  @Override
  public CompletionStage<MultipartStore.Upload> upload(String bucket, String key, String uploadId) {
    return ask(r -> new RegionGateway.GetUpload(bucket, key, uploadId, r), askTimeout);
  }

  @Override
  public CompletionStage<List<MultipartStore.Upload>> uploads(String bucket) {
    return ask(r -> new RegionGateway.Uploads(bucket, r), askTimeout);
  }

  @Override
  public CompletionStage<List<MultipartStore.Part>> parts(String uploadId) {
    return ask(r -> new RegionGateway.Parts(uploadId, r), askTimeout);
  }

  @Override
  public CompletionStage<Void> putPart(String uploadId, MultipartStore.Part part) {
    return this.<Boolean>ask(r -> new RegionGateway.PutPart(uploadId, part, r), askTimeout).thenApply(x -> null);
  }

  @Override
  public CompletionStage<Void> writeManifest(UUID manifest, List<BlobRef> parts) {
    return this.<Boolean>ask(r -> new RegionGateway.WriteManifest(manifest, parts, r), askTimeout).thenApply(x -> null);
  }

  @Override
  public CompletionStage<List<Long>> partSizes(UUID manifest) {
    return ask(r -> new RegionGateway.PartSizes(manifest, r), askTimeout);
  }

  @Override
  public CompletionStage<Void> finishUpload(MultipartStore.Upload upload, List<BlobRef> collect) {
    return this.<Boolean>ask(r -> new RegionGateway.FinishUpload(upload, collect, r), askTimeout).thenApply(x -> null);
  }
}
