package dev.meridian.chaos.report;

import dev.meridian.chaos.history.LagSample;
import dev.meridian.chaos.history.Op;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-second series of a run for the report's chart: acknowledged requests, failed or unknown requests
 * (by the second they started), and per destination the replication lag (the oldest owed probe's age, s).
 */
public record Timeline(int seconds, int[] ok, int[] errors, Map<String, double[]> lagSeconds) {

  public static Timeline of(List<Op> ops, List<LagSample> lag) {
    long end = Math.max(ops.stream().mapToLong(Op::end).max().orElse(0), lag.stream().mapToLong(LagSample::t).max().orElse(0));
    int n = (int) (end / 1000) + 1;
    int[] ok = new int[n];
    int[] errors = new int[n];
    Map<String, double[]> lagS = new LinkedHashMap<>();
    for (Op o : ops) {
      int s = (int) (o.start() / 1000);
      if (s < 0 || s >= n) continue;
      if (o.ok()) ok[s]++;
      else errors[s]++;
    }
    for (LagSample l : lag) {
      int s = (int) (l.t() / 1000);
      double[] series = lagS.computeIfAbsent(l.destination(), k -> new double[n]);
      if (s >= 0 && s < n) series[s] = Math.max(series[s], l.oldestOwedMs() / 1000.0);
    }
    return new Timeline(n, ok, errors, lagS);
  }
}
