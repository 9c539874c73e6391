package dev.meridian.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A closed-loop load: {@code concurrency} workers, each issuing its next request when the previous one
 * completes, until the duration is over or {@code maxOps} requests were started (both bounds always hold).
 * Latency is the time from issuing a request to its last response byte; with a closed loop the offered
 * rate adapts to the server, so there is no coordinated omission to correct, and throughput is the
 * completed operations over the time until the last worker stopped.
 */
final class ClosedLoop {

  private ClosedLoop() {}

  /**
   * Runs the load and returns the elapsed seconds. {@code op} gets a sequence number and returns the
   * request's future of bytes moved, or null when there is no more work (e.g. nothing left to delete).
   */
  static double run(int concurrency, Duration duration, long maxOps, Duration grace, LongFunction<CompletableFuture<Long>> op,
      OpRecorder rec) {
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    AtomicLong seq = new AtomicLong();
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      workers.add(done);
      next(op, rec, seq, maxOps, deadline, done);
    }
    try {
      CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new))
          .get(duration.plus(grace).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      long stuck = workers.stream().filter(w -> !w.isDone()).count();
      for (int i = 0; i < stuck; i++) rec.error("still running after grace");
    } catch (Exception e) {
      rec.error(e.getClass().getSimpleName());
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static void next(LongFunction<CompletableFuture<Long>> op, OpRecorder rec, AtomicLong seq, long maxOps,
      long deadline, CompletableFuture<Void> done) {
    // An iterative loop for requests that complete synchronously (e.g. failed before sending), a callback
    // chain otherwise.
    while (true) {
      if (System.nanoTime() >= deadline) {
        done.complete(null);
        return;
      }
      long n = seq.getAndIncrement();
      if (n >= maxOps) {
        done.complete(null);
        return;
      }
      long t0 = System.nanoTime();
      CompletableFuture<Long> f;
      try {
        f = op.apply(n);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      if (f == null) {
        done.complete(null);
        return;
      }
      if (!f.isDone()) {
        f.whenComplete((bytes, err) -> {
          record(rec, t0, bytes, err);
          next(op, rec, seq, maxOps, deadline, done);
        });
        return;
      }
      Long bytes = null;
      Throwable err = null;
      try {
        bytes = f.join();
      } catch (RuntimeException e) {
        err = e;
      }
      record(rec, t0, bytes, err);
    }
  }

  private static void record(OpRecorder rec, long t0, Long bytes, Throwable err) {
    if (err == null) rec.ok(t0, System.nanoTime(), bytes == null ? 0 : bytes);
    else rec.error(Requests.errorKind(err));
  }
}
