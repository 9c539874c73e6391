package dev.meridian.chaos.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The recorded history of a run: every request and its outcome, every fault window and the replication
 * lag samples, timed in milliseconds from one monotonic start. Thread-safe; the workload threads, the
 * nemesis and the lag probe all write here.
 */
public final class History {

  private final long epochStartMs = System.currentTimeMillis();
  private final long nanoStart = System.nanoTime();
  private final AtomicLong ids = new AtomicLong();
  private final ConcurrentLinkedQueue<Op> ops = new ConcurrentLinkedQueue<>();
  private final List<FaultRecord> faults = new ArrayList<>();
  private final ConcurrentLinkedQueue<LagSample> lag = new ConcurrentLinkedQueue<>();
  private final java.util.Map<String, Long> exits = new java.util.concurrent.ConcurrentHashMap<>();

  /** Wall-clock time of the start, to relate server times (LastModified) to the history. */
  public long epochStartMs() {
    return epochStartMs;
  }

  /** Milliseconds since the start. */
  public long now() {
    return (System.nanoTime() - nanoStart) / 1_000_000;
  }

  public long nextId() {
    return ids.incrementAndGet();
  }

  public void add(Op op) {
    ops.add(op);
  }

  public void lag(LagSample sample) {
    lag.add(sample);
  }

  /** Records a fault as injected now; returns its index for {@link #healed} and {@link #recovered}. */
  public synchronized int faultStarted(String kind, String target, String affectedRegion, String detail) {
    faults.add(new FaultRecord(kind, target, affectedRegion, now(), -1, -1, detail));
    return faults.size() - 1;
  }

  public synchronized void healed(int fault) {
    faults.set(fault, faults.get(fault).healed(now()));
  }

  public synchronized void detail(int fault, String detail) {
    faults.set(fault, faults.get(fault).withDetail(detail));
  }

  public synchronized void recovered(int fault) {
    faults.set(fault, faults.get(fault).recovered(now()));
  }

  /** Records, once, that a node's process was found gone although the harness had not killed it. */
  public void exited(String node) {
    exits.putIfAbsent(node, now());
  }

  /** Nodes that exited by themselves, with when that was first seen. */
  public java.util.Map<String, Long> exits() {
    return new java.util.TreeMap<>(exits);
  }

  /** Every recorded request, in the order they started. */
  public List<Op> ops() {
    List<Op> all = new ArrayList<>(ops);
    all.sort(Comparator.comparingLong(Op::id));
    return all;
  }

  public synchronized List<FaultRecord> faults() {
    return List.copyOf(faults);
  }

  public List<LagSample> lagSamples() {
    return List.copyOf(lag);
  }
}
