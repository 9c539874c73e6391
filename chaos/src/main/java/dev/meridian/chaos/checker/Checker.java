package dev.meridian.chaos.checker;

import dev.meridian.chaos.checker.Observation.BucketState;
import dev.meridian.chaos.checker.Observation.Version;
import dev.meridian.chaos.checker.Violation.Kind;
import dev.meridian.chaos.history.BucketPlan;
import dev.meridian.chaos.history.Op;
import dev.meridian.chaos.history.Op.OpType;
import dev.meridian.chaos.history.Op.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Judges a history against what the cluster holds after healing: a pure function of the bucket plan, the
 * recorded requests and the observation, so that unit tests can feed it synthetic histories.
 *
 * <p>Every observed version is traced to the request that made it: data versions by their ETag (every
 * body the workload sends is unique, so its MD5 is too), delete markers by the version id the DELETE
 * returned or, for a DELETE whose outcome is unknown, by key and time. A version that no request (OK or
 * UNKNOWN) explains is a phantom; the same version id in another bucket is a replica and must be sent
 * there by a rule. Then, per the S3 replication rules: acknowledged writes must be in their bucket
 * (unless a DeleteObject of that version may have removed them), eligible versions must be in every
 * destination with the same bytes and in the same order, source versions must report COMPLETED and
 * replicas REPLICA. Deletes of a specific version are not replicated, so a replica may outlive its source.
 */
public final class Checker {

  /** Slack when matching a delete marker's LastModified to an unknown DELETE's time window. */
  static final long MARKER_SLACK_MS = 2_000;

  private final BucketPlan plan;
  private final List<Op> ops;
  private final Observation obs;
  private final long epochStartMs;
  private final List<Violation> violations = new ArrayList<>();

  private final Map<String, Op> writeByEtag = new HashMap<>();
  private final Map<String, Op> writeBySha = new HashMap<>();
  private final Map<String, Op> ackedDeleteByVersion = new HashMap<>();
  private final Set<Op> usedUnknownDeletes = new HashSet<>();
  private final Set<String> deletedVersions = new HashSet<>();

  private Checker(BucketPlan plan, List<Op> ops, Observation obs, long epochStartMs) {
    this.plan = plan;
    this.ops = ops;
    this.obs = obs;
    this.epochStartMs = epochStartMs;
    for (Op op : ops) {
      if (op.type() == OpType.PUT || op.type() == OpType.MPU) {
        writeByEtag.put(op.etag(), op);
        writeBySha.put(op.sha256(), op);
      } else if (op.type() == OpType.DELETE && op.ok() && op.versionId() != null) {
        ackedDeleteByVersion.put(op.versionId(), op);
      } else if (op.type() == OpType.DELETE_VERSION && op.mayHaveApplied()) {
        deletedVersions.add(op.bucket() + "|" + op.targetVersionId());
      }
    }
  }

  /** Checks the consistency rules; availability is judged separately ({@link Availability}). */
  public static List<Violation> check(BucketPlan plan, List<Op> ops, Observation obs, long epochStartMs) {
    Checker c = new Checker(plan, ops, obs, epochStartMs);
    c.run();
    return c.violations;
  }

  /** Whether the observation still lacks replicas or shows an order that differs (the drain loop's test). */
  public static boolean replicationConverged(BucketPlan plan, List<Op> ops, Observation obs, long epochStartMs) {
    return check(plan, ops, obs, epochStartMs).stream().noneMatch(v -> v.kind() == Kind.MISSING_REPLICA
        || v.kind() == Kind.WRONG_ORDER || v.kind() == Kind.UNOBSERVABLE || v.kind() == Kind.STATUS_PENDING);
  }

  /** Where one version id was found: bucket and the listed version. */
  private record Holding(String bucket, Version v) {}

  private void run() {
    Map<String, List<Holding>> byId = new LinkedHashMap<>();
    for (BucketPlan.Bucket b : plan.buckets()) {
      BucketState st = obs.buckets().get(b.name());
      if (st == null || st.error() != null) {
        add(Kind.UNOBSERVABLE, b.name(), null, null, st == null ? "not observed" : st.error());
        continue;
      }
      for (Version v : st.versions()) byId.computeIfAbsent(v.versionId(), k -> new ArrayList<>()).add(new Holding(b.name(), v));
    }
    Map<String, Map<Op, String>> seenWrites = new HashMap<>();
    for (var e : byId.entrySet()) checkVersion(e.getKey(), e.getValue(), seenWrites);
    checkAcknowledged(byId);
    checkOrder();
    checkReads();
  }

