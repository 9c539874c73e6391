package dev.meridian.cluster.object;

import dev.meridian.cluster.CborSerializable;
import dev.meridian.cluster.KryoSerializable;
import dev.meridian.cluster.RegionStorage;
import dev.meridian.cluster.Result;
import dev.meridian.cluster.StoreError;
import dev.meridian.cluster.bucket.Versioning;
import dev.meridian.persistence.ObjectVersion;
import dev.meridian.persistence.VersionIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One partition of a bucket's keys (entity id {@code bucket#p}), event-sourced: the single writer of its
 * slice of the key/version index. Every command runs three steps, one at a time, with later commands
 * stashed meanwhile: read what the decision needs from the index, persist the event, apply the event to
 * the index, then reply. So an acknowledged write is in the journal and visible to reads and listings.
 * The state is two numbers and the last event, whatever the number of keys: after a crash between
 * persisting and indexing, recovery applies the last event to the index again (index writes are
 * idempotent). A plain EventSourcedBehavior, as {@code Bucket} explains: replies go out with
 * {@code thenUnstashAll}.
 *
 * <p>Being the single writer, it also answers reads of its keys' current versions ({@link ReadCurrent}) from
 * the node's {@link VersionCache}, which it updates as it indexes each write, before the reply; a miss
 * reads the index and fills the entry. Reads are not stashed behind a write in progress.
 */
