package dev.meridian.chaos.nemesis;

import dev.meridian.chaos.history.History;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a fault schedule against the cluster on its own thread, recording in the {@link History} when each
 * fault was injected, healed, and when the hit part served again. A fault whose start has passed while the
 * previous one was still healing starts at once; the history holds the actual times.
 */
public final class NemesisRunner {

  private static final Logger log = LoggerFactory.getLogger(NemesisRunner.class);

  private final List<FaultPlan> plan;
  private final Nemesis nemesis;
  private final History history;
  private final long offset;
  private final List<String> errors = new ArrayList<>();
  private Thread thread;

  /** @param offset history time at which the schedule's time 0 falls (the workload's start) */
  public NemesisRunner(List<FaultPlan> plan, Nemesis nemesis, History history, long offset) {
    this.plan = plan;
    this.nemesis = nemesis;
    this.history = history;
    this.offset = offset;
  }

  public void start() {
    thread = new Thread(this::run, "chaos-nemesis");
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits until every fault is healed and recovered; false if that takes longer than {@code ms}. */
  public boolean await(long ms) throws InterruptedException {
    thread.join(ms);
    return !thread.isAlive();
  }

  /** Problems the nemesis met (a restart that failed, ...): the report lists them. */
  public synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  private void run() {
    for (FaultPlan f : plan) {
      int index = -1;
      try {
        sleepUntil(offset + f.start());
        index = history.faultStarted(f.kind(), f.target(), nemesis.affectedRegion(f), "");
        String did = nemesis.inject(f);
        log.info("fault injected: {}: {}", f, did);
        history.detail(index, did);
        sleepUntil(offset + f.end());
        history.healed(index);
        String healed = nemesis.heal(f);
        history.recovered(index);
        history.detail(index, did + " | healed: " + healed);
        log.info("fault healed: {}: {}", f, healed);
      } catch (Exception e) {
        log.error("nemesis failed on {}", f, e);
        synchronized (this) {
          errors.add(f + ": " + e);
        }
        if (index >= 0) history.detail(index, "nemesis error: " + e);
      }
    }
  }

  private void sleepUntil(long t) throws InterruptedException {
    long wait = t - history.now();
    if (wait > 0) Thread.sleep(wait);
  }
}
