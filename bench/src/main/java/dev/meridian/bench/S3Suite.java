package dev.meridian.bench;

import dev.meridian.bench.BenchOptions.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The S3 workloads against every target: per round, per size and concurrency, each workload runs on
 * every target back to back (the order of targets alternates between rounds), so paired cells saw about
 * the same machine load. PUT writes new keys, GET and HEAD read a prepared set of objects of the size,
 * DELETE removes what PUT wrote in that cell, LIST pages through a bucket of {@code --list-keys} keys
 * (filled once per target, LIST measured on the way at {@code --list-sizes}), MPU is a whole multipart
 * upload.
 */
final class S3Suite {

  /** One measured cell. */
  record Cell(String target, String workload, String size, long sizeBytes, int concurrency, int round,
      Stats.Summary summary, Map<String, Long> errors, double load1Before, double load1After,
      Double serverHeapMaxMiB, Double serverOldGenMaxMiB, Double serverLiveHeapMiB, Double serverCpuMsPerOp,
      Double loadgenCpuMsPerOp, String startedAt) {}

  /** A target under load: its clients, buckets and the keys the workloads share. */
  static final class TargetRun implements AutoCloseable {
    final S3Target target;
    final List<S3AsyncClient> clients;
    final String bucket;
    final String listBucket;
    final HeapSampler heap;
    /** The server's CPU, when the harness started it (null: not measured). */
    final CpuMeter cpu;
    final Map<Integer, List<String>> readSets = new ConcurrentHashMap<>();
    final Map<String, ConcurrentLinkedDeque<String>> written = new ConcurrentHashMap<>();
    private final AtomicLong rr = new AtomicLong();
    int listFilled;

    TargetRun(S3Target target, BenchOptions o, String runId, HeapSampler heap, CpuMeter cpu) {
      this.target = target;
      int connections = o.concurrency().stream().mapToInt(Integer::intValue).max().orElse(1) * Math.max(1, o.partParallelism());
      this.clients = target.clients(connections, o.sdkChecksums());
      this.bucket = "bench-" + runId;
      this.listBucket = "bench-list-" + runId;
      this.heap = heap;
      this.cpu = cpu;
    }

    S3AsyncClient s3() {
      return clients.get((int) (rr.getAndIncrement() % clients.size()));
    }

    @Override
    public void close() {
      clients.forEach(S3AsyncClient::close);
      if (heap != null) heap.close();
    }
  }

  private final BenchOptions o;
  private final byte[] data;
  private final List<Cell> cells = new ArrayList<>();

  S3Suite(BenchOptions o) {
    this.o = o;
    int max = o.sizes().stream().mapToInt(Integer::intValue).max().orElse(4096);
    max = Math.max(max, 16);
    this.data = new byte[max];
    new Random(42).nextBytes(data);
  }

  List<Cell> cells() {
    return cells;
  }

  /** Creates the target's buckets, retrying while a freshly started server warms up (up to 3 minutes). */
  void prepare(TargetRun t) {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    for (String b : List.of(t.bucket, t.listBucket)) {
      while (true) {
        try {
          t.s3().createBucket(r -> r.bucket(b)).join();
          break;
        } catch (RuntimeException e) {
          if (System.nanoTime() > deadline) throw new IllegalStateException("cannot create bucket on " + t.target.name(), e);
          sleep(1000);
        }
      }
    }
  }

