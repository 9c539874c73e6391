package dev.meridian.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * Keeps asynchronous completions on a thread pool on small machines.
 *
 * <p>Every {@code CompletionStage} that Pekko's Java API returns (an entity's {@code ask}, a stream's
 * materialized value) is Scala's {@code FutureConverters} wrapper, whose {@code thenApply}, {@code
 * thenCompose}, {@code whenComplete}, {@code handle} and {@code exceptionally} run as their {@code *Async}
 * variants on {@code CompletableFuture}'s default executor. With fewer than 3 CPUs the JDK's common pool
 * has a parallelism of 1, and then that default executor is not the pool but a <em>new thread per
 * task</em>: on a 2-core node every request started one or more threads (JFR showed "Thread-N" threads
 * running the request path). A common-pool parallelism of at least 2 makes it the pool: +31-54% 4 KiB
 * PUT/GET/HEAD throughput at 16 clients on the 2-core machine (bench/README.md, "Fix measured: async
 * completions on the common pool").
 *
 * <p>Must run before anything touches {@code ForkJoinPool} or {@code CompletableFuture}: first thing in
 * {@code main}. An explicit {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism} wins.
 */
final class AsyncPool {

  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private AsyncPool() {}

  /** Sets the common pool's parallelism to at least 2 unless configured; true if completions use the pool. */
  static boolean configure() {
    if (System.getProperty(PARALLELISM) == null) {
      int cpus = Runtime.getRuntime().availableProcessors();
      System.setProperty(PARALLELISM, Integer.toString(Math.max(2, cpus - 1)));
    }
    return new CompletableFuture<Void>().defaultExecutor() == ForkJoinPool.commonPool();
  }
}
