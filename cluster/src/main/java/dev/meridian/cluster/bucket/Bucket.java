package dev.meridian.cluster.bucket;

import dev.meridian.cluster.CborSerializable;
import dev.meridian.cluster.KryoSerializable;
import dev.meridian.cluster.RegionStorage;
import dev.meridian.cluster.Result;
import dev.meridian.cluster.StoreError;
import dev.meridian.persistence.BucketRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * A bucket's metadata as an event-sourced entity, sharded in the bucket's home region (entity id = bucket
 * name). Creation first claims the name in the global registry (a Cassandra LWT) and only then persists
 * {@link Created}; deletion persists {@link Deleted} once every partition's index is empty, then frees
 * the name. While such a step waits on Cassandra, further commands are stashed. (A plain
 * EventSourcedBehavior rather than the enforced-replies variant: that API cannot combine a reply with
 * {@code thenUnstashAll}, which these asynchronous steps need; every command still replies.)
 */
public final class Bucket extends EventSourcedBehavior<Bucket.Command, Bucket.Event, Bucket.State> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "bucket");
  public static final String TAG = "bucket";

  // ---- protocol ----

  public sealed interface Command extends KryoSerializable {}

  public record Create(String owner, ActorRef<Result<BucketInfo>> replyTo) implements Command {}

  public record Get(ActorRef<Result<BucketInfo>> replyTo) implements Command {}

  public record SetVersioning(Versioning status, ActorRef<Result<BucketInfo>> replyTo) implements Command {}

  public record Delete(ActorRef<Result<BucketInfo>> replyTo) implements Command {}

  /** Sets (or, with null, removes) the replication configuration; validated by the caller. */
  public record SetReplication(ReplicationConfig config, ActorRef<Result<BucketInfo>> replyTo) implements Command {}

  /** Sets (or, with an empty value, removes) one stored part of the configuration: tags, policy, CORS. */
  public record Configure(BucketSetting setting, ActorRef<Result<BucketInfo>> replyTo) implements Command {}

  private record Claimed(Create cmd, BucketInfo wanted, BucketRegistry.Entry holder, Throwable failure) implements Command {}

  private record EmptinessChecked(Delete cmd, Boolean empty, Throwable failure) implements Command {}

  private record Released(Delete cmd, Throwable failure) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record Created(BucketInfo info) implements Event {}

  public record VersioningChanged(Versioning status) implements Event {}

  public record Deleted(long atMillis) implements Event {}

  public record ReplicationConfigured(ReplicationConfig config) implements Event {}

  public record ReplicationRemoved() implements Event {}

  public record Configured(BucketSetting setting) implements Event {}

  /** {@code info} is null when no bucket of this name lives here (never created, or deleted). */
  public record State(BucketInfo info) implements CborSerializable {
    boolean exists() {
      return info != null;
    }
  }

  // ---- behavior ----

  public static Behavior<Command> create(String name, String region, RegionStorage storage) {
    return Behaviors.setup(ctx -> new Bucket(ctx, name, region, storage));
  }

  private final ActorContext<Command> ctx;
  private final String name;
  private final String region;
  private final RegionStorage storage;
  /** True while a Cassandra step of a command is in flight; commands wait in the stash meanwhile. */
  private boolean busy;

  private Bucket(ActorContext<Command> ctx, String name, String region, RegionStorage storage) {
    super(PersistenceId.of(TYPE_KEY.name(), name));
    this.ctx = ctx;
    this.name = name;
    this.region = region;
    this.storage = storage;
  }

  @Override
  public State emptyState() {
    return new State(null);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAG);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    var b = newCommandHandlerBuilder().forAnyState();
    b.onCommand(c -> busy && !(c instanceof Claimed || c instanceof EmptinessChecked || c instanceof Released),
        (s, c) -> Effect().stash());
    b.onCommand(Create.class, this::onCreate);
    b.onCommand(Claimed.class, this::onClaimed);
    b.onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), found(s)));
    b.onCommand(SetVersioning.class, this::onSetVersioning);
    b.onCommand(Delete.class, this::onDelete);
    b.onCommand(SetReplication.class, this::onSetReplication);
    b.onCommand(Configure.class, this::onConfigure);
    b.onCommand(EmptinessChecked.class, this::onEmptinessChecked);
    b.onCommand(Released.class, this::onReleased);
    return b.build();
  }

  private Result<BucketInfo> found(State s) {
    return s.exists() ? Result.ok(s.info()) : Result.err(StoreError.NO_SUCH_BUCKET, name);
  }

  private Effect<Event, State> onCreate(State s, Create c) {
    if (s.exists()) {
      StoreError e = s.info().owner().equals(c.owner())
          ? StoreError.BUCKET_ALREADY_OWNED_BY_YOU : StoreError.BUCKET_ALREADY_EXISTS;
      return Effect().reply(c.replyTo(), Result.err(e, name));
    }
    BucketInfo wanted = BucketInfo.created(name, region, c.owner(), Instant.now().toEpochMilli(), UUID.randomUUID(),
        storage.settings.partitionsPerBucket());
    busy = true;
    var entry = new BucketRegistry.Entry(name, region, c.owner(), Instant.ofEpochMilli(wanted.createdMillis()),
        wanted.incarnation());
    ctx.pipeToSelf(storage.registry.claim(entry), (holder, err) -> new Claimed(c, wanted, holder, err));
    return Effect().none();
  }

  private Effect<Event, State> onClaimed(State s, Claimed c) {
    busy = false;
    if (c.failure() != null) {
      ctx.getLog().warn("claiming bucket name {} failed: {}", name, c.failure().toString());
      Result<BucketInfo> r = Result.err(StoreError.REGION_UNAVAILABLE, "bucket name registry unavailable");
      return Effect().none().thenRun(() -> c.cmd().replyTo().tell(r)).thenUnstashAll();
    }
    BucketRegistry.Entry holder = c.holder();
    boolean ours = holder.incarnation().equals(c.wanted().incarnation());
    // A claim left by an earlier attempt of this region that crashed before persisting: adopt it.
    boolean adopt = !ours && holder.region().equals(region) && holder.owner().equals(c.cmd().owner());
    if (!ours && !adopt) {
      StoreError e = holder.owner().equals(c.cmd().owner())
          ? StoreError.BUCKET_ALREADY_OWNED_BY_YOU : StoreError.BUCKET_ALREADY_EXISTS;
      return Effect().none().thenRun(() -> c.cmd().replyTo().tell(Result.err(e, name))).thenUnstashAll();
    }
    BucketInfo info = ours ? c.wanted() : BucketInfo.created(name, region, holder.owner(),
        holder.created().toEpochMilli(), holder.incarnation(), c.wanted().partitions());
    return Effect().persist(new Created(info))
        .thenRun((State st) -> c.cmd().replyTo().tell(Result.ok(st.info())))
        .thenUnstashAll();
  }

  private Effect<Event, State> onSetReplication(State s, SetReplication c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), found(s));
    if (c.config() != null && s.info().versioning() != Versioning.ENABLED) {
      return Effect().reply(c.replyTo(), Result.err(StoreError.VERSIONING_NOT_ENABLED, name));
    }
    Event e = c.config() == null ? new ReplicationRemoved() : new ReplicationConfigured(c.config());
    return Effect().persist(e).thenReply(c.replyTo(), st -> Result.ok(st.info()));
  }

  private Effect<Event, State> onConfigure(State s, Configure c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), found(s));
    return Effect().persist(new Configured(c.setting())).thenReply(c.replyTo(), st -> Result.ok(st.info()));
  }

  private Effect<Event, State> onSetVersioning(State s, SetVersioning c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), found(s));
    if (c.status() == Versioning.SUSPENDED && s.info().replication() != null) {
      return Effect().reply(c.replyTo(), Result.err(StoreError.REPLICATION_REQUIRES_VERSIONING, name));
    }
    if (s.info().versioning() == c.status()) return Effect().reply(c.replyTo(), Result.ok(s.info()));
    return Effect().persist(new VersioningChanged(c.status())).thenReply(c.replyTo(), st -> Result.ok(st.info()));
  }

  private Effect<Event, State> onDelete(State s, Delete c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), found(s));
    busy = true;
    ctx.pipeToSelf(allPartitionsEmpty(s.info()), (empty, err) -> new EmptinessChecked(c, empty, err));
    return Effect().none();
  }

  private CompletionStage<Boolean> allPartitionsEmpty(BucketInfo info) {
    List<CompletableFuture<Boolean>> checks = new ArrayList<>();
    for (int p = 0; p < info.partitions(); p++) {
      checks.add(storage.index.isEmpty(name, p).toCompletableFuture());
    }
    return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
        .thenApply(x -> checks.stream().allMatch(CompletableFuture::join));
  }

  private Effect<Event, State> onEmptinessChecked(State s, EmptinessChecked c) {
    if (c.failure() != null || !c.empty()) {
      busy = false;
      Result<BucketInfo> r = c.failure() != null
          ? Result.err(StoreError.INTERNAL, c.failure().toString())
          : Result.err(StoreError.BUCKET_NOT_EMPTY, name);
      return Effect().none().thenRun(() -> c.cmd().replyTo().tell(r)).thenUnstashAll();
    }
    BucketInfo gone = s.info();
    return Effect().persist(new Deleted(Instant.now().toEpochMilli())).thenRun(st ->
        ctx.pipeToSelf(storage.registry.release(name, gone.incarnation()), (ok, err) -> new Released(c.cmd(), err)))
        ;
  }

  private Effect<Event, State> onReleased(State s, Released c) {
    busy = false;
    if (c.failure() != null) {
      // The bucket is gone here; its name stays claimed until a later create by this region adopts it.
      ctx.getLog().warn("freeing bucket name {} failed: {}", name, c.failure().toString());
    }
    return Effect().none().thenRun(() -> c.cmd().replyTo().tell(Result.ok(null))).thenUnstashAll();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Created.class, (s, e) -> new State(e.info()))
        .onEvent(VersioningChanged.class, (s, e) -> new State(s.info().withVersioning(e.status())))
        .onEvent(Deleted.class, (s, e) -> new State(null))
        .onEvent(ReplicationConfigured.class, (s, e) -> new State(s.info().withReplication(e.config())))
        .onEvent(ReplicationRemoved.class, (s, e) -> new State(s.info().withReplication(null)))
        .onEvent(Configured.class, (s, e) -> new State(s.info().with(e.setting())))
        .build();
  }
}