  /** Traces one version id to its request and checks every bucket that holds it. */
  private void checkVersion(String id, List<Holding> holders, Map<String, Map<Op, String>> seenWrites) {
    Version first = holders.get(0).v();
    Op op = first.deleteMarker() ? markerOrigin(id, holders) : origin(holders);
    if (op == null) {
      for (Holding h : holders) {
        add(Kind.PHANTOM_VERSION, h.bucket(), h.v().key(), id, h.v().deleteMarker()
            ? "delete marker (LastModified " + rel(h.v().lastModified()) + ") matches no DELETE request"
            : "ETag " + h.v().etag() + " matches no write");
      }
      return;
    }
    String origin = op.bucket();
    boolean atOrigin = holders.stream().anyMatch(h -> h.bucket().equals(origin));
    if (!atOrigin && !op.ok() && observed(origin) && !deletedByVersion(origin, id)) {
      add(Kind.LOST_WRITE, origin, op.key(), id, "request #" + op.id() + " (" + op.outcome()
          + ") took effect (replica in " + holders.stream().map(Holding::bucket).toList() + ") but the version is gone from "
          + origin + " without a DeleteObject of it");
    }
    for (Holding h : holders) {
      Version v = h.v();
      if (!v.key().equals(op.key())) {
        add(Kind.PHANTOM_VERSION, h.bucket(), v.key(), id, "holds the write of request #" + op.id() + " to key " + op.key());
        continue;
      }
      if (v.deleteMarker() != (op.type() == OpType.DELETE)) {
        add(Kind.PHANTOM_VERSION, h.bucket(), v.key(), id, "is " + (v.deleteMarker() ? "a delete marker" : "a version")
            + " but request #" + op.id() + " was a " + op.type());
        continue;
      }
      if (!v.deleteMarker()) {
        String before = seenWrites.computeIfAbsent(h.bucket(), k -> new HashMap<>()).putIfAbsent(op, id);
        if (before != null) {
          add(Kind.DUPLICATE_VERSION, h.bucket(), v.key(), id, "request #" + op.id() + " also appears as version " + before);
        }
      }
      if (h.bucket().equals(origin)) checkAtOrigin(op, h);
      else checkReplica(op, origin, h);
    }
    if (atOrigin) checkReplicasPresent(op, origin, holders);
  }

  /** The write that made a data version, by the ETag of any holder (replicas may differ: reported later). */
  private Op origin(List<Holding> holders) {
    for (Holding h : holders) {
      Op op = writeByEtag.get(h.v().etag());
      if (op != null) return op;
    }
    return null;
  }

  /**
   * The DELETE that made a marker: the acknowledged one that returned this version id, else an unknown
   * DELETE of the key, on one of the holding buckets, whose time window contains the marker's time; else
   * one sent before the marker's time. A request of unknown outcome may take effect after its client gave
   * up (a frozen node, thawed, serves the requests it had buffered), so its window has no end; one that
   * contains the marker is preferred.
   */
  private Op markerOrigin(String id, List<Holding> holders) {
    Op acked = ackedDeleteByVersion.get(id);
    if (acked != null) return acked;
    Op within = unknownDelete(holders, true);
    return within != null ? within : unknownDelete(holders, false);
  }

  private Op unknownDelete(List<Holding> holders, boolean withinWindow) {
    Version v = holders.get(0).v();
    long t = v.lastModified() - epochStartMs;
    for (Holding h : holders) {
      for (Op op : ops) {
        if (op.type() == OpType.DELETE && op.outcome() == Outcome.UNKNOWN && op.bucket().equals(h.bucket())
            && op.key().equals(v.key()) && !usedUnknownDeletes.contains(op)
            && t >= op.start() - MARKER_SLACK_MS && (!withinWindow || t <= op.end() + MARKER_SLACK_MS)) {
          usedUnknownDeletes.add(op);
          return op;
        }
      }
    }
    return null;
  }

