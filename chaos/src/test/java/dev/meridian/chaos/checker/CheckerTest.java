package dev.meridian.chaos.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.chaos.checker.Observation.BucketState;
import dev.meridian.chaos.checker.Observation.Version;
import dev.meridian.chaos.checker.Violation.Kind;
import dev.meridian.chaos.history.BucketPlan;
import dev.meridian.chaos.history.Op;
import dev.meridian.chaos.history.Op.OpType;
import dev.meridian.chaos.history.Op.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The checker against synthetic histories: a clean history (with unknown outcomes both ways, a delete of a
 * specific version, delete markers) passes, and each planted fault is reported as its own kind and only
 * as that kind.
 */
class CheckerTest {

  static final long EPOCH = 1_800_000_000_000L;
  static final BucketPlan PLAN = BucketPlan.standard("r1", "r2", "t");
  static final String SRC = "src-t", CRR = "crr-t", SRR = "srr-t", PA = "pair-a-t", PB = "pair-b-t";

  /** A history and the state a correct cluster ends in, built up together. */
  static final class World {
    final List<Op> ops = new ArrayList<>();
    final Map<String, List<Version>> buckets = new LinkedHashMap<>();
    long t = 100;

    World() {
      for (BucketPlan.Bucket b : PLAN.buckets()) buckets.put(b.name(), new ArrayList<>());
    }

    Op put(String bucket, String key, Outcome outcome) {
      long id = ops.size() + 1;
      String vid = vid(id);
      Op op = new Op(id, 0, OpType.PUT, bucket, key, null, "r1-1", PLAN.home(bucket), t, t + 5, outcome,
          outcome == Outcome.OK ? 200 : 0, outcome == Outcome.OK ? null : "timeout", outcome == Outcome.OK ? vid : null,
          "etag" + id, "sha" + id, 10 + id, false);
      ops.add(op);
      t += 10;
      return op;
    }

    Op delete(String bucket, String key, Outcome outcome) {
      long id = ops.size() + 1;
      Op op = new Op(id, 0, OpType.DELETE, bucket, key, null, "r1-1", PLAN.home(bucket), t, t + 5, outcome,
          outcome == Outcome.OK ? 204 : 0, null, outcome == Outcome.OK ? vid(id) : null, null, null, 0,
          outcome == Outcome.OK);
      ops.add(op);
      t += 10;
      return op;
    }

    Op deleteVersion(String bucket, String key, String versionId) {
      long id = ops.size() + 1;
      Op op = new Op(id, 0, OpType.DELETE_VERSION, bucket, key, versionId, "r1-1", PLAN.home(bucket), t, t + 5,
          Outcome.OK, 204, null, versionId, null, null, 0, false);
      ops.add(op);
      t += 10;
      return op;
    }

    Op get(String bucket, String key, String versionId, String sha) {
      long id = ops.size() + 1;
      Op op = new Op(id, 0, OpType.GET, bucket, key, null, "r1-1", PLAN.home(bucket), t, t + 5, Outcome.OK, 200, null,
          versionId, null, sha, 10, false);
      ops.add(op);
      t += 10;
      return op;
    }

    /** Adds the version a write made (version id {@code vid(op)}) to {@code bucket}, newest first. */
    void holds(String bucket, Op op, String status) {
      boolean marker = op.type() == OpType.DELETE;
      List<Version> vs = buckets.get(bucket);
      vs.replaceAll(v -> v.key().equals(op.key()) ? latest(v, false) : v);
      vs.add(0, new Version(op.key(), vid(op.id()), marker, true, marker ? null : op.etag(), marker ? 0 : op.size(),
          EPOCH + op.start() + 2, marker ? null : op.sha256(), status, null));
    }

    /** A write replicated as the rules say: the origin with its status, the replicas with REPLICA. */
    void replicated(Op op) {
      boolean marker = op.type() == OpType.DELETE;
      List<BucketPlan.Rule> rules = PLAN.rulesFrom(op.bucket()).stream().filter(r -> r.covers(op.key(), marker)).toList();
      holds(op.bucket(), op, marker || PLAN.rulesFrom(op.bucket()).stream().noneMatch(r -> r.covers(op.key(), false))
          ? null : "COMPLETED");
      for (BucketPlan.Rule r : rules) holds(r.destination(), op, marker ? null : "REPLICA");
    }

