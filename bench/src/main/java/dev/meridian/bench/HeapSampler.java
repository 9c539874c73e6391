package dev.meridian.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the heap of server JVMs every second while cells run; {@link #reset} starts a new window and
 * {@link #window} returns the largest heap and old-generation use seen since, in MiB, summed over the
 * sampled JVMs (one value per server, however many nodes it has).
 */
final class HeapSampler implements AutoCloseable {

  record Window(double heapMaxMiB, double oldGenMaxMiB) {}

  private final List<JvmProbe> probes;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "heap-sampler");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong heapMax = new AtomicLong();
  private final AtomicLong oldMax = new AtomicLong();

  HeapSampler(List<JvmProbe> probes) {
    this.probes = probes;
    timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
  }

  private void sample() {
    try {
      long heap = 0, old = 0;
      for (JvmProbe p : probes) {
        heap += p.heapUsed();
        old += p.oldGenUsed();
      }
      heapMax.accumulateAndGet(heap, Math::max);
      oldMax.accumulateAndGet(old, Math::max);
    } catch (RuntimeException e) {
      // a JVM went away; keep what was seen
    }
  }

  /**
   * The live heap (in use right after a full GC, in MiB, summed over the JVMs) {@code delay} from now: taken
   * while load runs, it is what the server holds for the requests in flight, without the garbage that
   * "heap in use" counts. Null if a JVM could not be asked. The full GC pauses the server, so callers take
   * it during a warm-up, not in a measured window.
   */
  CompletableFuture<Double> liveAfter(Duration delay) {
    CompletableFuture<Double> live = new CompletableFuture<>();
    timer.schedule(() -> {
      try {
        long bytes = 0;
        for (JvmProbe p : probes) bytes += p.liveHeapAfterGc();
        live.complete(bytes / 1048576.0);
      } catch (RuntimeException e) {
        live.complete(null);
      }
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
    return live;
  }

  void reset() {
    heapMax.set(0);
    oldMax.set(0);
  }

  Window window() {
    sample();
    return new Window(heapMax.get() / 1048576.0, oldMax.get() / 1048576.0);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
