package dev.meridian.bench;

import dev.meridian.bench.BenchOptions.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Scaling curves on harness-started Meridians of one region: 4 KiB PUT and GET throughput against nodes per
 * region; bucket-actor recovery time against history length (one key overwritten N times, then the node
 * restarted and the first request timed against the next); node heap (live set after a full GC) against
 * the number of active buckets.
 */
final class Scaling {

  record NodesPoint(int nodesPerRegion, String workload, double opsPerSec, double p50Ms, double p99Ms, long errors,
      double load1) {}

  record RecoveryPoint(int history, double writeSeconds, double firstRequestMs, double nextRequestMs,
      double recoveryMs) {}

  record HeapPoint(int activeBuckets, double liveHeapMiB, double createSeconds) {}

  /** Builds the cluster spec for a region list, a node count and a tag (the run's keyspaces and directory). */
  interface Specs {
    MeridianCluster.Spec spec(List<String> regions, int nodesPerRegion, String tag);
  }

  private final BenchOptions o;
  private final String runId;
  private final Specs specs;
  private final StringBuilder text = new StringBuilder();
  private final byte[] data = new byte[4096];

  Scaling(BenchOptions o, String runId, Path runDir, Specs specs) {
    this.o = o;
    this.runId = runId;
    this.specs = specs;
    new Random(3).nextBytes(data);
  }

  String text() {
    return text.toString();
  }

