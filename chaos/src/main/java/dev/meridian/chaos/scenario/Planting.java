package dev.meridian.chaos.scenario;

import dev.meridian.chaos.checker.Observation;
import dev.meridian.chaos.history.BucketPlan;
import dev.meridian.chaos.history.Op;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The test-only switch that proves the checker can fail: after the verdict, it damages the healed cluster
 * through the S3 API behind the history's back, and the run checks again. {@code drop-replica}
 * permanently deletes one replica version from a destination bucket (the checker must report
 * MISSING_REPLICA); {@code drop-ack} permanently deletes one acknowledged version from its source bucket,
 * as a server losing an acknowledged write would (LOST_WRITE).
 */
final class Planting {

  static final List<String> KINDS = List.of("drop-replica", "drop-ack");

  private Planting() {}

  /**
   * Whether the checker caught every planted kind: the kind each plant must produce is reported more often
   * after planting than before.
   */
  static boolean caught(String kinds, dev.meridian.chaos.checker.Verdict before, dev.meridian.chaos.checker.Verdict after) {
    for (String k : kinds.split(",")) {
      var kind = k.trim().equals("drop-replica") ? dev.meridian.chaos.checker.Violation.Kind.MISSING_REPLICA
          : dev.meridian.chaos.checker.Violation.Kind.LOST_WRITE;
      if (after.counts().getOrDefault(kind, 0) <= before.counts().getOrDefault(kind, 0)) return false;
    }
    return true;
  }

  /** Plants each of the comma-separated kinds; returns what was done. */
  static String plantAll(String kinds, BucketPlan plan, List<Op> ops, Observation obs,
      Function<String, S3Client> clientOfRegion) {
    List<String> done = new java.util.ArrayList<>();
    for (String k : kinds.split(",")) done.add(plant(k.trim(), plan, ops, obs, clientOfRegion));
    return String.join("; ", done);
  }

  static String plant(String kind, BucketPlan plan, List<Op> ops, Observation obs, Function<String, S3Client> clientOfRegion) {
    String src = plan.buckets().get(0).name();
    String crr = plan.rulesFrom(src).get(0).destination();
    return switch (kind) {
      case "drop-replica" -> {
        Observation.Version v = obs.buckets().get(crr).versions().stream().filter(x -> !x.deleteMarker()).findFirst()
            .orElseThrow(() -> new IllegalStateException("no replica in " + crr + " to drop"));
        clientOfRegion.apply(plan.home(crr)).deleteObject(b -> b.bucket(crr).key(v.key()).versionId(v.versionId()));
        yield "deleted replica " + crr + "/" + v.key() + "@" + v.versionId() + " (DeleteObject?versionId, not in the history)";
      }
      case "drop-ack" -> {
        var present = obs.buckets().get(src).versions().stream().map(Observation.Version::versionId).toList();
        Op op = ops.stream().filter(o -> o.ok() && o.bucket().equals(src) && o.type() == Op.OpType.PUT
            && present.contains(o.versionId())).findFirst()
            .orElseThrow(() -> new IllegalStateException("no acknowledged version in " + src + " to drop"));
        clientOfRegion.apply(plan.home(src)).deleteObject(b -> b.bucket(src).key(op.key()).versionId(op.versionId()));
        yield "deleted acknowledged version " + src + "/" + op.key() + "@" + op.versionId() + " of request #" + op.id()
            + " (DeleteObject?versionId, not in the history)";
      }
      default -> throw new IllegalArgumentException("unknown planted fault " + kind + "; one of " + KINDS);
    };
  }
}
