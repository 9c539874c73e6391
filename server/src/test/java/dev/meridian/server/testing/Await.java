package dev.meridian.server.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Bounded polling for what the cluster does asynchronously (replication, expiry...). */
public final class Await {

  private Await() {}

  /**
   * Polls {@code condition} every 300 ms until it holds; a condition that throws (e.g. NoSuchKey before a
   * replica arrives) counts as not yet. Fails naming {@code what} after {@code within}.
   */
  public static void until(String what, Duration within, Supplier<Boolean> condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(within);
    RuntimeException last = null;
    while (true) {
      try {
        if (condition.get()) return;
      } catch (RuntimeException notYet) {
        last = notYet;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what + (last == null ? "" : " (last: " + last + ")"));
      }
      Thread.sleep(300);
    }
  }

  /** {@link #until(String, Duration, Supplier)} within 90 seconds. */
  public static void until(String what, Supplier<Boolean> condition) throws InterruptedException {
    until(what, Duration.ofSeconds(90), condition);
  }
}
