package dev.meridian.chaos.nemesis;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fault schedule of a scenario, derived only from the scenario name, the seed, the duration and the
 * cluster's shape, so that a seed reproduces it. The run is cut into slots of about two minutes (at least
 * one) over the first three quarters of the run; in each slot one fault starts after 15-30% of the slot and
 * lasts 30-45% of it. Every fault is healed before the last quarter of the run, which is traffic on the healed
 * cluster (nodes that were killed take a while to serve again), before the drain.
 */
public final class Schedule {

  static final long SLOT_MS = 120_000;

  private Schedule() {}

  public static List<FaultPlan> plan(String kind, long seed, long durationMs, List<String> regions, int nodesPerRegion) {
    SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + kind.hashCode());
    int slots = (int) Math.max(1, durationMs / SLOT_MS);
    long slot = durationMs * 3 / 4 / slots; // the last quarter of the run is traffic on the healed cluster
    List<FaultPlan> out = new ArrayList<>();
    for (int i = 0; i < slots; i++) {
      long start = i * slot + (long) (slot * (0.15 + 0.15 * rnd.nextDouble()));
      long end = start + (long) (slot * (0.30 + 0.15 * rnd.nextDouble()));
      String region = regions.get(rnd.nextInt(regions.size()));
      String target = switch (kind) {
        case "node-crash" -> region + "-" + (1 + rnd.nextInt(nodesPerRegion));
        case "partition", "slow-link" -> String.join("|", regions);
        default -> region;
      };
      out.add(new FaultPlan(kind, target, start, end));
    }
    return out;
  }
}