  private void checkAtOrigin(Op op, Holding h) {
    Version v = h.v();
    if (op.outcome() == Outcome.FAIL) {
      add(Kind.FAILED_WRITE_VISIBLE, h.bucket(), v.key(), v.versionId(), "request #" + op.id() + " failed with "
          + op.status() + " " + op.error() + " yet its " + (v.deleteMarker() ? "delete marker" : "version") + " exists");
    }
    if (op.ok() && !Objects.equals(op.versionId(), v.versionId())) {
      add(Kind.PHANTOM_VERSION, h.bucket(), v.key(), v.versionId(), "request #" + op.id()
          + " was acknowledged as version " + op.versionId());
    }
    if (v.deleteMarker()) return;
    if (v.size() != op.size()) {
      add(Kind.CORRUPT_BYTES, h.bucket(), v.key(), v.versionId(), "listed size " + v.size() + ", written " + op.size());
    }
    if (!obs.bodiesRead()) return;
    if (v.readError() != null) {
      add(Kind.UNREADABLE, h.bucket(), v.key(), v.versionId(), v.readError());
    } else if (!op.sha256().equals(v.sha256())) {
      add(Kind.CORRUPT_BYTES, h.bucket(), v.key(), v.versionId(), "sha256 " + v.sha256() + ", written " + op.sha256());
    }
    boolean owes = plan.rulesFrom(h.bucket()).stream().anyMatch(r -> r.covers(v.key(), false));
    String st = v.replicationStatus();
    if (owes && "PENDING".equals(st)) {
      add(Kind.STATUS_PENDING, h.bucket(), v.key(), v.versionId(), "still PENDING after the drain");
    } else if (owes && "FAILED".equals(st)) {
      add(Kind.STATUS_FAILED, h.bucket(), v.key(), v.versionId(), "FAILED although every destination exists and is versioned");
    } else if (owes ? !"COMPLETED".equals(st) : st != null) {
      add(Kind.STATUS_WRONG, h.bucket(), v.key(), v.versionId(), "status " + st + ", expected "
          + (owes ? "COMPLETED" : "none (no rule covers the key)"));
    }
  }

  private void checkReplica(Op op, String origin, Holding h) {
    Version v = h.v();
    Optional<BucketPlan.Rule> rule = plan.rule(origin, h.bucket());
    if (rule.isEmpty() || !rule.get().covers(v.key(), v.deleteMarker())) {
      add(Kind.UNEXPECTED_REPLICA, h.bucket(), v.key(), v.versionId(), (v.deleteMarker() ? "delete marker" : "version")
          + " of " + origin + " (request #" + op.id() + ") but " + (rule.isEmpty() ? "no rule replicates " + origin + " here"
          : "rule " + rule.get().id() + " does not cover it"));
    }
    if (v.deleteMarker()) return;
    if (!Objects.equals(v.etag(), op.etag()) || v.size() != op.size()) {
      add(Kind.DIVERGENT_REPLICA, h.bucket(), v.key(), v.versionId(), "ETag/size " + v.etag() + "/" + v.size()
          + ", source wrote " + op.etag() + "/" + op.size());
    }
    if (!obs.bodiesRead()) return;
    if (v.readError() != null) {
      add(Kind.UNREADABLE, h.bucket(), v.key(), v.versionId(), v.readError());
    } else if (!op.sha256().equals(v.sha256())) {
      add(Kind.DIVERGENT_REPLICA, h.bucket(), v.key(), v.versionId(), "sha256 " + v.sha256() + ", source wrote " + op.sha256());
    }
    if (!"REPLICA".equals(v.replicationStatus())) {
      add(Kind.STATUS_WRONG, h.bucket(), v.key(), v.versionId(), "replica reports status " + v.replicationStatus());
    }
  }

  /** Every destination whose rule covers a version present at its origin must hold it. */
  private void checkReplicasPresent(Op op, String origin, List<Holding> holders) {
    Version v = holders.stream().filter(h -> h.bucket().equals(origin)).findFirst().orElseThrow().v();
    for (BucketPlan.Rule r : plan.rulesFrom(origin)) {
      if (!r.covers(v.key(), v.deleteMarker())) continue;
      if (holders.stream().noneMatch(h -> h.bucket().equals(r.destination())) && !deletedByVersion(r.destination(), v.versionId())
          && observed(r.destination())) {
        add(Kind.MISSING_REPLICA, r.destination(), v.key(), v.versionId(), (v.deleteMarker() ? "delete marker" : "version")
            + " of " + origin + " (request #" + op.id() + ", rule " + r.id() + ") is not in " + r.destination());
      }
    }
  }

  /** Acknowledged writes must be present; acknowledged deletes of a version must have removed it. */
  private void checkAcknowledged(Map<String, List<Holding>> byId) {
    for (Op op : ops) {
      if (!observed(op.bucket())) continue;
      List<Holding> holders = op.versionId() == null ? List.of() : byId.getOrDefault(op.versionId(), List.of());
      boolean present = holders.stream().anyMatch(h -> h.bucket().equals(op.bucket()));
      if (op.type().creates() && op.ok() && !present && !deletedByVersion(op.bucket(), op.versionId())) {
        add(Kind.LOST_WRITE, op.bucket(), op.key(), op.versionId(), op.type() + " request #" + op.id() + " via "
            + op.via() + " acknowledged at " + op.end() + " ms is not in the bucket");
      }
      if (op.type() == OpType.DELETE_VERSION && op.ok()) {
        boolean still = byId.getOrDefault(op.targetVersionId(), List.of()).stream().anyMatch(h -> h.bucket().equals(op.bucket()));
        if (still) {
          add(Kind.RESURRECTED, op.bucket(), op.key(), op.targetVersionId(), "DeleteObject request #" + op.id()
              + " was acknowledged at " + op.end() + " ms");
        }
      }
    }
  }

