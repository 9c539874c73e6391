package dev.meridian.bench;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * PUTs at a fixed rate whatever the server does (open loop), as clients of a real store would: every 10 ms
 * it issues the requests due by then. Requests over {@code maxInFlight} are not sent but counted as
 * skipped, so an overloaded server shows as skips and errors rather than as a slower schedule; the
 * writer stops by itself after {@code maxDuration}.
 */
final class OpenLoopWriter implements AutoCloseable {

  final Map<Long, Long> acks = new ConcurrentHashMap<>();
  final Set<Long> failed = ConcurrentHashMap.newKeySet();
  final OpRecorder putLatency = new OpRecorder();
  private final AtomicLong issued = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "open-loop-writer");
    t.setDaemon(true);
    return t;
  });
  private final S3AsyncClient s3;
  private final String bucket;
  private final String prefix;
  private final byte[] data;
  private final int size;
  private final int perSecond;
  private final long maxInFlight;
  private volatile long start;
  private volatile long end;

  OpenLoopWriter(S3AsyncClient s3, String bucket, String prefix, byte[] data, int size, int perSecond, long maxInFlight) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
    this.data = data;
    this.size = size;
    this.perSecond = perSecond;
    this.maxInFlight = maxInFlight;
  }

  void start(Duration maxDuration) {
    start = System.nanoTime();
    end = start + maxDuration.toNanos();
    timer.scheduleAtFixedRate(this::tick, 0, 10, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    long now = System.nanoTime();
    if (now >= end) return;
    long due = (long) ((now - start) / 1e9 * perSecond);
    while (issued.get() < due) {
      long seq = issued.getAndIncrement();
      if (inFlight.get() >= maxInFlight) {
        skipped.incrementAndGet();
        failed.add(seq);
        continue;
      }
      inFlight.incrementAndGet();
      long t0 = System.nanoTime();
      Requests.put(s3, bucket, LagWatcher.key(prefix, seq), data, size).whenComplete((r, err) -> {
        long t1 = System.nanoTime();
        inFlight.decrementAndGet();
        if (err == null) {
          acks.put(seq, t1);
          putLatency.ok(t0, t1, size);
        } else {
          failed.add(seq);
          putLatency.error(Requests.errorKind(err));
        }
      });
    }
  }

  /** Stops issuing; requests in flight still complete. */
  void stop() {
    end = 0;
    timer.shutdown();
  }

  /** Waits until nothing is in flight (bounded). */
  void drain(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) sleep(50);
  }

  long issued() {
    return issued.get();
  }

  long skipped() {
    return skipped.get();
  }

  boolean acked(long seq) {
    return acks.containsKey(seq);
  }

  @Override
  public void close() {
    stop();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