public final class ObjectPartition
    extends EventSourcedBehavior<ObjectPartition.Command, ObjectPartition.Event, ObjectPartition.State> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "obj");

  // ---- protocol ----

  public sealed interface Command extends KryoSerializable {}

  /**
   * Store a new version. {@code draft} carries everything but the version id, sequence and time, which
   * the partition assigns. {@code ifMatch} / {@code ifNoneMatchAny} are S3's conditional-write headers.
   */
  public record Put(ObjectVersion draft, Versioning versioning, String ifMatch, boolean ifNoneMatchAny,
      ActorRef<Result<ObjectVersion>> replyTo) implements Command {}

  /**
   * DeleteObject without a version id: a delete marker (owing replication to {@code replicateTo}), or
   * removal of the null version.
   */
  public record DeleteKey(String key, Versioning versioning, List<String> replicateTo,
      ActorRef<Result<DeleteOutcome>> replyTo) implements Command {}

  /**
   * Applies a replica from another bucket, keeping its version id and order. Idempotent: replies false
   * (and changes nothing) when the version is already here, so redelivery is harmless.
   */
  public record Replicate(ObjectVersion replica, ActorRef<Result<Boolean>> replyTo) implements Command {}

  /** DeleteObject with a version id: permanent removal of that version or delete marker. */
  public record DeleteVersion(String key, String versionId, ActorRef<Result<DeleteOutcome>> replyTo)
      implements Command {}

  /**
   * PutObjectTagging / DeleteObjectTagging (empty tags): replaces the tags of a version ({@code versionId}
   * null: the current one). Replies with the updated version; a delete marker has no tags to set. A
   * client's change ({@code fromClient}) is passed on: from a source version to its replicas, from a
   * replica to {@code replicaModificationTargets} (the buckets whose rules sync replica modifications
   * back); a change applied by replication is not passed on, so two-way replication does not ping-pong.
   * Changes apply last-writer-wins by {@code tagsMillis} (a client's change is stamped now, a replicated
   * one carries its origin's stamp), so changes that arrive late or twice do not undo newer ones.
   */
  public record SetTags(String key, String versionId, Map<String, String> tags, boolean fromClient, long tagsMillis,
      List<String> replicaModificationTargets, ActorRef<Result<ObjectVersion>> replyTo) implements Command {}

  /**
   * An operator's request (the existing-objects / retry job) that a version be replicated to
   * {@code destinations}, whether it owed them before (a FAILED retry) or not (an object written before
   * the rule). Replies with the version; a version that is gone is NO_SUCH_VERSION, a replica or a
   * delete marker is left alone (METHOD_NOT_ALLOWED).
   */
  public record RequestReplication(String key, String versionId, List<String> destinations,
      ActorRef<Result<ObjectVersion>> replyTo) implements Command {}

  /**
   * Published on this node's event stream once an event that owes replication is indexed (after the
   * reply), for replication's fast path; the projections over the journal remain the guarantee.
   */
  public record ReplicationNeeded(String bucket, Event event) {}

  /** Whether an event owes replication work: a copy of a source version, or a tag change to pass on. */
  public static boolean owesReplication(Event event) {
    if (event instanceof VersionAdded a) return !a.version().replica() && !a.version().replicateTo().isEmpty();
    if (event instanceof VersionUpdated u) return (!u.version().replica() && !u.replicateNow().isEmpty()) || !u.retagAt().isEmpty();
    return false;
  }

  /**
   * The key's current version (a delete marker included; null when the key has none), from the node's
   * {@link VersionCache} when it holds the key, else from the index. Answered in any state, also while a
   * write is in progress: a write not yet acknowledged may or may not be seen, as S3 allows.
   */
  public record ReadCurrent(String key, ActorRef<Result<ObjectVersion>> replyTo) implements Command {}

  /** What S3 reports for a delete: the version id concerned and whether it is a delete marker. */
  public record DeleteOutcome(String versionId, boolean deleteMarker) {}

  private record Prepared(Command cmd, Optional<ObjectVersion> current, Optional<ObjectVersion> target,
      Throwable failure) implements Command {}

  private record Indexed(Event event, Runnable reply, Throwable failure) implements Command {}

  private record CurrentRead(ReadCurrent request, ObjectVersion found, Throwable failure) implements Command {}

  private record ReindexLast() implements Command {}

  public sealed interface Event extends CborSerializable {}

  /** A version joined the key's history; {@code replaced} (the previous null version) left it. */
  public record VersionAdded(ObjectVersion version, ObjectVersion replaced) implements Event {}

  public record VersionRemoved(ObjectVersion version) implements Event {}

  /**
   * A version changed in place ({@code version} is its new state), at {@code atMillis}: its tags, to be
   * passed on to the buckets in {@code retagAt}; or the destinations it owes replication to, when an
   * operator asked for it to be replicated (again) to {@code replicateNow}.
   */
  public record VersionUpdated(ObjectVersion version, List<String> retagAt, List<String> replicateNow, long atMillis)
      implements Event {
    public VersionUpdated {
      retagAt = retagAt == null ? List.of() : List.copyOf(retagAt);
      replicateNow = replicateNow == null ? List.of() : List.copyOf(replicateNow);
    }
  }

  /**
   * {@code lastSeq} drives the hybrid clock; the last event (one of the three, the others null) is kept
   * to re-apply it after a crash.
   */
  public record State(long lastSeq, VersionAdded lastAdded, VersionRemoved lastRemoved, VersionUpdated lastUpdated)
      implements CborSerializable {
    Optional<Event> lastEvent() {
      if (lastAdded != null) return Optional.of(lastAdded);
      return lastRemoved != null ? Optional.of(lastRemoved) : Optional.ofNullable(lastUpdated);
    }
  }

  public static String entityId(String bucket, int part) {
    return bucket + "#" + part;
  }

  // ---- behavior ----

  public static Behavior<Command> create(String entityId, RegionStorage storage) {
    return Behaviors.setup(ctx -> new ObjectPartition(ctx, entityId, storage));
  }

  private final ActorContext<Command> ctx;
  private final String bucket;
  private final int part;
  private final String tag;
  private final PartitionIndexer indexer;
  private final VersionCache.View cache;
  private boolean busy;

  private ObjectPartition(ActorContext<Command> ctx, String entityId, RegionStorage storage) {
    super(PersistenceId.of(TYPE_KEY.name(), entityId));
    this.ctx = ctx;
    int hash = entityId.lastIndexOf('#');
    this.bucket = entityId.substring(0, hash);
    this.part = Integer.parseInt(entityId.substring(hash + 1));
    this.tag = "obj-" + Math.floorMod(entityId.hashCode(), storage.settings.tagSlices());
    this.indexer = new PartitionIndexer(storage, bucket, part);
    this.cache = storage.versionCache.view();
  }

  @Override
  public State emptyState() {
    return new State(0, null, null, null);
  }

  /**
   * Only events that owe replication are tagged: the replication projections are the only readers of the
   * tags and skip every other event, and an untagged event costs the journal one row instead of a
   * tag_views row and tag progress besides, and the projections nothing.
   */
  @Override
  public Set<String> tagsFor(Event event) {
    return owesReplication(event) ? Set.of(tag) : Set.of();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(1000, 2);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      if (state.lastEvent().isPresent()) {
        busy = true;
        ctx.getSelf().tell(new ReindexLast());
      }
    }).build();
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    var b = newCommandHandlerBuilder().forAnyState();
    b.onCommand(ReadCurrent.class, (s, c) -> readCurrent(c));
    b.onCommand(CurrentRead.class, (s, c) -> onCurrentRead(c));
    b.onCommand(c -> busy && !(c instanceof Prepared || c instanceof Indexed || c instanceof ReindexLast),
        (s, c) -> Effect().stash());
    b.onCommand(Put.class, (s, c) -> prepare(c, c.draft().key(), c.versioning() != Versioning.ENABLED, null));
    b.onCommand(DeleteKey.class, (s, c) -> prepare(c, c.key(), c.versioning() != Versioning.ENABLED, null));
    b.onCommand(DeleteVersion.class, (s, c) -> prepare(c, c.key(), false, c.versionId()));
    b.onCommand(Replicate.class, (s, c) -> prepare(c, c.replica().key(), false, c.replica().versionId()));
    b.onCommand(SetTags.class, (s, c) -> prepare(c, c.key(), false, c.versionId()));
    b.onCommand(RequestReplication.class, (s, c) -> prepare(c, c.key(), false, c.versionId()));
    b.onCommand(Prepared.class, this::onPrepared);
    b.onCommand(Indexed.class, this::onIndexed);
    b.onCommand(ReindexLast.class, (s, c) -> {
      Event last = s.lastEvent().get();
      index(last, indexer.apply(last), () -> {});
      return Effect().none();
    });
    return b.build();
  }

  /**
   * Step 1: read the key's current version and the version the command would replace or remove. A new
   * version or delete marker is the newest of its key, so the current row before it matters only to check
   * a condition: an unconditional write does not read it (an empty current row, as the indexer sees it).
   */
  private Effect<Event, State> prepare(Command cmd, String key, boolean needNullVersion, String versionId) {
    busy = true;
    boolean addsNewest = (cmd instanceof Put put && put.ifMatch() == null && !put.ifNoneMatchAny())
        || (cmd instanceof DeleteKey del && del.versioning() != Versioning.UNVERSIONED);
    ObjectVersion cached = addsNewest ? null : cache.get(key);
    CompletionStage<Optional<ObjectVersion>> current = addsNewest ? CompletableFuture.completedFuture(Optional.empty())
        : cached != null ? CompletableFuture.completedFuture(Optional.of(cached)) : indexer.current(key);
    CompletionStage<Optional<ObjectVersion>> target = versionId != null ? indexer.version(key, versionId)
        : needNullVersion ? indexer.nullVersion(key) : CompletableFuture.completedFuture(Optional.empty());
    ctx.pipeToSelf(current.thenCombine(target, (c, t) -> new Prepared(cmd, c, t, null)),
        (p, err) -> err != null ? new Prepared(cmd, Optional.empty(), Optional.empty(), err) : p);
    return Effect().none();
  }

  /** Step 2: decide, persist, and hand the event to the indexer. */
  private Effect<Event, State> onPrepared(State s, Prepared p) {
    if (p.failure() != null) {
      ctx.getLog().warn("index read failed in {}#{}: {}", bucket, part, p.failure().toString());
      return fail(p.cmd(), StoreError.INTERNAL, p.failure().toString());
    }
    long seq = Math.max(s.lastSeq() + 1, nowMicros());
    long now = Instant.now().toEpochMilli();
    if (p.cmd() instanceof Put put) {
      Optional<ObjectVersion> live = p.current().filter(v -> !v.deleteMarker());
      if (put.ifNoneMatchAny() && live.isPresent()) return fail(put, StoreError.PRECONDITION_FAILED, "If-None-Match");
      // The API checked If-Match against a live object before taking the body: if the key has no live
      // object now, a delete won the race, which S3 reports as a conflict (retry), not as a missing key.
      if (put.ifMatch() != null && (live.isEmpty() || !EtagMatch.matches(put.ifMatch(), live.get().etag()))) {
        return live.isEmpty() ? fail(put, StoreError.CONDITIONAL_REQUEST_CONFLICT, put.draft().key())
            : fail(put, StoreError.PRECONDITION_FAILED, "If-Match");
      }
      ObjectVersion d = put.draft();
      String id = put.versioning() == Versioning.ENABLED ? VersionIds.newVersionId(seq) : ObjectVersion.NULL_VERSION;
      ObjectVersion v = new ObjectVersion(d.key(), id, seq, false, d.size(), d.etag(), now, d.blob(), d.meta(),
          d.replicateTo(), false);
      return persistAndIndex(p, new VersionAdded(v, p.target().orElse(null)), () -> put.replyTo().tell(Result.ok(v)));
    }
    if (p.cmd() instanceof DeleteKey del) {
      if (del.versioning() == Versioning.UNVERSIONED) {
        DeleteOutcome none = new DeleteOutcome(null, false);
        if (p.target().isEmpty()) return done(() -> del.replyTo().tell(Result.ok(none)));
        return persistAndIndex(p, new VersionRemoved(p.target().get()), () -> del.replyTo().tell(Result.ok(none)));
      }
      String id = del.versioning() == Versioning.ENABLED ? VersionIds.newVersionId(seq) : ObjectVersion.NULL_VERSION;
      ObjectVersion marker = new ObjectVersion(del.key(), id, seq, true, 0, null, now, null, null, del.replicateTo(), false);
      return persistAndIndex(p, new VersionAdded(marker, p.target().orElse(null)),
          () -> del.replyTo().tell(Result.ok(new DeleteOutcome(id, true))));
    }
    if (p.cmd() instanceof Replicate rep) {
      if (p.target().isPresent()) return done(() -> rep.replyTo().tell(Result.ok(false)));
      return persistAndIndex(p, new VersionAdded(rep.replica(), null), () -> rep.replyTo().tell(Result.ok(true)));
    }
    if (p.cmd() instanceof SetTags st) {
      Optional<ObjectVersion> target = st.versionId() != null ? p.target() : p.current();
      if (target.isEmpty()) {
        return st.versionId() != null ? fail(st, StoreError.NO_SUCH_VERSION, st.versionId())
            : fail(st, StoreError.NO_SUCH_KEY, st.key());
      }
      ObjectVersion v = target.get();
      if (v.deleteMarker()) {
        return st.versionId() != null ? fail(st, StoreError.METHOD_NOT_ALLOWED, v.versionId())
            : fail(st, StoreError.NO_SUCH_KEY, st.key());
      }
      long stamp = st.fromClient() ? Math.max(now, v.meta().tagsMillis() + 1) : st.tagsMillis();
      if (stamp <= v.meta().tagsMillis()) return done(() -> st.replyTo().tell(Result.ok(v))); // an older change
      ObjectVersion tagged = v.withMeta(v.meta().withTags(st.tags(), stamp));
      List<String> retagAt = !st.fromClient() ? List.of() : v.replica() ? st.replicaModificationTargets() : v.replicateTo();
      return persistAndIndex(p, new VersionUpdated(tagged, retagAt, List.of(), now), () -> st.replyTo().tell(Result.ok(tagged)));
    }
    if (p.cmd() instanceof RequestReplication rr) {
      if (p.target().isEmpty()) return fail(rr, StoreError.NO_SUCH_VERSION, rr.versionId());
      ObjectVersion v = p.target().get();
      if (v.replica()) return fail(rr, StoreError.METHOD_NOT_ALLOWED, v.versionId());
      List<String> owed = new ArrayList<>(v.replicateTo());
      rr.destinations().stream().filter(d -> !owed.contains(d)).forEach(owed::add);
      ObjectVersion updated = v.withReplicateTo(owed);
      return persistAndIndex(p, new VersionUpdated(updated, List.of(), rr.destinations(), now),
          () -> rr.replyTo().tell(Result.ok(updated)));
    }
    DeleteVersion dv = (DeleteVersion) p.cmd();
    if (p.target().isEmpty()) {
      // S3 answers 204 for a version that does not exist (deletes are idempotent).
      return done(() -> dv.replyTo().tell(Result.ok(new DeleteOutcome(dv.versionId(), false))));
    }
    ObjectVersion gone = p.target().get();
    return persistAndIndex(p, new VersionRemoved(gone),
        () -> dv.replyTo().tell(Result.ok(new DeleteOutcome(gone.versionId(), gone.deleteMarker()))));
  }

  private Effect<Event, State> persistAndIndex(Prepared p, Event event, Runnable reply) {
    Runnable replyAndNotify = owesReplication(event) ? () -> {
      reply.run();
      ctx.getSystem().eventStream().tell(new EventStream.Publish<>(new ReplicationNeeded(bucket, event)));
    } : reply;
    return Effect().persist(event).thenRun(st -> index(event, indexer.apply(event, p.current()), replyAndNotify));
  }

  /** Step 3: once the index reflects the event, update the cache, reply and take the next command. */
  private void index(Event event, CompletionStage<Void> applied, Runnable reply) {
    ctx.pipeToSelf(applied, (ok, err) -> new Indexed(event, reply, err));
  }

  /**
   * The cache after an indexed event: a new version of the partition's own is its key's newest (its
   * sequence is above every one this partition has seen), so it is the current version; after anything
   * else (a replica, which may be older than the current version; a removal; a change in place) the
   * key's entry is dropped and the next read goes to the index.
   */
  private void remember(Event event) {
    ObjectVersion v = PartitionIndexer.subject(event);
    cache.written(v.key(), event instanceof VersionAdded && !v.replica() ? v : null);
  }

  private Effect<Event, State> readCurrent(ReadCurrent c) {
    ObjectVersion hit = cache.get(c.key());
    if (hit != null) {
      c.replyTo().tell(Result.ok(hit));
      return Effect().none();
    }
    cache.reading(c.key());
    ctx.pipeToSelf(indexer.current(c.key()), (found, err) -> new CurrentRead(c, found == null ? null : found.orElse(null), err));
    return Effect().none();
  }

  private Effect<Event, State> onCurrentRead(CurrentRead r) {
    cache.read(r.request().key(), r.failure() == null ? r.found() : null);
    r.request().replyTo().tell(r.failure() == null ? Result.ok(r.found())
        : Result.err(StoreError.INTERNAL, r.failure().toString()));
    return Effect().none();
  }

  private Effect<Event, State> onIndexed(State s, Indexed i) {
    if (i.failure() != null) {
      // The event is persisted; stop so that recovery re-applies it to the index before any reply.
      ctx.getLog().error("index update failed in {}#{}, restarting: {}", bucket, part, i.failure().toString());
      throw new IllegalStateException("index update failed", i.failure());
    }
    remember(i.event());
    return done(i.reply());
  }

  private Effect<Event, State> done(Runnable reply) {
    busy = false;
    reply.run();
    return Effect().none().thenUnstashAll();
  }

  private Effect<Event, State> fail(Command cmd, StoreError error, String detail) {
    Runnable reply = () -> {};
    if (cmd instanceof Put c) reply = () -> c.replyTo().tell(Result.err(error, detail));
    else if (cmd instanceof DeleteKey c) reply = () -> c.replyTo().tell(Result.err(error, detail));
    else if (cmd instanceof DeleteVersion c) reply = () -> c.replyTo().tell(Result.err(error, detail));
    else if (cmd instanceof Replicate c) reply = () -> c.replyTo().tell(Result.err(error, detail));
    else if (cmd instanceof SetTags c) reply = () -> c.replyTo().tell(Result.err(error, detail));
    else if (cmd instanceof RequestReplication c) reply = () -> c.replyTo().tell(Result.err(error, detail));
    return done(reply);
  }

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(VersionAdded.class, (s, e) -> new State(Math.max(s.lastSeq(), e.version().seq()), e, null, null))
        .onEvent(VersionRemoved.class, (s, e) -> new State(s.lastSeq(), null, e, null))
        .onEvent(VersionUpdated.class, (s, e) -> new State(s.lastSeq(), null, null, e))
        .build();
  }
}