  /** For every rule and key: the versions both buckets hold appear in the same order in both. */
  private void checkOrder() {
    for (BucketPlan.Bucket b : plan.buckets()) {
      if (!observed(b.name())) continue;
      Map<String, List<Version>> keys = byKey(b.name());
      for (var e : keys.entrySet()) {
        long latest = e.getValue().stream().filter(Version::latest).count();
        if (!e.getValue().isEmpty() && (latest != 1 || !e.getValue().get(0).latest())) {
          add(Kind.LISTING_ORDER, b.name(), e.getKey(), null, "IsLatest is set on " + latest
              + " entries and " + (e.getValue().get(0).latest() ? "" : "not ") + "on the first listed: "
              + e.getValue().stream().map(v -> (v.deleteMarker() ? "marker " : "") + v.versionId() + (v.latest() ? "*" : ""))
                  .toList());
        }
      }
    }
    for (BucketPlan.Rule r : plan.rules()) {
      if (!observed(r.source()) || !observed(r.destination())) continue;
      Map<String, List<Version>> src = byKey(r.source());
      Map<String, List<Version>> dst = byKey(r.destination());
      for (var e : src.entrySet()) {
        List<Version> there = dst.getOrDefault(e.getKey(), List.of());
        Set<String> inDst = new HashSet<>(there.stream().map(Version::versionId).toList());
        Set<String> inSrc = new HashSet<>(e.getValue().stream().map(Version::versionId).toList());
        List<String> a = e.getValue().stream().map(Version::versionId).filter(inDst::contains).toList();
        List<String> b = there.stream().map(Version::versionId).filter(inSrc::contains).toList();
        if (!a.equals(b)) {
          add(Kind.WRONG_ORDER, r.destination(), e.getKey(), null, "order in " + r.source() + ": " + a + "; in "
              + r.destination() + ": " + b);
        }
      }
    }
  }

  /** Every GET that returned bytes returned bytes some write put under that key (here or in a source). */
  private void checkReads() {
    for (Op get : ops) {
      if (get.type() != OpType.GET || !get.ok() || get.sha256() == null) continue;
      Op w = writeBySha.get(get.sha256());
      String why = null;
      if (w == null) why = "bytes (sha256 " + get.sha256() + ") that no request wrote";
      else if (!w.key().equals(get.key())) why = "the bytes of request #" + w.id() + " to key " + w.key();
      else if (!w.bucket().equals(get.bucket()) && plan.rule(w.bucket(), get.bucket()).isEmpty()) {
        why = "the bytes of request #" + w.id() + " to bucket " + w.bucket() + ", which does not replicate here";
      } else if (w.ok() && get.versionId() != null && !get.versionId().equals(w.versionId())) {
        why = "the bytes of request #" + w.id() + " (version " + w.versionId() + ") as version " + get.versionId();
      } else if (w.outcome() == Outcome.FAIL) {
        add(Kind.FAILED_WRITE_VISIBLE, get.bucket(), get.key(), get.versionId(), "GET #" + get.id()
            + " returned the bytes of refused request #" + w.id());
      }
      if (why != null) add(Kind.PHANTOM_READ, get.bucket(), get.key(), get.versionId(), "GET #" + get.id() + " returned " + why);
    }
  }

  private boolean deletedByVersion(String bucket, String versionId) {
    return deletedVersions.contains(bucket + "|" + versionId);
  }

  private boolean observed(String bucket) {
    BucketState st = obs.buckets().get(bucket);
    return st != null && st.error() == null;
  }

  private Map<String, List<Version>> byKey(String bucket) {
    Map<String, List<Version>> m = new LinkedHashMap<>();
    for (Version v : obs.buckets().get(bucket).versions()) m.computeIfAbsent(v.key(), k -> new ArrayList<>()).add(v);
    return m;
  }

  private String rel(long epochMs) {
    return (epochMs - epochStartMs) + " ms";
  }

  private void add(Kind kind, String bucket, String key, String versionId, String detail) {
    violations.add(new Violation(kind, bucket, key, versionId, detail));
  }
}