  /**
   * Fills the LIST bucket up to {@code --list-keys} small objects; at each of {@code --list-sizes} on the way,
   * measures LIST (one cell at the first concurrency) for the scaling curve and times a full listing.
   */
  List<ScalingPoint> fillListBucket(TargetRun t) {
    List<ScalingPoint> points = new ArrayList<>();
    List<Integer> stops = new ArrayList<>(o.listSizes().stream().filter(s -> s < o.listKeys()).sorted().toList());
    stops.add(o.listKeys());
    for (int stop : stops) {
      int from = t.listFilled;
      if (stop > from) {
        long t0 = System.nanoTime();
        OpRecorder rec = new OpRecorder();
        AtomicLong next = new AtomicLong(from);
        ClosedLoop.run(32, Duration.ofHours(2), stop - from, Duration.ofMinutes(2), n -> {
          long k = next.getAndIncrement();
          return Requests.put(t.s3(), t.listBucket, listKey(k), data, 16);
        }, rec);
        t.listFilled = stop;
        say(String.format("%s: LIST bucket filled to %,d keys (%.0f PUT/s, %d errors)", t.target.name(), stop,
            (stop - from) / ((System.nanoTime() - t0) / 1e9), rec.errorCount()));
      }
      if (o.workloads().contains(Workload.LIST)) {
        Cell c = cell(t, Workload.LIST, 16, o.concurrency().get(0), 0);
        long t0 = System.nanoTime();
        long pages = fullListing(t);
        double fullSeconds = (System.nanoTime() - t0) / 1e9;
        points.add(new ScalingPoint(t.target.name(), stop, c.summary().p50Ms(), c.summary().p99Ms(),
            c.summary().opsPerSec(), fullSeconds, pages));
      }
    }
    return points;
  }

  /** LIST latency against bucket size: a page of 1,000 keys, and a full listing of the bucket. */
  record ScalingPoint(String target, int keys, double pageP50Ms, double pageP99Ms, double pagesPerSec,
      double fullListingSeconds, long fullListingPages) {}

  private long fullListing(TargetRun t) {
    String after = "";
    long pages = 0;
    while (pages < 10_000) {
      String a = after.isEmpty() ? null : after;
      var r = t.s3().listObjectsV2(b -> b.bucket(t.listBucket).maxKeys(1000).startAfter(a)).join();
      pages++;
      if (r.contents().isEmpty() || !Boolean.TRUE.equals(r.isTruncated())) break;
      after = r.contents().get(r.contents().size() - 1).key();
    }
    return pages;
  }

  static String listKey(long i) {
    return String.format("k/%07d", i);
  }

  /**
   * Warms a target up before anything is measured ({@code --server-warmup}): PUT, GET and HEAD of each size
   * up to 1 MiB at the highest concurrency, in equal shares of the time, not recorded. A JVM server needs
   * minutes of load before its hot paths are compiled (a freshly started Meridian node ran 4 KiB PUTs 1.6x
   * faster after five minutes than in its first minute), and servers in production run warm.
   */
  void warmUp(TargetRun t) {
    if (o.serverWarmup().isZero()) return;
    List<Integer> sizes = o.sizes().stream().filter(s -> s <= 1 << 20).toList();
    if (sizes.isEmpty()) sizes = List.of(o.sizes().get(0));
    List<Workload> loads = List.of(Workload.PUT, Workload.GET, Workload.HEAD);
    Duration share = o.serverWarmup().dividedBy(sizes.size() * loads.size());
    int conc = o.concurrency().stream().mapToInt(Integer::intValue).max().orElse(16);
    long t0 = System.nanoTime();
    for (int size : sizes) {
      ensureReadSet(t, size);
      int c = Math.min(conc, maxConcurrency(size));
      for (Workload w : loads) {
        ClosedLoop.run(c, share, o.maxOps(), Duration.ofMinutes(5), op(t, w, size, c, 0, "warm/"), new OpRecorder());
      }
    }
    say(String.format("%s: warmed up for %.0f s", t.target.name(), (System.nanoTime() - t0) / 1e9));
  }

