package dev.meridian.chaos.checker;

import dev.meridian.chaos.checker.Violation.Kind;
import dev.meridian.chaos.history.BucketPlan;
import dev.meridian.chaos.history.FaultRecord;
import dev.meridian.chaos.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Error rates and latencies per phase of a run (before each fault, during it, while it heals until the hit
 * nodes serve again, and after), split into each
 * region's local requests (through a node of the bucket's home region) and cross-region requests, and
 * the availability rule: during a fault, the local requests of every region the fault does not hit must
 * keep succeeding (error rate at most {@code maxErrorRate}). Requests that go to the hit region, or come
 * through it, may fail; they are reported, not judged.
 */
public final class Availability {

  /**
   * Statistics of one group of requests in one phase.
   *
   * @param scope     {@code local us-east-1} or {@code cross-region}
   * @param judged    whether the availability rule applies to this group in this phase
   */
  public record PhaseStats(String phase, long from, long to, String scope, boolean judged, int requests, int ok,
      int failed, int unknown, double errorRate, long p50, long p95, long p99, double okPerSecond) {}

  private Availability() {}

  /** The phases: boundaries at every fault's start and end, up to the last request. */
  public static List<long[]> phases(List<FaultRecord> faults, long end) {
    TreeSet<Long> cuts = new TreeSet<>(List.of(0L, end));
    for (FaultRecord f : faults) {
      if (f.start() < end) cuts.add(f.start());
      if (f.end() > 0 && f.end() < end) cuts.add(f.end());
      if (f.recovered() > 0 && f.recovered() < end) cuts.add(f.recovered());
    }
    List<long[]> out = new ArrayList<>();
    Long prev = null;
    for (Long c : cuts) {
      if (prev != null && c > prev) out.add(new long[] {prev, c});
      prev = c;
    }
    return out;
  }

  public static List<PhaseStats> stats(BucketPlan plan, List<Op> ops, List<FaultRecord> faults) {
    long end = ops.stream().mapToLong(Op::end).max().orElse(0);
    List<PhaseStats> out = new ArrayList<>();
    for (long[] p : phases(faults, end)) {
      List<FaultRecord> active = faults.stream().filter(f -> f.covers(p[0])).toList();
      String name = active.isEmpty() ? (p[0] == 0 ? "steady" : "healed")
          : String.join(" + ", active.stream().map(f -> (f.healing(p[0]) ? "healing " : "") + f.kind() + " " + f.target())
              .toList());
      for (String region : plan.regions()) {
        boolean hit = active.stream().anyMatch(f -> region.equals(f.affectedRegion()));
        out.add(group(name, p, "local " + region, !active.isEmpty() && !hit, ops,
            o -> o.viaRegion().equals(region) && plan.home(o.bucket()).equals(region)));
      }
      out.add(group(name, p, "cross-region", false, ops, o -> !o.viaRegion().equals(plan.home(o.bucket()))));
    }
    return out;
  }

  /** The availability rule over {@link #stats}: one violation per judged group above the error rate. */
  public static List<Violation> check(List<PhaseStats> stats, double maxErrorRate) {
    List<Violation> out = new ArrayList<>();
    for (PhaseStats s : stats) {
      if (s.judged() && s.requests() > 0 && s.errorRate() > maxErrorRate) {
        out.add(new Violation(Kind.UNAVAILABLE, s.scope(), null, null, String.format(
            "%s (%d-%d ms): %d of %d requests failed or timed out (%.1f%% > %.1f%%)", s.phase(), s.from(), s.to(),
            s.failed() + s.unknown(), s.requests(), 100 * s.errorRate(), 100 * maxErrorRate)));
      }
    }
    return out;
  }

  private static PhaseStats group(String phase, long[] p, String scope, boolean judged, List<Op> ops, Predicate<Op> in) {
    List<Op> g = ops.stream().filter(o -> o.start() >= p[0] && o.start() < p[1] && in.test(o)).toList();
    int ok = (int) g.stream().filter(Op::ok).count();
    int failed = (int) g.stream().filter(o -> o.outcome() == Op.Outcome.FAIL).count();
    int unknown = g.size() - ok - failed;
    long[] lat = g.stream().filter(Op::ok).mapToLong(Op::latency).sorted().toArray();
    double seconds = Math.max(1, p[1] - p[0]) / 1000.0;
    return new PhaseStats(phase, p[0], p[1], scope, judged, g.size(), ok, failed, unknown,
        g.isEmpty() ? 0 : (double) (failed + unknown) / g.size(), pct(lat, 50), pct(lat, 95), pct(lat, 99), ok / seconds);
  }

  private static long pct(long[] sorted, int p) {
    if (sorted.length == 0) return 0;
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
