package dev.meridian.chaos.workload;

import dev.meridian.chaos.history.BucketPlan;
import dev.meridian.chaos.history.Op;
import dev.meridian.chaos.history.Op.OpType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * The concurrent client workload: worker threads, each a client of one region that sends its requests to
 * that region's nodes in turn (as a load balancer would), mostly to buckets homed in its region and some
 * to the other region's. The mix: PutObject of small bodies and two-part multipart uploads, overwriting a
 * small set of keys; DeleteObject (delete markers) and DeleteObject of a specific version; GetObject of the
 * latest or of a known version; ListObjectVersions. Keys under {@code k/} are covered by every rule, keys
 * under {@code x/} by the cross-region rules only. Each worker's choices come from its own seeded random.
 */
public final class Workload {

  /** Workload parameters. {@code partSize} must be at least the nodes' minimum part size. */
  public record Settings(int workers, int keys, int maxBody, int partSize, long thinkMs, long errorPauseMs) {
    public static Settings standard() {
      return new Settings(6, 12, 32 * 1024, 64 * 1024, 25, 250);
    }
  }

  private final BucketPlan plan;
  private final Requests requests;
  private final Settings settings;
  private final long seed;
  private final BiFunction<String, Integer, Requests.Via> via;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  /** Acknowledged versions per bucket (key, version id): targets for deletes and reads of a version. */
  private final Map<String, List<String[]>> acked = new ConcurrentHashMap<>();

  /**
   * @param via for a region and a request number, the node to send to (round robin over the region's nodes)
   */
  public Workload(BucketPlan plan, Requests requests, Settings settings, long seed,
      BiFunction<String, Integer, Requests.Via> via) {
    this.plan = plan;
    this.requests = requests;
    this.settings = settings;
    this.seed = seed;
    this.via = via;
    for (BucketPlan.Bucket b : plan.written()) acked.put(b.name(), new ArrayList<>());
  }

  public void start() {
    List<String> regions = plan.regions();
    for (int w = 0; w < settings.workers(); w++) {
      int worker = w;
      String region = regions.get(w % regions.size());
      Thread t = new Thread(() -> run(worker, region), "chaos-worker-" + w);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Stops the workers and waits for their requests in flight (each bounded by the client's timeout). */
  public void stop() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) t.join(60_000);
  }

  private void run(int worker, String region) {
    Random rnd = new Random(seed * 7919 + worker);
    List<String> local = plan.written().stream().filter(b -> b.region().equals(region)).map(BucketPlan.Bucket::name).toList();
    List<String> remote = plan.written().stream().filter(b -> !b.region().equals(region)).map(BucketPlan.Bucket::name).toList();
    int n = 0;
    while (!stop.get()) {
      List<String> pool = local.isEmpty() || (!remote.isEmpty() && rnd.nextInt(100) < 15) ? remote : local;
      String bucket = pool.get(rnd.nextInt(pool.size()));
      String key = key(rnd);
      Op op = step(worker, rnd, via.apply(region, n++), bucket, key);
      try {
        Thread.sleep(op.ok() ? settings.thinkMs() : settings.errorPauseMs());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private String key(Random rnd) {
    int i = rnd.nextInt(settings.keys() + settings.keys() / 3);
    return i < settings.keys() ? "k/" + i : "x/" + (i - settings.keys());
  }

  private Op step(int worker, Random rnd, Requests.Via v, String bucket, String key) {
    int dice = rnd.nextInt(100);
    List<String[]> known = acked.get(bucket);
    if (dice < 40) {
      return remember(requests.put(worker, v, bucket, key, 1 + rnd.nextInt(settings.maxBody())));
    }
    if (dice < 44) {
      return remember(requests.multipart(worker, v, bucket, key, settings.partSize(), 1 + rnd.nextInt(4096)));
    }
    if (dice < 52) return requests.delete(worker, v, bucket, key);
    String[] kv = dice < 56 ? pick(known, rnd, true) : null;
    if (kv != null) return requests.deleteVersion(worker, v, bucket, kv[0], kv[1]);
    if (dice < 72) return requests.get(worker, v, bucket, key, null);
    kv = dice < 84 ? pick(known, rnd, false) : null;
    if (kv != null) return requests.get(worker, v, bucket, kv[0], kv[1]);
    return requests.list(worker, v, bucket, rnd.nextBoolean() ? "k/" : "");
  }

  /** A random acknowledged version of the bucket (removed from the list when {@code take}), or null. */
  private static String[] pick(List<String[]> known, Random rnd, boolean take) {
    synchronized (known) {
      if (known.isEmpty()) return null;
      int i = rnd.nextInt(known.size());
      return take ? known.remove(i) : known.get(i);
    }
  }

  private Op remember(Op op) {
    if (op.ok() && op.versionId() != null && (op.type() == OpType.PUT || op.type() == OpType.MPU)) {
      List<String[]> known = acked.get(op.bucket());
      synchronized (known) {
        known.add(new String[] {op.key(), op.versionId()});
      }
    }
    return op;
  }
}
