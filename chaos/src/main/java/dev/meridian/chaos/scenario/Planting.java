package dev.meridian.chaos.scenario;

import dev.meridian.chaos.checker.Observation;
import dev.meridian.chaos.checker.Verdict;
import dev.meridian.chaos.checker.Violation;
import dev.meridian.chaos.history.BucketPlan;
import dev.meridian.chaos.history.Op;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
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

  /** A planted fault: what was done, and the violation the checker must now report. */
  record Planted(String what, Violation.Kind expected, String bucket, String versionId) {}

  /** Plants each of the comma-separated kinds. */
  static List<Planted> plantAll(String kinds, BucketPlan plan, List<Op> ops, Observation obs,
      Function<String, S3Client> clientOfRegion) {
    List<Planted> done = new java.util.ArrayList<>();
    for (String k : kinds.split(",")) done.add(plant(k.trim(), plan, ops, obs, clientOfRegion));
    return done;
  }

  /** Whether the verdict after planting reports each planted fault, by kind, bucket and version id. */
  static boolean caught(List<Planted> planted, Verdict after) {
    return planted.stream().allMatch(p -> after.violations().stream().anyMatch(v -> v.kind() == p.expected()
        && p.bucket().equals(v.bucket()) && p.versionId().equals(v.versionId())));
  }

  static Planted plant(String kind, BucketPlan plan, List<Op> ops, Observation obs, Function<String, S3Client> clientOfRegion) {
    String src = plan.buckets().get(0).name();
    String crr = plan.rulesFrom(src).get(0).destination();
    Set<String> inSource = obs.buckets().get(src).versions().stream().map(Observation.Version::versionId)
        .collect(Collectors.toSet());
    return switch (kind) {
      case "drop-replica" -> {
        // A replica whose source version is still there: the rule says it must exist (a replica of a version
        // deleted at the source may legitimately go).
        Observation.Version v = obs.buckets().get(crr).versions().stream()
            .filter(x -> !x.deleteMarker() && inSource.contains(x.versionId())).findFirst()
            .orElseThrow(() -> new IllegalStateException("no replica in " + crr + " to drop"));
        clientOfRegion.apply(plan.home(crr)).deleteObject(b -> b.bucket(crr).key(v.key()).versionId(v.versionId()));
        yield new Planted("deleted replica " + crr + "/" + v.key() + "@" + v.versionId()
            + " (DeleteObject?versionId, not in the history)", Violation.Kind.MISSING_REPLICA, crr, v.versionId());
      }
      case "drop-ack" -> {
        Op op = ops.stream().filter(o -> o.ok() && o.bucket().equals(src) && o.type() == Op.OpType.PUT
            && inSource.contains(o.versionId())).findFirst()
            .orElseThrow(() -> new IllegalStateException("no acknowledged version in " + src + " to drop"));
        clientOfRegion.apply(plan.home(src)).deleteObject(b -> b.bucket(src).key(op.key()).versionId(op.versionId()));
        yield new Planted("deleted acknowledged version " + src + "/" + op.key() + "@" + op.versionId() + " of request #"
            + op.id() + " (DeleteObject?versionId, not in the history)", Violation.Kind.LOST_WRITE, src, op.versionId());
      }
      default -> throw new IllegalArgumentException("unknown planted fault " + kind + "; one of " + KINDS);
    };
  }
}
