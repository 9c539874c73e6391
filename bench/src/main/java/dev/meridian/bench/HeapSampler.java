package dev.meridian.bench;

import java.util.List;
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
