package dev.meridian.chaos.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.chaos.checker.Availability.PhaseStats;
import dev.meridian.chaos.history.BucketPlan;
import dev.meridian.chaos.history.FaultRecord;
import dev.meridian.chaos.history.Op;
import dev.meridian.chaos.history.Op.OpType;
import dev.meridian.chaos.history.Op.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The availability rule: during a fault that hits one region (until that region serves again), the other
 * region's local requests must keep succeeding; the hit region's and cross-region requests are only reported.
 */
class AvailabilityTest {

  static final BucketPlan PLAN = BucketPlan.standard("r1", "r2", "t");
  static final FaultRecord OUTAGE = new FaultRecord("region-outage", "r1", "r1", 10_000, 20_000, 30_000, "");

  static Op op(long id, String via, String bucket, long start, Outcome outcome) {
    return new Op(id, 0, OpType.PUT, bucket, "k/1", null, via + "-1", via, start, start + 50, outcome, 0, null, null,
        "e" + id, "s" + id, 1, false);
  }

  static List<Op> traffic(Outcome r2DuringFault) {
    List<Op> ops = new ArrayList<>();
    long id = 0;
    for (long t = 0; t < 40_000; t += 500) {
      boolean inFault = t >= 10_000 && t < 30_000;
      ops.add(op(++id, "r1", "src-t", t, inFault ? Outcome.FAIL : Outcome.OK)); // the hit region: may fail
      ops.add(op(++id, "r2", "src-t", t, inFault ? Outcome.UNKNOWN : Outcome.OK)); // cross-region: may fail
      ops.add(op(++id, "r2", "pair-b-t", t, inFault ? r2DuringFault : Outcome.OK)); // healthy region, local
    }
    return ops;
  }

  @Test
  void failuresOfTheHitRegionAndAcrossRegionsAreReportedNotJudged() {
    List<PhaseStats> stats = Availability.stats(PLAN, traffic(Outcome.OK), List.of(OUTAGE));
    assertEquals(List.of(), Availability.check(stats, 0.01));
    assertEquals(List.of("steady", "region-outage r1", "healing region-outage r1", "healed"),
        stats.stream().map(PhaseStats::phase).distinct().toList());
    PhaseStats hit = stats.stream().filter(s -> s.phase().equals("region-outage r1") && s.scope().equals("local r1"))
        .findFirst().orElseThrow();
    assertEquals(1.0, hit.errorRate());
    assertTrue(!hit.judged());
  }

  @Test
  void failuresOfTheHealthyRegionDuringTheFaultAreCaught() {
    List<PhaseStats> stats = Availability.stats(PLAN, traffic(Outcome.UNKNOWN), List.of(OUTAGE));
    List<Violation> v = Availability.check(stats, 0.01);
    assertEquals(2, v.size(), v.toString()); // the outage and the healing phase
    assertTrue(v.stream().allMatch(x -> x.kind() == Violation.Kind.UNAVAILABLE && x.bucket().equals("local r2")), v.toString());
  }
}