    /** Drops versions from a bucket, keeping IsLatest on the newest remaining version of each key. */
    void without(String bucket, java.util.function.Predicate<Version> drop) {
      List<Version> kept = new ArrayList<>(buckets.get(bucket).stream().filter(drop.negate()).toList());
      Set<String> seen = new java.util.HashSet<>();
      kept.replaceAll(v -> latest(v, seen.add(v.key())));
      buckets.put(bucket, kept);
    }

    void edit(String bucket, UnaryOperator<List<Version>> f) {
      buckets.put(bucket, new ArrayList<>(f.apply(buckets.get(bucket))));
    }

    List<Violation> check() {
      Map<String, BucketState> states = new LinkedHashMap<>();
      buckets.forEach((b, vs) -> states.put(b, new BucketState(b, null, sortedByKey(vs))));
      return Checker.check(PLAN, ops, new Observation(states, true), EPOCH);
    }

    Set<Kind> kinds() {
      return check().stream().map(Violation::kind).collect(Collectors.toSet());
    }
  }

  static String vid(long id) {
    return String.format("%016xAAAAAAAAAAAAAAAA", 1000 + id);
  }

  static Version latest(Version v, boolean latest) {
    return new Version(v.key(), v.versionId(), v.deleteMarker(), latest, v.etag(), v.size(), v.lastModified(), v.sha256(),
        v.replicationStatus(), v.readError());
  }

  /** Listing order: by key, newest first within a key (the insertion order of {@link World#holds}). */
  static List<Version> sortedByKey(List<Version> vs) {
    List<Version> out = new ArrayList<>(vs);
    out.sort((a, b) -> a.key().compareTo(b.key()));
    return out;
  }

  /** A run with every feature: overwrites, both directions of the pair, markers, unknown outcomes. */
  static World clean() {
    World w = new World();
    w.replicated(w.put(SRC, "k/1", Outcome.OK));
    w.replicated(w.put(SRC, "k/1", Outcome.OK));
    w.replicated(w.put(SRC, "x/1", Outcome.OK)); // not under the SRR prefix: CRR only
    w.replicated(w.put(SRC, "k/2", Outcome.UNKNOWN)); // took effect
    w.put(SRC, "k/2", Outcome.UNKNOWN); // did not
    w.put(SRC, "k/2", Outcome.FAIL);
    w.replicated(w.delete(SRC, "k/1", Outcome.OK)); // CRR has delete markers, SRR does not
    w.replicated(w.delete(SRC, "x/1", Outcome.UNKNOWN)); // took effect, matched by time
    Op gone = w.put(SRC, "k/3", Outcome.OK);
    w.replicated(gone);
    w.deleteVersion(SRC, "k/3", gone.versionId());
    w.without(SRC, v -> v.versionId().equals(gone.versionId())); // replicas stay
    w.replicated(w.put(PA, "k/1", Outcome.OK));
    w.replicated(w.put(PB, "k/1", Outcome.OK));
    w.replicated(w.delete(PB, "k/1", Outcome.OK));
    w.replicated(w.put(PA, "k/9", Outcome.OK));
    w.get(SRC, "k/1", vid(2), "sha2");
    return w;
  }

  @Test
  void aCleanHistoryPasses() {
    assertEquals(List.of(), clean().check());
  }

  @Test
  void aLostAcknowledgedWriteIsCaught() {
    World w = clean();
    w.without(SRC, v -> v.versionId().equals(vid(2)));
    assertEquals(Set.of(Kind.LOST_WRITE), w.kinds(), w.check().toString());
  }

  @Test
  void aLostAcknowledgedDeleteMarkerIsCaught() {
    World w = clean();
    w.without(PB, Version::deleteMarker);
    // the replica in pair-a stays: the marker is gone from its origin although it took effect there
    assertTrue(w.kinds().contains(Kind.LOST_WRITE), w.check().toString());
  }

  @Test
  void aPhantomVersionIsCaught() {
    World w = clean();
    w.edit(CRR, vs -> {
      List<Version> out = new ArrayList<>(vs);
      out.add(new Version("zz", vid(999), false, true, "etag-nobody", 5, EPOCH + 10, "sha-nobody", "REPLICA", null));
      return out;
    });
    assertEquals(Set.of(Kind.PHANTOM_VERSION), w.kinds(), w.check().toString());
  }

  @Test
  void aPhantomDeleteMarkerIsCaught() {
    World w = clean();
    w.edit(SRC, vs -> {
      List<Version> out = new ArrayList<>(vs);
      out.add(new Version("q", vid(998), true, true, null, 0, EPOCH + 10, null, null, null));
      return out;
    });
    assertEquals(Set.of(Kind.PHANTOM_VERSION), w.kinds(), w.check().toString());
  }

