package dev.meridian.chaos.workload;

import dev.meridian.chaos.history.History;
import dev.meridian.chaos.history.LagSample;
import dev.meridian.chaos.history.Op;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Measures replication lag while the run goes on: once a second it writes a small probe version into the
 * source bucket (an ordinary, recorded PutObject that the checker judges like any other, under a key every
 * rule covers) and looks for the owed probes in each destination with HEAD by version id. Each second's
 * sample per destination is the age of the oldest probe not yet there: it climbs while replication is
 * stalled and falls to zero as the backlog drains. Writing stops with {@link #stopWriting}; looking goes on
 * until {@link #stop}.
 */
public final class LagProbe {

  /** A destination to watch: a label, its bucket and its home region. */
  public record Destination(String label, String bucket, String region) {}

  private final History history;
  private final Requests requests;
  private final String source;
  private final List<Destination> destinations;
  private final Function<Integer, Requests.Via> sourceVia;
  private final BiFunction<String, Integer, S3Client> regionClient;
  private final AtomicBoolean writing = new AtomicBoolean(true);
  private final AtomicBoolean running = new AtomicBoolean(true);
  /** Per destination label: acknowledged probes not yet seen there, version id to (key, acknowledgement time). */
  private final Map<String, Map<String, Object[]>> owed = new LinkedHashMap<>();
  private final Map<String, Long> lastLag = new LinkedHashMap<>();
  private Thread thread;

  /**
   * @param sourceVia    for a probe number, the node (of the source's region) to write through
   * @param regionClient for a region and a probe number, a quick client of a node of that region
   */
  public LagProbe(History history, Requests requests, String source, List<Destination> destinations,
      Function<Integer, Requests.Via> sourceVia, BiFunction<String, Integer, S3Client> regionClient) {
    this.history = history;
    this.requests = requests;
    this.source = source;
    this.destinations = destinations;
    this.sourceVia = sourceVia;
    this.regionClient = regionClient;
    for (Destination d : destinations) {
      owed.put(d.label(), new LinkedHashMap<>());
      lastLag.put(d.label(), -1L);
    }
  }

  public void start() {
    thread = new Thread(this::run, "chaos-lag-probe");
    thread.setDaemon(true);
    thread.start();
  }

  public void stopWriting() {
    writing.set(false);
  }

  /** Probes acknowledged but not yet seen replicated, over all destinations. */
  public synchronized int owed() {
    return owed.values().stream().mapToInt(Map::size).sum();
  }

  public void stop() throws InterruptedException {
    running.set(false);
    if (thread != null) thread.join(60_000);
  }

  private void run() {
    int n = 0;
    while (running.get()) {
      long tick = history.now();
      if (writing.get()) {
        Op op = requests.put(-1, sourceVia.apply(n), source, "k/probe/" + n, 256);
        if (op.ok() && op.versionId() != null) {
          synchronized (this) {
            for (Map<String, Object[]> m : owed.values()) m.put(op.versionId(), new Object[] {op.key(), op.end()});
          }
        }
      }
      for (Destination d : destinations) look(d, n);
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

  /** HEADs up to 40 owed probes, oldest first; stops at the first answer that is not a 404 (node down). */
  private void look(Destination d, int n) {
    Map<String, Object[]> snapshot;
    synchronized (this) {
      snapshot = new LinkedHashMap<>(owed.get(d.label()));
    }
    S3Client s3 = regionClient.apply(d.region(), n);
    int asked = 0;
    for (Map.Entry<String, Object[]> e : snapshot.entrySet()) {
      if (asked++ >= 40) break;
      String key = (String) e.getValue()[0];
      try {
        s3.headObject(b -> b.bucket(d.bucket()).key(key).versionId(e.getKey()));
        synchronized (this) {
          lastLag.put(d.label(), history.now() - (Long) e.getValue()[1]);
          owed.get(d.label()).remove(e.getKey());
        }
      } catch (AwsServiceException ex) {
        if (ex.statusCode() != 404) return;
      } catch (RuntimeException ex) {
        return;
      }
    }
  }

  private synchronized void sample(long tick) {
    long now = history.now();
    for (Destination d : destinations) {
      Map<String, Object[]> m = owed.get(d.label());
      long oldest = m.values().stream().mapToLong(v -> (Long) v[1]).min().stream().map(t -> Math.max(0, now - t))
          .findFirst().orElse(0);
      history.lag(new LagSample(tick / 1000 * 1000, d.label(), oldest, m.size(), lastLag.get(d.label())));
    }
  }
}
