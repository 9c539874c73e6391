package dev.meridian.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The harness' arithmetic: a cell's summary (throughput and latency percentiles from an HdrHistogram of
 * microseconds), medians over rounds, and Meridian/reference ratios. Rounds of the two targets run
 * alternately, so a ratio is taken per round (both sides saw about the same machine load) and the median
 * of those paired ratios is reported.
 */
public final class Stats {

  private Stats() {}

  /** One measured cell: operations, errors, bytes and the latency distribution in milliseconds. */
  public record Summary(long ops, long errors, long bytes, double seconds, double opsPerSec, double mibPerSec,
      double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs) {

    public static Summary of(Histogram micros, long errors, long bytes, double seconds) {
      long ops = micros.getTotalCount();
      double s = seconds <= 0 ? Double.NaN : seconds;
      return new Summary(ops, errors, bytes, seconds, ops / s, bytes / (1024.0 * 1024.0) / s,
          ms(micros, 50), ms(micros, 90), ms(micros, 99), ms(micros, 99.9),
          ops == 0 ? Double.NaN : micros.getMaxValue() / 1000.0);
    }
  }

  /** The latency at a percentile, in milliseconds (NaN when nothing was recorded). */
  public static double ms(Histogram micros, double percentile) {
    if (micros.getTotalCount() == 0) return Double.NaN;
    return micros.getValueAtPercentile(percentile) / 1000.0;
  }

  /** The median of the finite values (NaN when there are none); the mean of the middle two for an even count. */
  public static double median(List<Double> values) {
    List<Double> v = new ArrayList<>();
    for (Double d : values) if (d != null && Double.isFinite(d)) v.add(d);
    if (v.isEmpty()) return Double.NaN;
    Collections.sort(v);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2.0;
  }

  /** a / b, NaN when either is not a finite number or b is zero. */
  public static double ratio(double a, double b) {
    if (!Double.isFinite(a) || !Double.isFinite(b) || b == 0) return Double.NaN;
    return a / b;
  }

  /** The median of the per-round ratios a[i] / b[i] over the rounds both sides have. */
  public static double pairedRatio(List<Double> a, List<Double> b) {
    List<Double> r = new ArrayList<>();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) r.add(ratio(a.get(i), b.get(i)));
    return median(r);
  }

  /** Nearest-rank percentile of a list of values (for small samples such as replication lags in ms). */
  public static double percentile(List<Double> values, double q) {
    List<Double> v = new ArrayList<>(values);
    if (v.isEmpty()) return Double.NaN;
    Collections.sort(v);
    int rank = (int) Math.ceil(q / 100.0 * v.size() - 1e-9); // 99.9 / 100 * 1000 is 999.0000000000001
    return v.get(Math.max(0, Math.min(v.size() - 1, rank - 1)));
  }

  /** A fresh histogram of microseconds from 1 us to 1 hour with 3 significant digits. */
  public static Histogram micros() {
    return new Histogram(1, 3_600_000_000L, 3);
  }
}
