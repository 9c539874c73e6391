package dev.meridian.chaos.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fault schedule depends only on scenario, seed and duration, and every fault heals inside the run. */
class ScheduleTest {

  static final List<String> REGIONS = List.of("us-east-1", "us-west-2");

  @Test
  void aSeedReproducesTheSchedule() {
    assertEquals(Schedule.plan("region-outage", 42, 300_000, REGIONS, 2), Schedule.plan("region-outage", 42, 300_000, REGIONS, 2));
    assertNotEquals(Schedule.plan("region-outage", 42, 300_000, REGIONS, 2), Schedule.plan("region-outage", 43, 300_000, REGIONS, 2));
  }

  @Test
  void faultsHealBeforeTheWorkloadEndsAndSeedsReachEveryTarget() {
    Set<String> targets = new HashSet<>();
    for (long seed = 1; seed <= 40; seed++) {
      for (long duration : List.of(60_000L, 120_000L, 600_000L)) {
        List<FaultPlan> plan = Schedule.plan("node-crash", seed, duration, REGIONS, 2);
        assertEquals(Math.max(1, duration / 120_000), plan.size());
        long previousEnd = 0;
        for (FaultPlan f : plan) {
          assertTrue(f.start() >= previousEnd && f.end() > f.start() && f.end() <= 0.75 * duration, f + " in " + duration);
          previousEnd = f.end();
          targets.add(f.target());
        }
      }
    }
    assertEquals(Set.of("us-east-1-1", "us-east-1-2", "us-west-2-1", "us-west-2-2"), targets);
    assertEquals("us-east-1|us-west-2", Schedule.plan("partition", 7, 60_000, REGIONS, 2).get(0).target());
  }
}
