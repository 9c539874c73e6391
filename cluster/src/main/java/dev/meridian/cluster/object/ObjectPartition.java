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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
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
 * slice of the key/version index. Write commands queue and are taken in groups, one group at a time: read
 * what the decisions need from the index, persist the group's events (one atomic journal write), apply
 * them to the index (one request), then reply to each. A group holds the commands that arrived while the
 * previous one was in flight, each about a different key, so each key's commands keep their order and the
 * cost of a write in requests falls as the load rises (group commit). A write of a new key reads nothing:
 * the partition keeps a filter of the keys that may have versions ({@link KeyFilter}), and only the others'
 * null versions are read. An acknowledged write is in the journal and visible to reads and listings. The
 * state is a clock and the last few events, whatever the number of keys: after a crash between persisting
 * and indexing, recovery applies the recent events to the index again (index writes are idempotent). A
 * plain EventSourcedBehavior, as {@code Bucket} explains.
 *
 * <p>Being the single writer, it also answers reads of its keys' current versions ({@link ReadCurrent}) from
 * the node's {@link VersionCache}, which it updates as it indexes each write, before the reply; a miss
 * reads the index and fills the entry. Reads do not wait behind writes in progress.
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

  /** The reads a group of commands needs: for each command, the key's current version and its target. */
  private record Prepared(List<Command> group, List<Optional<ObjectVersion>> current,
      List<Optional<ObjectVersion>> target, Throwable failure) implements Command {}

  /** The index reflects {@code events}: reply to their commands. */
  private record Indexed(List<Event> events, List<Runnable> replies, Throwable failure) implements Command {}

  private record CurrentRead(ReadCurrent request, ObjectVersion found, Throwable failure) implements Command {}

  private record ReindexRecent() implements Command {}

  /** The scan of the index for the partition's keys into {@code keys} ended. */
  private record KeysScanned(KeyFilter keys, Throwable failure) implements Command {}

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
   * {@code lastSeq} drives the hybrid clock; the last {@link #MAX_GROUP} events (at least the last group's,
   * persisted together) are kept to apply them to the index again after a crash.
   */
  public record State(long lastSeq, List<Recent> recent) implements CborSerializable {
    public State {
      recent = recent == null ? List.of() : List.copyOf(recent);
    }

    State after(Event event, long seq) {
      List<Recent> next = new ArrayList<>(MAX_GROUP);
      next.addAll(recent.size() < MAX_GROUP ? recent : recent.subList(recent.size() - MAX_GROUP + 1, recent.size()));
      next.add(Recent.of(event));
      return new State(seq, next);
    }

    List<Event> recentEvents() {
      return recent.stream().map(Recent::event).toList();
    }
  }

  /** One of the recent events (one of the three set), in a shape that needs no polymorphic typing. */
  public record Recent(VersionAdded added, VersionRemoved removed, VersionUpdated updated) {
    static Recent of(Event e) {
      if (e instanceof VersionAdded a) return new Recent(a, null, null);
      return e instanceof VersionRemoved r ? new Recent(null, r, null) : new Recent(null, null, (VersionUpdated) e);
    }

    Event event() {
      if (added != null) return added;
      return removed != null ? removed : updated;
    }
  }

  public static String entityId(String bucket, int part) {
    return bucket + "#" + part;
  }

  // ---- behavior ----

  /**
   * Write commands decided together at most: one index read, one journal write (the events of a group are
   * one atomic write) and one index write for all of them. A group forms from the commands that waited
   * while the previous one was in flight, so the busier a partition, the fewer requests per write.
   */
  static final int MAX_GROUP = 16;

  /** Write commands waiting for a partition at most; more are refused with SlowDown (503). */
  static final int MAX_WAITING = 4096;

  public static Behavior<Command> create(String entityId, RegionStorage storage) {
    return Behaviors.setup(ctx -> new ObjectPartition(ctx, entityId, storage));
  }

  private final ActorContext<Command> ctx;
  private final String bucket;
  private final int part;
  private final String tag;
  private final PartitionIndexer indexer;
  private final VersionCache.View cache;
  private final KeyFilter.Budget keyFilters;
  private final ArrayDeque<Command> waiting = new ArrayDeque<>();
  private boolean busy;
  /**
   * Every key that may have a version in this partition, once the scan that fills it is done
   * ({@link #keysComplete}): the keys the scan finds in the index, and the keys of every version this
   * incarnation adds from the start of the scan. Null until a write needs it. Its memory comes from the
   * node's budget ({@code meridian.storage.key-filter-size}) and goes back when the entity stops.
   */
  private KeyFilter keys;
  private boolean keysComplete;

  private ObjectPartition(ActorContext<Command> ctx, String entityId, RegionStorage storage) {
    super(PersistenceId.of(TYPE_KEY.name(), entityId));
    this.ctx = ctx;
    int hash = entityId.lastIndexOf('#');
    this.bucket = entityId.substring(0, hash);
    this.part = Integer.parseInt(entityId.substring(hash + 1));
    this.tag = "obj-" + Math.floorMod(entityId.hashCode(), storage.settings.tagSlices());
    this.indexer = new PartitionIndexer(storage, bucket, part);
    this.cache = storage.versionCache.view();
    this.keyFilters = storage.keyFilters;
  }

  @Override
  public State emptyState() {
    return new State(0, List.of());
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
      if (!state.recent().isEmpty()) {
        busy = true;
        ctx.getSelf().tell(new ReindexRecent());
      }
    }).onSignal(PostStop.instance(), state -> {
      if (keys != null) keys.release();
    }).build();
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    var b = newCommandHandlerBuilder().forAnyState();
    b.onCommand(ReadCurrent.class, (s, c) -> readCurrent(c));
    b.onCommand(CurrentRead.class, (s, c) -> onCurrentRead(c));
    b.onCommand(Prepared.class, this::onPrepared);
    b.onCommand(Indexed.class, this::onIndexed);
    b.onCommand(KeysScanned.class, (s, c) -> {
      if (c.keys() != keys) return Effect().none(); // an earlier scan's
      if (c.failure() == null) {
        keysComplete = true;
        ctx.getLog().debug("key scan of {}#{} done", bucket, part);
      } else {
        ctx.getLog().warn("key scan failed in {}#{}: {}", bucket, part, c.failure().toString());
        keys.release();
        keys = null; // the next write that needs it starts another
      }
      return Effect().none();
    });
    b.onCommand(ReindexRecent.class, (s, c) -> {
      // Each event re-applied without knowledge of the rows, as after any crash: a key's events in order,
      // different keys' at once (their rows are apart).
      List<Event> recent = s.recentEvents();
      Map<String, CompletionStage<Void>> perKey = new HashMap<>();
      for (Event e : recent) {
        String key = PartitionIndexer.subject(e).key();
        CompletionStage<Void> before = perKey.get(key);
        perKey.put(key, before == null ? indexer.apply(e) : before.thenCompose(x -> indexer.apply(e)));
      }
      CompletableFuture<?>[] all = perKey.values().stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new);
      ctx.pipeToSelf(CompletableFuture.allOf(all), (ok, err) -> new Indexed(recent, List.of(), err));
      return Effect().none();
    });
    b.onAnyCommand(this::enqueue);
    return b.build();
  }

  /** A write command waits its turn; the partition works on one group of them at a time. */
  private Effect<Event, State> enqueue(Command cmd) {
    if (waiting.size() >= MAX_WAITING) {
      rejection(cmd, StoreError.SLOW_DOWN, bucket + "#" + part + " has " + waiting.size() + " writes waiting").run();
      return Effect().none();
    }
    waiting.add(cmd);
    return busy ? Effect().none() : next();
  }

  /**
   * Starts the next group: the waiting commands from the head of the queue, up to {@link #MAX_GROUP} and
   * up to the first whose key is already in the group (so each key's commands keep their order).
   */
  private Effect<Event, State> next() {
    busy = !waiting.isEmpty();
    if (!busy) return Effect().none();
    List<Command> group = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    while (!waiting.isEmpty() && group.size() < MAX_GROUP && keys.add(keyOf(waiting.peek()))) group.add(waiting.poll());
    prepare(group);
    return Effect().none();
  }

  /**
   * Step 1: read what the group's decisions need: for each command the key's current version and the
   * version it would replace or remove. A new version or delete marker is the newest of its key, so the
   * current row before it matters only to check a condition: an unconditional write does not read it
   * (an empty current row, as the indexer sees it). The null versions that unversioned writes replace
   * are read for the whole group at once. Nothing is read for a key that {@link #keys} shows to have no
   * version at all: a new key's PUT, or its replica, costs no read.
   */
  private void prepare(List<Command> group) {
    List<String> nullKeys = group.stream().filter(ObjectPartition::replacesNullVersion).map(ObjectPartition::keyOf)
        .filter(this::mayHaveVersions).toList();
    CompletionStage<Map<String, ObjectVersion>> nulls = nullKeys.isEmpty() ? CompletableFuture.completedFuture(Map.of())
        : indexer.nullVersionsWithoutData(nullKeys);
    List<CompletableFuture<Optional<ObjectVersion>>> current = new ArrayList<>();
    List<CompletableFuture<Optional<ObjectVersion>>> target = new ArrayList<>();
    CompletableFuture<Optional<ObjectVersion>> none = CompletableFuture.completedFuture(Optional.empty());
    for (Command cmd : group) {
      String key = keyOf(cmd);
      String versionId = versionIdOf(cmd);
      ObjectVersion cached = addsNewest(cmd) ? null : cache.get(key);
      boolean readsCurrent = !addsNewest(cmd) && cached == null;
      // A key with no version here has neither a current version nor the one addressed (a new key's replica).
      boolean absent = (readsCurrent || versionId != null) && !mayHaveVersions(key);
      current.add(cached != null ? CompletableFuture.completedFuture(Optional.of(cached))
          : !readsCurrent || absent ? none : indexer.current(key).toCompletableFuture());
      target.add(versionId != null ? (absent ? none : indexer.version(key, versionId).toCompletableFuture())
          : replacesNullVersion(cmd) ? nulls.thenApply(m -> Optional.ofNullable(m.get(key))).toCompletableFuture()
          : none);
    }
    List<CompletableFuture<?>> reads = new ArrayList<>(current);
    reads.addAll(target);
    ctx.pipeToSelf(CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)), (ok, err) -> err != null
        ? new Prepared(group, null, null, err)
        : new Prepared(group, current.stream().map(CompletableFuture::join).toList(),
            target.stream().map(CompletableFuture::join).toList(), null));
  }

  /**
   * False only when the key certainly has no version here. The first write to ask starts the scan of the
   * index for the partition's keys: the groups before it are indexed (one group at a time), so the scan
   * finds their keys, and the keys of the groups from this one on are added as they are decided.
   */
  private boolean mayHaveVersions(String key) {
    if (keys == null) {
      if (!keyFilters.enabled()) return true;
      KeyFilter scanned = new KeyFilter(keyFilters);
      keys = scanned;
      keysComplete = false;
      ctx.pipeToSelf(indexer.forEachKey(scanned::add), (ok, err) -> new KeysScanned(scanned, err));
    }
    return !keysComplete || keys.mightContain(key);
  }

  /** Step 2: decide each command of the group, persist the events together and hand them to the indexer. */
  private Effect<Event, State> onPrepared(State s, Prepared p) {
    if (p.failure() != null) {
      ctx.getLog().warn("index read failed in {}#{}: {}", bucket, part, p.failure().toString());
      p.group().forEach(cmd -> rejection(cmd, StoreError.INTERNAL, p.failure().toString()).run());
      return next();
    }
    List<Event> events = new ArrayList<>();
    List<Optional<ObjectVersion>> befores = new ArrayList<>();
    List<Runnable> replies = new ArrayList<>();
    long seq = s.lastSeq();
    long now = Instant.now().toEpochMilli();
    for (int i = 0; i < p.group().size(); i++) {
      seq = Math.max(seq + 1, nowMicros());
      Decision d = decide(p.group().get(i), p.current().get(i), p.target().get(i), seq, now);
      if (d.event() == null) {
        d.reply().run(); // nothing to write: a failed condition, a no-op
      } else {
        if (keys != null && d.event() instanceof VersionAdded added) keys.add(added.version().key());
        events.add(d.event());
        befores.add(p.current().get(i));
        replies.add(d.reply());
      }
    }
    if (events.isEmpty()) return next();
    return Effect().persist(events)
        .thenRun(st -> ctx.pipeToSelf(indexer.apply(events, befores), (ok, err) -> new Indexed(events, replies, err)));
  }

  /** What a command comes to: an event to persist and the reply once it is indexed, or only a reply. */
  private record Decision(Event event, Runnable reply) {}

  private static Decision write(Event event, Runnable reply) {
    return new Decision(event, reply);
  }

  private static Decision answer(Runnable reply) {
    return new Decision(null, reply);
  }

  private static Decision refuse(Command cmd, StoreError error, String detail) {
    return answer(rejection(cmd, error, detail));
  }

  private static Decision decide(Command cmd, Optional<ObjectVersion> current, Optional<ObjectVersion> target,
      long seq, long now) {
    if (cmd instanceof Put put) {
      Optional<ObjectVersion> live = current.filter(v -> !v.deleteMarker());
      if (put.ifNoneMatchAny() && live.isPresent()) return refuse(put, StoreError.PRECONDITION_FAILED, "If-None-Match");
      // The API checked If-Match against a live object before taking the body: if the key has no live
      // object now, a delete won the race, which S3 reports as a conflict (retry), not as a missing key.
      if (put.ifMatch() != null && (live.isEmpty() || !EtagMatch.matches(put.ifMatch(), live.get().etag()))) {
        return live.isEmpty() ? refuse(put, StoreError.CONDITIONAL_REQUEST_CONFLICT, put.draft().key())
            : refuse(put, StoreError.PRECONDITION_FAILED, "If-Match");
      }
      ObjectVersion d = put.draft();
      String id = put.versioning() == Versioning.ENABLED ? VersionIds.newVersionId(seq) : ObjectVersion.NULL_VERSION;
      ObjectVersion v = new ObjectVersion(d.key(), id, seq, false, d.size(), d.etag(), now, d.blob(), d.meta(),
          d.replicateTo(), false);
      return write(new VersionAdded(v, target.orElse(null)), () -> put.replyTo().tell(Result.ok(v)));
    }
    if (cmd instanceof DeleteKey del) {
      if (del.versioning() == Versioning.UNVERSIONED) {
        DeleteOutcome none = new DeleteOutcome(null, false);
        if (target.isEmpty()) return answer(() -> del.replyTo().tell(Result.ok(none)));
        return write(new VersionRemoved(target.get()), () -> del.replyTo().tell(Result.ok(none)));
      }
      String id = del.versioning() == Versioning.ENABLED ? VersionIds.newVersionId(seq) : ObjectVersion.NULL_VERSION;
      ObjectVersion marker = new ObjectVersion(del.key(), id, seq, true, 0, null, now, null, null, del.replicateTo(), false);
      return write(new VersionAdded(marker, target.orElse(null)),
          () -> del.replyTo().tell(Result.ok(new DeleteOutcome(id, true))));
    }
    if (cmd instanceof Replicate rep) {
      if (target.isPresent()) return answer(() -> rep.replyTo().tell(Result.ok(false)));
      return write(new VersionAdded(rep.replica(), null), () -> rep.replyTo().tell(Result.ok(true)));
    }
    if (cmd instanceof SetTags st) {
      Optional<ObjectVersion> tagged = st.versionId() != null ? target : current;
      if (tagged.isEmpty()) {
        return st.versionId() != null ? refuse(st, StoreError.NO_SUCH_VERSION, st.versionId())
            : refuse(st, StoreError.NO_SUCH_KEY, st.key());
      }
      ObjectVersion v = tagged.get();
      if (v.deleteMarker()) {
        return st.versionId() != null ? refuse(st, StoreError.METHOD_NOT_ALLOWED, v.versionId())
            : refuse(st, StoreError.NO_SUCH_KEY, st.key());
      }
      long stamp = st.fromClient() ? Math.max(now, v.meta().tagsMillis() + 1) : st.tagsMillis();
      if (stamp <= v.meta().tagsMillis()) return answer(() -> st.replyTo().tell(Result.ok(v))); // an older change
      ObjectVersion updated = v.withMeta(v.meta().withTags(st.tags(), stamp));
      List<String> retagAt = !st.fromClient() ? List.of() : v.replica() ? st.replicaModificationTargets() : v.replicateTo();
      return write(new VersionUpdated(updated, retagAt, List.of(), now), () -> st.replyTo().tell(Result.ok(updated)));
    }
    if (cmd instanceof RequestReplication rr) {
      if (target.isEmpty()) return refuse(rr, StoreError.NO_SUCH_VERSION, rr.versionId());
      ObjectVersion v = target.get();
      if (v.replica()) return refuse(rr, StoreError.METHOD_NOT_ALLOWED, v.versionId());
      List<String> owed = new ArrayList<>(v.replicateTo());
      rr.destinations().stream().filter(d -> !owed.contains(d)).forEach(owed::add);
      ObjectVersion updated = v.withReplicateTo(owed);
      return write(new VersionUpdated(updated, List.of(), rr.destinations(), now),
          () -> rr.replyTo().tell(Result.ok(updated)));
    }
    DeleteVersion dv = (DeleteVersion) cmd;
    if (target.isEmpty()) {
      // S3 answers 204 for a version that does not exist (deletes are idempotent).
      return answer(() -> dv.replyTo().tell(Result.ok(new DeleteOutcome(dv.versionId(), false))));
    }
    ObjectVersion gone = target.get();
    return write(new VersionRemoved(gone),
        () -> dv.replyTo().tell(Result.ok(new DeleteOutcome(gone.versionId(), gone.deleteMarker()))));
  }

  /** The key a write command is about. */
  private static String keyOf(Command cmd) {
    if (cmd instanceof Put c) return c.draft().key();
    if (cmd instanceof DeleteKey c) return c.key();
    if (cmd instanceof DeleteVersion c) return c.key();
    if (cmd instanceof Replicate c) return c.replica().key();
    if (cmd instanceof SetTags c) return c.key();
    return ((RequestReplication) cmd).key();
  }

  /** The version a write command addresses by id, or null. */
  private static String versionIdOf(Command cmd) {
    if (cmd instanceof DeleteVersion c) return c.versionId();
    if (cmd instanceof Replicate c) return c.replica().versionId();
    if (cmd instanceof SetTags c) return c.versionId();
    return cmd instanceof RequestReplication c ? c.versionId() : null;
  }

  /** A write of the key's null version (versioning not enabled), which replaces the one it has. */
  private static boolean replacesNullVersion(Command cmd) {
    return (cmd instanceof Put c && c.versioning() != Versioning.ENABLED)
        || (cmd instanceof DeleteKey d && d.versioning() != Versioning.ENABLED);
  }

  /** A command that adds its key's newest version whatever the key holds now. */
  private static boolean addsNewest(Command cmd) {
    return (cmd instanceof Put put && put.ifMatch() == null && !put.ifNoneMatchAny())
        || (cmd instanceof DeleteKey del && del.versioning() != Versioning.UNVERSIONED);
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

  /** Step 3: once the index reflects the events, update the cache, reply and take the next group. */
  private Effect<Event, State> onIndexed(State s, Indexed i) {
    if (i.failure() != null) {
      // The events are persisted; stop so that recovery re-applies them to the index before any reply.
      ctx.getLog().error("index update failed in {}#{}, restarting: {}", bucket, part, i.failure().toString());
      throw new IllegalStateException("index update failed", i.failure());
    }
    i.events().forEach(this::remember);
    i.replies().forEach(Runnable::run);
    for (Event e : i.events()) {
      if (owesReplication(e)) ctx.getSystem().eventStream().tell(new EventStream.Publish<>(new ReplicationNeeded(bucket, e)));
    }
    return next();
  }

  /** The error reply to a write command. */
  private static Runnable rejection(Command cmd, StoreError error, String detail) {
    if (cmd instanceof Put c) return () -> c.replyTo().tell(Result.err(error, detail));
    if (cmd instanceof DeleteKey c) return () -> c.replyTo().tell(Result.err(error, detail));
    if (cmd instanceof DeleteVersion c) return () -> c.replyTo().tell(Result.err(error, detail));
    if (cmd instanceof Replicate c) return () -> c.replyTo().tell(Result.err(error, detail));
    if (cmd instanceof SetTags c) return () -> c.replyTo().tell(Result.err(error, detail));
    if (cmd instanceof RequestReplication c) return () -> c.replyTo().tell(Result.err(error, detail));
    return () -> {};
  }

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(VersionAdded.class, (s, e) -> s.after(e, Math.max(s.lastSeq(), e.version().seq())))
        .onEvent(VersionRemoved.class, (s, e) -> s.after(e, s.lastSeq()))
        .onEvent(VersionUpdated.class, (s, e) -> s.after(e, s.lastSeq()))
        .build();
  }
}