  /** Runs every round of the grid over the targets, alternating their order. */
  void runRounds(List<TargetRun> targets) {
    for (int round = 1; round <= o.rounds(); round++) {
      List<TargetRun> order = new ArrayList<>(targets);
      if (round % 2 == 0) java.util.Collections.reverse(order);
      for (int size : o.sizes()) {
        for (int conc : o.concurrency()) {
          if (conc > maxConcurrency(size)) {
            if (round == 1) say("skipping " + BenchOptions.sizeName(size) + " at c=" + conc + ": over --max-inflight");
            continue;
          }
          for (Workload w : o.workloads()) {
            if (w == Workload.LIST) continue;
            for (TargetRun t : order) cell(t, w, size, conc, round);
          }
        }
      }
      if (o.workloads().contains(Workload.LIST)) {
        for (int conc : o.concurrency()) {
          for (TargetRun t : order) cell(t, Workload.LIST, 16, conc, round);
        }
      }
    }
  }

  /**
   * The highest concurrency run for a size: {@code --max-inflight} bytes in flight (the client's and the
   * servers' memory, and a cell's length, grow with it), at least one request.
   */
  int maxConcurrency(int size) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, o.maxInflight() / size));
  }

  /** Runs one cell (after a warm-up, except DELETE) and records it. */
  Cell cell(TargetRun t, Workload w, int size, int conc, int round) {
    String prefix = "c/" + BenchOptions.sizeName(size) + "/" + conc + "/" + round + "/";
    if (w == Workload.GET || w == Workload.HEAD) ensureReadSet(t, size);
    if (w == Workload.DELETE) ensureDeletePool(t, size, conc, round);
    Double live = null;
    if (w != Workload.DELETE && !o.warmup().isZero()) {
      // Halfway through the warm-up (the same load), the server's live heap: a full GC, outside the measured window.
      CompletableFuture<Double> liveHeap = t.heap == null ? null : t.heap.liveAfter(o.warmup().dividedBy(2));
      ClosedLoop.run(conc, o.warmup(), o.maxOps(), Duration.ofMinutes(5), op(t, w, size, conc, round, prefix + "warm/"),
          new OpRecorder());
      live = liveHeap == null ? null : liveHeap.completeOnTimeout(null, 30, java.util.concurrent.TimeUnit.SECONDS).join();
    }
    double load = loadAverage();
    if (t.heap != null) t.heap.reset();
    Instant started = Instant.now();
    OpRecorder rec = new OpRecorder();
    CpuMeter.Sample cpuBefore = t.cpu == null ? null : t.cpu.sample();
    double seconds = ClosedLoop.run(conc, o.duration(), o.maxOps(), Duration.ofMinutes(5),
        op(t, w, size, conc, round, prefix), rec);
    Stats.Summary summary = rec.summary(seconds);
    CpuMeter.PerOp cpu = t.cpu == null ? null : CpuMeter.perOp(cpuBefore, t.cpu.sample(), summary.ops());
    HeapSampler.Window heap = t.heap == null ? null : t.heap.window();
    Cell c = new Cell(t.target.name(), w.name(), w == Workload.LIST ? "list" : BenchOptions.sizeName(size), size, conc,
        round, summary, rec.errors(), load, loadAverage(),
        heap == null ? null : heap.heapMaxMiB(), heap == null ? null : heap.oldGenMaxMiB(), live,
        cpu == null ? null : cpu.serverMs(), cpu == null ? null : cpu.generatorMs(), started.toString());
    cells.add(c);
    Stats.Summary s = c.summary();
    say(String.format("round %d %-8s %-6s %-6s c=%-3d %8.1f op/s %8.1f MiB/s  p50 %7.1f  p99 %7.1f  max %7.1f ms  err %d  load %.1f%s",
        round, t.target.name(), w, c.size(), conc, s.opsPerSec(), s.mibPerSec(), s.p50Ms(), s.p99Ms(), s.maxMs(),
        s.errors(), load, cpu == null ? "" : String.format("  cpu/op %.2f ms server, %.2f ms generator", cpu.serverMs(),
            cpu.generatorMs())));
    if (!c.errors().isEmpty()) say("    errors: " + c.errors());
    return c;
  }

  private LongFunction<CompletableFuture<Long>> op(TargetRun t, Workload w, int size, int conc, int round, String prefix) {
    String cellKey = BenchOptions.sizeName(size) + "/" + conc + "/" + round;
    return switch (w) {
      case PUT -> n -> {
        String key = prefix + n;
        return Requests.put(t.s3(), t.bucket, key, data, size).thenApply(b -> {
          var q = t.written.computeIfAbsent(cellKey, k -> new ConcurrentLinkedDeque<>());
          if (q.size() < 200_000) q.add(key);
          return b;
        });
      };
      case GET -> n -> Requests.get(t.s3(), t.bucket, pick(t.readSets.get(size)));
      case HEAD -> n -> Requests.head(t.s3(), t.bucket, pick(t.readSets.get(size)));
      case DELETE -> n -> {
        String key = t.written.getOrDefault(cellKey, new ConcurrentLinkedDeque<>()).poll();
        return key == null ? null : Requests.delete(t.s3(), t.bucket, key);
      };
      case LIST -> n -> {
        int max = Math.max(1, t.listFilled - 1000);
        String after = ThreadLocalRandom.current().nextInt(4) == 0 ? "" : listKey(ThreadLocalRandom.current().nextInt(max));
        return Requests.list(t.s3(), t.listBucket, "k/", after);
      };
      case MPU -> n -> Requests.multipart(t.s3(), t.bucket, prefix + "mpu-" + n, data, size, o.partSize(), o.partParallelism());
    };
  }

  private static String pick(List<String> keys) {
    return keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
  }

  /** GET and HEAD read from a fixed set of objects of the size (16 MiB of them at most, 4 at least, 64 at most). */
  private void ensureReadSet(TargetRun t, int size) {
    t.readSets.computeIfAbsent(size, s -> {
      int n = (int) Math.max(4, Math.min(64, (256L << 20) / size));
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < n; i++) keys.add("read/" + BenchOptions.sizeName(size) + "/" + i);
      List<String> written = fill(t, keys, size);
      if (written.isEmpty()) throw new IllegalStateException(t.target.name() + ": no object of " + size + " bytes could be written");
      return written;
    });
  }

  /** DELETE removes what the cell's PUT wrote; without a PUT cell, a pool of objects is written first. */
  private void ensureDeletePool(TargetRun t, int size, int conc, int round) {
    String cellKey = BenchOptions.sizeName(size) + "/" + conc + "/" + round;
    var q = t.written.computeIfAbsent(cellKey, k -> new ConcurrentLinkedDeque<>());
    if (!q.isEmpty()) return;
    int n = (int) Math.max(4, Math.min(1000, (256L << 20) / size));
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) keys.add("del/" + cellKey + "/" + i);
    q.addAll(fill(t, keys, size));
  }

  /** Writes the keys (8 at a time, a failed one tried again twice); returns those that were written. */
  private List<String> fill(TargetRun t, List<String> keys, int size) {
    List<String> todo = new ArrayList<>(keys);
    java.util.Set<String> ok = ConcurrentHashMap.newKeySet();
    for (int attempt = 0; attempt < 3 && !todo.isEmpty(); attempt++) {
      List<String> batch = todo;
      OpRecorder rec = new OpRecorder();
      ClosedLoop.run(8, Duration.ofMinutes(30), batch.size(), Duration.ofMinutes(5), n -> {
        String key = batch.get((int) n);
        return Requests.put(t.s3(), t.bucket, key, data, size).thenApply(b -> {
          ok.add(key);
          return b;
        });
      }, rec);
      if (rec.errorCount() > 0) say(t.target.name() + ": preparing objects: errors " + rec.errors());
      todo = batch.stream().filter(k -> !ok.contains(k)).toList();
    }
    return keys.stream().filter(ok::contains).toList();
  }

  static double loadAverage() {
    try {
      return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void say(String s) {
    System.out.println("[bench] " + s);
    System.out.flush();
  }
}