  @Test
  void anUnknownDeleteMayTakeEffectAfterItsClientGaveUp() {
    World w = clean();
    Op late = w.delete(SRC, "x/9", Outcome.UNKNOWN);
    w.replicated(late);
    // The frozen node served the DELETE a minute after the client's timeout.
    w.edit(SRC, vs -> vs.stream().map(v -> v.versionId().equals(vid(late.id())) ? new Version(v.key(), v.versionId(),
        true, v.latest(), null, 0, EPOCH + late.end() + 60_000, null, null, null) : v).toList());
    w.edit(CRR, vs -> vs.stream().map(v -> v.versionId().equals(vid(late.id())) ? new Version(v.key(), v.versionId(),
        true, v.latest(), null, 0, EPOCH + late.end() + 60_000, null, null, null) : v).toList());
    assertEquals(Set.of(), w.kinds(), w.check().toString());
  }

  @Test
  void aDeleteMarkerOlderThanEveryDeleteOfItsKeyIsAPhantom() {
    World w = clean();
    Op delete = w.delete(SRC, "x/9", Outcome.UNKNOWN);
    w.edit(SRC, vs -> {
      List<Version> out = new ArrayList<>(vs);
      out.add(new Version("x/9", vid(997), true, true, null, 0, EPOCH + delete.start() - 10_000, null, null, null));
      return out;
    });
    assertEquals(Set.of(Kind.PHANTOM_VERSION), w.kinds(), w.check().toString());
  }

  @Test
  void aMissingReplicaIsCaught() {
    World w = clean();
    w.without(CRR, v -> v.versionId().equals(vid(1)));
    assertEquals(Set.of(Kind.MISSING_REPLICA), w.kinds(), w.check().toString());
  }

  @Test
  void aMissingReplicaInTheTwoWayPairIsCaught() {
    World w = clean();
    w.without(PA, v -> v.key().equals("k/1") && v.deleteMarker());
    assertEquals(Set.of(Kind.MISSING_REPLICA), w.kinds(), w.check().toString());
  }

  @Test
  void aDivergentReplicaIsCaught() {
    World w = clean();
    w.edit(SRR, vs -> vs.stream().map(v -> v.versionId().equals(vid(2)) ? v.withRead("sha-other", "REPLICA", null) : v).toList());
    assertEquals(Set.of(Kind.DIVERGENT_REPLICA), w.kinds(), w.check().toString());
  }

  @Test
  void replicasInAnotherOrderAreCaught() {
    World w = clean();
    w.edit(CRR, vs -> {
      List<Version> out = new ArrayList<>(vs);
      int a = indexOf(out, vid(1)), b = indexOf(out, vid(2));
      Version va = out.get(a), vb = out.get(b);
      out.set(a, latest(vb, va.latest()));
      out.set(b, latest(va, vb.latest()));
      return out;
    });
    assertEquals(Set.of(Kind.WRONG_ORDER), w.kinds(), w.check().toString());
  }

  @Test
  void aDeleteMarkerListedAfterTheVersionsItHidesIsCaught() {
    World w = clean();
    // As a server that renders every Version element before every DeleteMarker element would list it.
    w.edit(SRC, vs -> {
      List<Version> out = new ArrayList<>(vs.stream().filter(v -> !v.deleteMarker()).toList());
      out.addAll(vs.stream().filter(Version::deleteMarker).toList());
      return out;
    });
    w.edit(CRR, vs -> {
      List<Version> out = new ArrayList<>(vs.stream().filter(v -> !v.deleteMarker()).toList());
      out.addAll(vs.stream().filter(Version::deleteMarker).toList());
      return out;
    });
    assertEquals(Set.of(Kind.LISTING_ORDER), w.kinds(), w.check().toString());
  }

  @Test
  void aStatusStuckPendingIsCaught() {
    World w = clean();
    w.edit(SRC, vs -> vs.stream().map(v -> v.versionId().equals(vid(1)) ? v.withRead(v.sha256(), "PENDING", null) : v).toList());
    assertEquals(Set.of(Kind.STATUS_PENDING), w.kinds(), w.check().toString());
    assertTrue(!Checker.replicationConverged(PLAN, w.ops, observation(w), EPOCH));
  }

