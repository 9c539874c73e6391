package dev.meridian.chaos.workload;

import dev.meridian.chaos.history.History;
import dev.meridian.chaos.history.LagSample;
import dev.meridian.chaos.history.Op;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Measures cross-region replication lag while the run goes on: once a second it writes a small probe
 * version into a source bucket (an ordinary, recorded PutObject that the checker judges like any other)
 * and looks for the owed probes in the destination bucket with HEAD by version id. Each second's sample is
 * the age of the oldest probe not yet replicated: it climbs while a region is cut off and falls to zero as
 * the backlog drains. Writing stops with {@link #stopWriting}; looking goes on until {@link #stop}.
 */
public final class LagProbe {

  private final History history;
  private final Requests requests;
  private final String source;
  private final String destination;
  private final Function<Integer, Requests.Via> sourceVia;
  private final Function<Integer, S3Client> destinationClient;
  private final AtomicBoolean writing = new AtomicBoolean(true);
  private final AtomicBoolean running = new AtomicBoolean(true);
  /** Acknowledged probes not yet seen in the destination: version id to acknowledgement time. */
  private final Map<String, Long> owed = new LinkedHashMap<>();
  private final Map<String, String> keys = new LinkedHashMap<>();
  private volatile long lastLag = -1;
  private Thread thread;

  /**
   * @param sourceVia         for a probe number, the node (of the source's region) to write through
   * @param destinationClient for a probe number, a quick client of a node of the destination's region
   */
  public LagProbe(History history, Requests requests, String source, String destination,
      Function<Integer, Requests.Via> sourceVia, Function<Integer, S3Client> destinationClient) {
    this.history = history;
    this.requests = requests;
    this.source = source;
    this.destination = destination;
    this.sourceVia = sourceVia;
    this.destinationClient = destinationClient;
  }

  public void start() {
    thread = new Thread(this::run, "chaos-lag-probe");
    thread.setDaemon(true);
    thread.start();
  }

  public void stopWriting() {
    writing.set(false);
  }

  /** Probes acknowledged but not yet seen replicated. */
  public synchronized int owed() {
    return owed.size();
  }

  public void stop() throws InterruptedException {
    running.set(false);
    if (thread != null) thread.join(30_000);
  }

  private void run() {
    int n = 0;
    while (running.get()) {
      long tick = history.now();
      if (writing.get()) {
        Op op = requests.put(-1, sourceVia.apply(n), source, "probe/" + n, 256);
        if (op.ok() && op.versionId() != null) {
          synchronized (this) {
            owed.put(op.versionId(), op.end());
            keys.put(op.versionId(), op.key());
          }
        }
      }
      look(n);
      n++;
      sample(tick);
      long sleep = 1000 - (history.now() - tick);
      if (sleep > 0) {
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** HEADs the owed probes, oldest first, until one is not there yet (replication keeps order per key slice). */
  private void look(int n) {
    Map<String, Long> snapshot;
    synchronized (this) {
      snapshot = new LinkedHashMap<>(owed);
    }
    S3Client s3 = destinationClient.apply(n);
    int misses = 0;
    for (Iterator<Map.Entry<String, Long>> it = snapshot.entrySet().iterator(); it.hasNext() && misses < 3; ) {
      Map.Entry<String, Long> e = it.next();
      String key;
      synchronized (this) {
        key = keys.get(e.getKey());
      }
      try {
        s3.headObject(b -> b.bucket(destination).key(key).versionId(e.getKey()));
        long now = history.now();
        lastLag = now - e.getValue();
        synchronized (this) {
          owed.remove(e.getKey());
          keys.remove(e.getKey());
        }
      } catch (RuntimeException ex) {
        misses++;
      }
    }
  }

  private void sample(long tick) {
    long oldest;
    int count;
    synchronized (this) {
      count = owed.size();
      oldest = owed.values().stream().mapToLong(t -> t).min().stream().map(t -> Math.max(0, history.now() - t)).findFirst().orElse(0);
    }
    history.lag(new LagSample(tick / 1000 * 1000, oldest, count, lastLag));
  }
}
