package dev.meridian.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Collects one cell's results from many completing requests: the latency of every successful operation
 * (microseconds, HdrHistogram), bytes moved, and errors counted by kind (HTTP status or exception class).
 * Failed operations are counted, not timed.
 */
public final class OpRecorder {

  private final ConcurrentHistogram latency = new ConcurrentHistogram(1, 3_600_000_000L, 3);
  private final LongAdder bytes = new LongAdder();
  private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();

  public void ok(long startNanos, long endNanos, long byteCount) {
    latency.recordValue(Math.max(1, (endNanos - startNanos) / 1000));
    bytes.add(byteCount);
  }

  public void error(String kind) {
    errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
  }

  public Histogram histogram() {
    return latency.copy();
  }

  public long bytes() {
    return bytes.sum();
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(AtomicLong::get).sum();
  }

  public Map<String, Long> errors() {
    Map<String, Long> m = new TreeMap<>();
    errors.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  public Stats.Summary summary(double seconds) {
    return Stats.Summary.of(latency, errorCount(), bytes(), seconds);
  }
}
