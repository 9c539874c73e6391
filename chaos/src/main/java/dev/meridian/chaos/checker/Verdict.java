package dev.meridian.chaos.checker;

import dev.meridian.chaos.checker.Availability.PhaseStats;
import dev.meridian.chaos.checker.Violation.Kind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The judgement of one run: PASS when the checker found no violation, with the violations counted by
 * kind (all of them listed), the per-phase availability statistics, how the replication backlog drained,
 * and what the run did in numbers.
 *
 * @param drain   how long replication took to converge after the last fault healed
 * @param summary request counts by operation and outcome, versions observed per bucket
 */
public record Verdict(String scenario, long seed, boolean pass, Map<Kind, Integer> counts, List<Violation> violations,
    List<PhaseStats> phases, Drain drain, Map<String, Object> summary) {

  /**
   * @param startedAt      when the drain began (ms since the run started): after the workload and every fault
   * @param convergedAfter ms until every eligible version was in every destination with status COMPLETED;
   *                       -1 if that did not happen within {@code bound}
   * @param bound          the drain time allowed
   * @param owedAtStart    probe versions not yet replicated when the drain began
   */
  public record Drain(long startedAt, long convergedAfter, long bound, int owedAtStart) {}

  public static Verdict of(String scenario, long seed, List<Violation> violations, List<PhaseStats> phases, Drain drain,
      Map<String, Object> summary) {
    Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
    for (Violation v : violations) counts.merge(v.kind(), 1, Integer::sum);
    return new Verdict(scenario, seed, violations.isEmpty(), counts, List.copyOf(violations), phases, drain, summary);
  }

  public String headline() {
    return (pass ? "PASS" : "FAIL") + " " + scenario + " seed=" + seed
        + (pass ? "" : " " + counts);
  }
}