  Map<String, Object> run() throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    List<NodesPoint> nodes = new ArrayList<>();
    List<RecoveryPoint> recovery = new ArrayList<>();
    List<HeapPoint> heap = new ArrayList<>();
    out.put("nodesPerRegion", nodes);
    out.put("recovery", recovery);
    out.put("heapByActiveBuckets", heap);
    int conc = o.concurrency().stream().mapToInt(Integer::intValue).max().orElse(16);
    for (int n : o.scaleNodes()) {
      MeridianCluster.Spec spec = specs.spec(List.of("us-east-1"), n, "scale" + n);
      BenchMain.checkPorts(spec);
      try (MeridianCluster c = MeridianCluster.start(spec, Map.of())) {
        section("throughput with " + n + " node(s)", () -> nodes.addAll(throughput(c, n, conc)));
        if (n == o.scaleNodes().get(0)) {
          section("recovery", () -> recovery.addAll(recovery(c, spec)));
          section("heap", () -> heap.addAll(heap(spec)));
        }
      }
    }
    return out;
  }

  private interface Section {
    void run() throws Exception;
  }

  /** Runs one measurement; a failure is reported and the next one still runs. */
  private void section(String name, Section s) {
    try {
      s.run();
    } catch (Exception | Error e) {
      text.append("  ").append(name).append(" FAILED: ").append(e).append('\n');
      say(name + " failed: " + e);
    }
  }

  private List<NodesPoint> throughput(MeridianCluster c, int n, int conc) {
    List<NodesPoint> points = new ArrayList<>();
    S3Suite suite = new S3Suite(o);
    S3Target target = c.target("meridian-" + n + "n", "us-east-1");
    try (S3Suite.TargetRun t = new S3Suite.TargetRun(target, o, runId + "-n" + n, null, null)) {
      suite.prepare(t);
      for (Workload w : List.of(Workload.PUT, Workload.GET)) {
        S3Suite.Cell cell = suite.cell(t, w, 4096, conc, 1);
        points.add(new NodesPoint(n, w.name(), cell.summary().opsPerSec(), cell.summary().p50Ms(), cell.summary().p99Ms(),
            cell.summary().errors(), cell.load1Before()));
        text.append(String.format("  %d node(s) per region, 4KiB %-4s c=%d: %8.1f op/s  p50 %6.1f  p99 %6.1f ms  err %d  load %.1f%n",
            n, w, conc, cell.summary().opsPerSec(), cell.summary().p50Ms(), cell.summary().p99Ms(), cell.summary().errors(),
            cell.load1Before()));
      }
    }
    return points;
  }

  /** Writes the histories, restarts the cluster (same keyspaces) and times the first request to each bucket. */
  private List<RecoveryPoint> recovery(MeridianCluster c, MeridianCluster.Spec spec) throws Exception {
    List<RecoveryPoint> points = new ArrayList<>();
    if (o.recoveryHistory().isEmpty()) return points;
    S3Target target = c.target("meridian", "us-east-1");
    Map<Integer, Double> writeSeconds = new LinkedHashMap<>();
    String warm = "rec-warm-" + runId;
    try (S3AsyncClient s3 = target.client(target.endpoint(), 16, o.sdkChecksums())) {
      s3.createBucket(b -> b.bucket(warm)).join();
      Requests.put(s3, warm, "k", data, 16).join();
      for (int h : o.recoveryHistory()) {
        String bucket = "rec-" + h + "-" + runId;
        s3.createBucket(b -> b.bucket(bucket)).join();
        long t0 = System.nanoTime();
        OpRecorder rec = new OpRecorder();
        ClosedLoop.run(8, Duration.ofMinutes(20), h, Duration.ofMinutes(2), n -> Requests.put(s3, bucket, "k", data, 16), rec);
        writeSeconds.put(h, (System.nanoTime() - t0) / 1e9);
        say(String.format("recovery: %,d versions of one key written in %.1f s (%d errors)", h, writeSeconds.get(h), rec.errorCount()));
      }
    }
    c.close();
    try (MeridianCluster again = MeridianCluster.start(spec, Map.of());
         S3AsyncClient s3 = again.target("meridian", "us-east-1").client(URIs.first(again), 16, o.sdkChecksums())) {
      timeHead(s3, warm);
      timeHead(s3, warm);
      for (int h : o.recoveryHistory()) {
        String bucket = "rec-" + h + "-" + runId;
        double first = timeHead(s3, bucket);
        double next = timeHead(s3, bucket);
        points.add(new RecoveryPoint(h, writeSeconds.get(h), first, next, first - next));
        text.append(String.format("  recovery of a bucket whose key has %,6d versions: first request %7.1f ms, next %6.1f ms%n",
            h, first, next));
      }
    }
    return points;
  }

  private static double timeHead(S3AsyncClient s3, String bucket) {
    long t0 = System.nanoTime();
    s3.headObject(b -> b.bucket(bucket).key("k")).join();
    return (System.nanoTime() - t0) / 1e6;
  }

  /** Live heap of a fresh single node as buckets become active (each created and written once). */
  private List<HeapPoint> heap(MeridianCluster.Spec spec) throws Exception {
    List<HeapPoint> points = new ArrayList<>();
    if (o.heapBuckets().isEmpty()) return points;
    try (MeridianCluster c = MeridianCluster.start(spec, Map.of());
         S3AsyncClient s3 = c.target("meridian", "us-east-1").client(URIs.first(c), 64, o.sdkChecksums())) {
      Long pid = c.nodePids().values().stream().findFirst()
          .orElseThrow(() -> new IllegalStateException("no node process found to attach to"));
      try (JvmProbe probe = JvmProbe.attach(pid)) {
        s3.listBuckets().join();
        points.add(new HeapPoint(0, probe.liveHeapAfterGc() / 1048576.0, 0));
        text.append(String.format("  live heap with %,5d active buckets: %6.1f MiB%n", 0, points.get(0).liveHeapMiB()));
        int have = 0;
        for (int target : o.heapBuckets()) {
          int from = have;
          long t0 = System.nanoTime();
          OpRecorder rec = new OpRecorder();
          ClosedLoop.run(16, Duration.ofMinutes(20), target - from, Duration.ofMinutes(2), n -> {
            String b = "heap-" + (from + n) + "-" + runId;
            return s3.createBucket(r -> r.bucket(b)).thenCompose(x -> Requests.put(s3, b, "k", data, 16));
          }, rec);
          have = target;
          double secs = (System.nanoTime() - t0) / 1e9;
          double live = probe.liveHeapAfterGc() / 1048576.0;
          points.add(new HeapPoint(target, live, secs));
          text.append(String.format("  live heap with %,5d active buckets: %6.1f MiB (created in %.0f s, %d errors)%n",
              target, live, secs, rec.errorCount()));
        }
      }
    }
    return points;
  }

  /** The first S3 endpoint of a cluster's first region. */
  static final class URIs {
    static java.net.URI first(MeridianCluster c) {
      return c.s3Endpoints(c.spec().regions().get(0)).get(0);
    }
  }

  private static void say(String s) {
    System.out.println("[bench] " + s);
    System.out.flush();
  }
}
