package dev.meridian.bench;

import java.util.ArrayList;
import java.util.List;

/** The targets, checked against the measured numbers and reported as met or not met. */
final class Targets {

  private Targets() {}

  /** One target: what it asks, what was measured, whether it holds (null: not measured). */
  record Check(String target, String measured, Boolean met) {
    @Override
    public String toString() {
      return (met == null ? "NOT MEASURED " : met ? "MET          " : "NOT MET      ") + target + ": " + measured;
    }
  }

  static List<Check> s3(List<Report.Row> rows) {
    List<Check> out = new ArrayList<>();
    ratio(out, rows, "PUT", "4KiB", 1.0);
    ratio(out, rows, "GET", "4KiB", 1.0);
    ratio(out, rows, "GET", "1MiB", 1.0);
    ratio(out, rows, "PUT", "1MiB", 0.8);
    heap(out, rows);
    return out;
  }

  private static void ratio(List<Check> out, List<Report.Row> rows, String op, String size, double min) {
    String target = String.format("Meridian >= %.1fx reference for %s %s throughput", min, size, op);
    List<Report.Row> matching = rows.stream().filter(r -> r.workload().equals(op) && r.size().equals(size)).toList();
    if (matching.isEmpty() || matching.stream().allMatch(r -> Double.isNaN(r.throughputRatio()))) {
      out.add(new Check(target, "not run", null));
      return;
    }
    StringBuilder m = new StringBuilder();
    boolean all = true;
    for (Report.Row r : matching) {
      m.append(String.format("c=%d %.2fx  ", r.concurrency(), r.throughputRatio()));
      all &= r.throughputRatio() >= min;
    }
    out.add(new Check(target, m.toString().trim(), all));
  }

  /**
   * Node heap while objects stream: the live heap (right after a full GC taken halfway through a cell's
   * warm-up, under the same load) in the 64 MiB cells against the 4 KiB ones, within 64 MiB. The peak heap
   * in use is reported too but not judged: it counts garbage that G1 has not collected yet, and G1 lets
   * that grow towards the heap it is given.
   */
  private static void heap(List<Check> out, List<Report.Row> rows) {
    String target = "Meridian node heap flat while objects stream (live heap under load, 64MiB vs 4KiB cells)";
    Double big = max(rows, "64MiB", Report.PerTarget::serverLiveHeapMiB);
    Double small = max(rows, "4KiB", Report.PerTarget::serverLiveHeapMiB);
    if (big == null || small == null) {
      out.add(new Check(target, "needs the 4KiB and 64MiB sizes, a warm-up and a harness-started Meridian", null));
      return;
    }
    out.add(new Check(target, String.format("live %.0f MiB with 64 MiB objects, %.0f MiB with 4 KiB objects "
        + "(peak in use, garbage included: %.0f and %.0f MiB)", big, small,
        max(rows, "64MiB", Report.PerTarget::serverHeapMaxMiB), max(rows, "4KiB", Report.PerTarget::serverHeapMaxMiB)),
        big <= small + 64));
  }

  private static Double max(List<Report.Row> rows, String size, java.util.function.Function<Report.PerTarget, Double> f) {
    return rows.stream().filter(r -> r.size().equals(size)).map(r -> r.targets().get("meridian"))
        .filter(t -> t != null && f.apply(t) != null).map(f).max(Double::compare).orElse(null);
  }

  static List<Check> replication(ReplicationBench.Result r) {
    List<Check> out = new ArrayList<>();
    for (ReplicationBench.Steady s : r.steady()) {
      for (ReplicationBench.Lag l : s.lags()) {
        out.add(new Check("replication lag p99 < 1 s at " + s.rate() + ", " + l.destination(),
            String.format("p99 %.0f ms (achieved %.0f PUT/s)", l.p99Ms(), s.achievedPerSec()), l.p99Ms() < 1000));
        out.add(new Check("replication lag p99.9 < 2 s at " + s.rate() + ", " + l.destination(),
            String.format("p99.9 %.0f ms", l.p999Ms()), l.p999Ms() < 2000));
      }
    }
    if (r.outage() != null) {
      out.add(new Check("backlog drains >= 5x faster than it built",
          String.format("%.1fx (%,d objects built in %.0f s, drained in %.1f s%s)", r.outage().drainToBuildRatio(),
              r.outage().backlogAtResume(), r.outage().outageSeconds(), r.outage().drainSeconds(),
              r.outage().drained() ? "" : ", not fully drained"),
          r.outage().drained() && r.outage().drainToBuildRatio() >= 5));
    }
    return out;
  }
}