  @Test
  void aFailedStatusAndAMissingReplicaStatusAreCaught() {
    World w = clean();
    w.edit(SRC, vs -> vs.stream().map(v -> v.versionId().equals(vid(1)) ? v.withRead(v.sha256(), "FAILED", null) : v).toList());
    w.edit(CRR, vs -> vs.stream().map(v -> v.versionId().equals(vid(1)) ? v.withRead(v.sha256(), null, null) : v).toList());
    assertEquals(Set.of(Kind.STATUS_FAILED, Kind.STATUS_WRONG), w.kinds(), w.check().toString());
  }

  @Test
  void aDeleteMarkerReplicatedWithoutDeleteMarkerReplicationIsCaught() {
    World w = clean();
    Op marker = w.ops.stream().filter(o -> o.type() == OpType.DELETE && o.bucket().equals(SRC) && o.ok()).findFirst().orElseThrow();
    w.holds(SRR, marker, null);
    assertEquals(Set.of(Kind.UNEXPECTED_REPLICA), w.kinds(), w.check().toString());
  }

  @Test
  void aVersionOutsideTheRulePrefixInTheDestinationIsCaught() {
    World w = clean();
    Op x = w.ops.stream().filter(o -> o.key().equals("x/1") && o.type() == OpType.PUT).findFirst().orElseThrow();
    w.holds(SRR, x, "REPLICA");
    assertEquals(Set.of(Kind.UNEXPECTED_REPLICA), w.kinds(), w.check().toString());
  }

  @Test
  void aVersionBackAfterAnAcknowledgedDeleteOfItIsCaught() {
    World w = clean();
    Op gone = w.ops.stream().filter(o -> o.key().equals("k/3") && o.type() == OpType.PUT).findFirst().orElseThrow();
    w.holds(SRC, gone, "COMPLETED");
    assertEquals(Set.of(Kind.RESURRECTED), w.kinds(), w.check().toString());
  }

  @Test
  void aRefusedWriteThatIsVisibleIsCaught() {
    World w = clean();
    Op refused = w.ops.stream().filter(o -> o.outcome() == Outcome.FAIL).findFirst().orElseThrow();
    w.replicated(refused);
    assertEquals(Set.of(Kind.FAILED_WRITE_VISIBLE), w.kinds(), w.check().toString());
  }

  @Test
  void corruptBytesAtTheSourceAreCaught() {
    World w = clean();
    w.edit(SRC, vs -> vs.stream().map(v -> v.versionId().equals(vid(1)) ? v.withRead("sha-bad", "COMPLETED", null) : v).toList());
    assertEquals(Set.of(Kind.CORRUPT_BYTES), w.kinds(), w.check().toString());
  }

  @Test
  void oneWriteAppearingTwiceIsCaught() {
    World w = clean();
    w.edit(SRC, vs -> {
      List<Version> out = new ArrayList<>(vs);
      Version v = out.get(indexOf(out, vid(1)));
      out.add(indexOf(out, vid(1)) + 1, new Version(v.key(), vid(777), false, false, v.etag(), v.size(), v.lastModified(),
          v.sha256(), "COMPLETED", null));
      return out;
    });
    assertTrue(w.kinds().contains(Kind.DUPLICATE_VERSION), w.check().toString());
  }

  @Test
  void aPhantomReadIsCaught() {
    World w = clean();
    w.get(SRC, "k/1", null, "sha-nobody");
    w.get(SRC, "k/2", null, "sha1"); // the bytes of k/1
    assertEquals(Set.of(Kind.PHANTOM_READ), w.kinds(), w.check().toString());
    assertEquals(2, w.check().size());
  }

  @Test
  void anUnlistableBucketIsReported() {
    World w = clean();
    Map<String, BucketState> states = new LinkedHashMap<>(observation(w).buckets());
    states.put(CRR, new BucketState(CRR, "503 ServiceUnavailable", null));
    List<Violation> v = Checker.check(PLAN, w.ops, new Observation(states, true), EPOCH);
    assertEquals(Set.of(Kind.UNOBSERVABLE), v.stream().map(Violation::kind).collect(Collectors.toSet()), v.toString());
  }

  static Observation observation(World w) {
    Map<String, BucketState> states = new LinkedHashMap<>();
    w.buckets.forEach((b, vs) -> states.put(b, new BucketState(b, null, sortedByKey(vs))));
    return new Observation(states, true);
  }

  static int indexOf(List<Version> vs, String versionId) {
    for (int i = 0; i < vs.size(); i++) if (vs.get(i).versionId().equals(versionId)) return i;
    throw new AssertionError(versionId);
  }
}
