package dev.meridian.chaos.nemesis;

/**
 * One planned fault: which nemesis, what it hits, and when it is injected and healed (ms after the
 * workload starts). Plans come from {@link Schedule} and depend only on the scenario, seed and duration.
 *
 * @param target a region name, a node name ({@code us-east-1-2}) or a link ({@code us-east-1|us-west-2})
 */
public record FaultPlan(String kind, String target, long start, long end) {

  @Override
  public String toString() {
    return String.format("%s %s from %.1f s to %.1f s", kind, target, start / 1000.0, end / 1000.0);
  }
}
