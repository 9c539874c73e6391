package dev.meridian.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The benchmark command (bin/bench): starts what it measures (a Meridian through the project's launcher,
 * s3proxy as the reference) unless given URLs, runs the selected suites (s3: the workload grid against
 * both, alternating; replication: lag and backlog drain on a two-region Meridian; scaling: throughput
 * against nodes per region, bucket-actor recovery, heap against active buckets), writes the results as JSON
 * plus a table, and stops everything it started.
 */
public final class BenchMain {

  private final BenchOptions o;
  private final String runId = Long.toString(System.currentTimeMillis() / 1000, 36);
  private final Path runDir;
  private final Map<String, Object> doc = new LinkedHashMap<>();
  private final StringBuilder text = new StringBuilder();

  BenchMain(BenchOptions o) {
    this.o = o;
    this.runDir = o.out().getParent().resolve("run-" + runId);
  }

  public static void main(String[] args) throws Exception {
    BenchOptions o;
    try {
      o = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    int status = new BenchMain(o).run();
    System.exit(status);
  }

  int run() throws Exception {
    Files.createDirectories(runDir);
    doc.put("run", runId);
    doc.put("startedAt", Instant.now().toString());
    doc.put("machine", machine());
    doc.put("options", o);
    text.append(header());
    int status = 0;
    try {
      if (o.suites().contains("s3")) s3Suite();
      if (o.suites().contains("replication")) replicationSuite();
      if (o.suites().contains("scaling")) scalingSuite();
    } catch (Exception e) {
      status = 1;
      doc.put("failure", String.valueOf(e));
      say("FAILED: " + e);
      e.printStackTrace();
    } finally {
      dropKeyspaces();
      doc.put("finishedAt", Instant.now().toString());
      doc.put("load1AtEnd", S3Suite.loadAverage());
      Report.write(o.out(), doc, text.toString());
      if (!o.keepData()) deleteTree(runDir.resolve("s3proxy").resolve("data"));
    }
    System.out.println();
    System.out.println(text);
    return status;
  }

  // ---- s3 suite ----

  private void s3Suite() throws Exception {
    MeridianCluster.Spec spec = spec(List.of("us-east-1"), 1, "s3");
    List<AutoCloseable> started = new ArrayList<>();
    List<S3Suite.TargetRun> targets = new ArrayList<>();
    S3Suite suite = new S3Suite(o);
    List<JvmProbe> meridianProbes = new ArrayList<>();
    try {
      S3Target meridian;
      HeapSampler meridianHeap = null;
      CpuMeter meridianCpu = null;
      if (o.meridian().equals("auto")) {
        checkPorts(spec);
        MeridianCluster c = MeridianCluster.start(spec, Map.of());
        started.add(0, c);
        meridian = c.target("meridian", "us-east-1");
        meridianProbes.addAll(probes(c.nodePids().values()));
        meridianHeap = meridianProbes.isEmpty() ? null : new HeapSampler(meridianProbes);
        meridianCpu = new CpuMeter(c.processes());
      } else {
        meridian = new S3Target("meridian", URI.create(o.meridian()), MeridianCluster.ACCESS_KEY,
            MeridianCluster.SECRET_KEY, "us-east-1");
      }
      targets.add(new S3Suite.TargetRun(meridian, o, runId, meridianHeap, meridianCpu));
      String reference = null;
      if (o.reference().equals("s3proxy")) {
        int port = o.basePort() + 300;
        checkPort(port);
        S3Proxy p = S3Proxy.start(s3proxyJar(), port, runDir.resolve("s3proxy"), o.nodeHeap(), o.s3proxyProvider());
        started.add(0, p);
        List<JvmProbe> probe = probes(List.of(p.pid()));
        targets.add(new S3Suite.TargetRun(p.target(), o, runId, probe.isEmpty() ? null : new HeapSampler(probe),
            new CpuMeter(p.process())));
        reference = "s3proxy";
      } else if (!o.reference().equals("none")) {
        targets.add(new S3Suite.TargetRun(new S3Target("reference", URI.create(o.reference()), MeridianCluster.ACCESS_KEY,
            MeridianCluster.SECRET_KEY, "us-east-1"), o, runId, null, null));
        reference = "reference";
      }
      for (S3Suite.TargetRun t : targets) suite.prepare(t);
      // Recording from before the warm-up: starting JFR on a warm JVM throws compiled code away (a recompiling
      // storm for minutes on 2 cores); the summary counts only the rounds.
      if (o.jfr() != null) startJfr(meridianProbes);
      for (S3Suite.TargetRun t : targets) suite.warmUp(t);
      List<S3Suite.ScalingPoint> listScaling = new ArrayList<>();
      if (o.workloads().contains(BenchOptions.Workload.LIST)) {
        for (S3Suite.TargetRun t : targets) listScaling.addAll(suite.fillListBucket(t));
      }
      Instant roundsStart = Instant.now();
      suite.runRounds(targets);
      if (o.jfr() != null) stopJfr(meridianProbes, "s3", roundsStart);
      List<Report.Row> rows = Report.rows(suite.cells(), "meridian", reference);
      Map<String, Object> s3 = new LinkedHashMap<>();
      s3.put("meridian", meridian.endpoints().toString());
      s3.put("reference", reference == null ? null : targets.get(1).target.endpoints().toString());
      s3.put("summary", rows);
      s3.put("targets", Targets.s3(rows));
      s3.put("listScaling", listScaling);
      s3.put("cells", suite.cells());
      doc.put("s3", s3);
      text.append("\nS3 workloads (medians over ").append(o.rounds()).append(" rounds; x ref = Meridian/")
          .append(reference).append(" throughput, median of per-round ratios):\n")
          .append(Report.table(rows, "meridian"));
      text.append("\nLIST against bucket size (one page of 1,000 keys; full listing):\n");
      for (S3Suite.ScalingPoint p : listScaling) {
        text.append(String.format("  %-9s %,8d keys: page p50 %7.1f ms, p99 %7.1f ms; full listing %7.2f s (%d pages)%n",
            p.target(), p.keys(), p.pageP50Ms(), p.pageP99Ms(), p.fullListingSeconds(), p.fullListingPages()));
      }
      text.append("\nTargets:\n");
      for (Targets.Check c : Targets.s3(rows)) text.append("  ").append(c).append('\n');
      Report.write(o.out(), doc, text.toString());
    } finally {
      meridianProbes.forEach(JvmProbe::close);
      for (S3Suite.TargetRun t : targets) t.close();
      for (AutoCloseable c : started) c.close();
    }
  }

  // ---- replication suite ----

  private void replicationSuite() throws Exception {
    MeridianCluster.Spec spec = spec(List.of("us-east-1", "us-west-2"), 1, "repl");
    checkPorts(spec);
    try (MeridianCluster c = MeridianCluster.start(spec, Map.of())) {
      List<JvmProbe> probes = o.jfr() == null ? List.of() : probes(c.nodePids().values());
      Instant jfrFrom = Instant.now();
      startJfr(probes);
      ReplicationBench.Result r;
      try {
        r = new ReplicationBench(o, c, runId).run();
      } finally {
        if (o.jfr() != null) stopJfr(probes, "replication", jfrFrom);
        probes.forEach(JvmProbe::close);
      }
      doc.put("replication", r);
      text.append("\nReplication lag (PUT acknowledged -> listed in the destination; poll every ")
          .append((long) r.pollIntervalMs()).append(" ms):\n");
      for (ReplicationBench.Steady s : r.steady()) {
        text.append(String.format("  %-10s achieved %.1f PUT/s (%d errors, %d skipped), PUT p50 %.1f p99 %.1f ms, load %.1f-%.1f%n",
            s.rate(), s.achievedPerSec(), s.errors(), s.skipped(), s.put().p50Ms(), s.put().p99Ms(), s.load1Start(), s.load1End()));
        for (ReplicationBench.Lag l : s.lags()) text.append("    ").append(lagLine(l)).append('\n');
      }
      if (r.outage() != null) {
        ReplicationBench.Outage u = r.outage();
        text.append(String.format("  outage of %s for %.0f s at %s: backlog %,d objects (built at %.1f/s); %s in %.1f s: "
                + "net %.1f/s, gross %.1f/s delivered; drain/build = %.1fx; load %.1f-%.1f%n",
            r.dstRegion(), u.outageSeconds(), u.rate(), u.backlogAtResume(), u.buildPerSec(),
            u.drained() ? "drained" : "NOT drained", u.drainSeconds(), u.netDrainPerSec(), u.grossDeliveredPerSec(),
            u.drainToBuildRatio(), u.load1Start(), u.load1End()));
        text.append("    ").append(lagLine(u.crrAllObjects())).append('\n');
      }
      text.append("\nTargets:\n");
      for (Targets.Check k : Targets.replication(r)) text.append("  ").append(k).append('\n');
      Report.write(o.out(), doc, text.toString());
    }
  }

  private static String lagLine(ReplicationBench.Lag l) {
    return String.format("%-40s p50 %7.0f  p90 %7.0f  p99 %7.0f  p99.9 %7.0f  max %7.0f ms  (of %d acknowledged: %d not seen;"
            + " %d seen whose PUT failed on the client)",
        l.destination(), l.p50Ms(), l.p90Ms(), l.p99Ms(), l.p999Ms(), l.maxMs(), l.acked(), l.notSeen(), l.seenWithoutAck());
  }

  // ---- scaling suite ----

  private void scalingSuite() throws Exception {
    Scaling s = new Scaling(o, runId, runDir, this::spec);
    try {
      doc.put("scaling", s.run());
    } finally {
      text.append("\nScaling:\n").append(s.text());
      Report.write(o.out(), doc, text.toString());
    }
  }

  // ---- helpers ----

  MeridianCluster.Spec spec(List<String> regions, int nodesPerRegion, String tag) {
    return new MeridianCluster.Spec(regions, nodesPerRegion, o.nodeHeap(), o.cassandra(), o.basePort() + 400,
        o.cassandraDc(), o.basePort(), o.basePort() + 100, o.basePort() + 200, keyspacePrefix(),
        runDir.resolve("meridian-" + tag));
  }

  /**
   * One keyspace prefix for all suites of a run: creating keyspaces in a busy Cassandra takes minutes, a
   * restart on existing ones seconds. {@code --keyspace-prefix} reuses one across runs (never dropped).
   */
  private String keyspacePrefix() {
    return o.keyspacePrefix() != null ? o.keyspacePrefix() : "bench_" + runId;
  }

  private void dropKeyspaces() {
    if (o.keyspacePrefix() != null || o.keepData() || !o.meridian().equals("auto") && !o.suites().contains("replication")
        && !o.suites().contains("scaling")) {
      return;
    }
    MeridianCluster.dropKeyspaces(spec(List.of("us-east-1"), 1, "drop"));
  }

  private static List<JvmProbe> probes(java.util.Collection<Long> pids) {
    List<JvmProbe> out = new ArrayList<>();
    for (long pid : pids) {
      try {
        out.add(JvmProbe.attach(pid));
      } catch (Exception e) {
        say("no JMX view of pid " + pid + " (" + e.getMessage() + "): heap not sampled");
      }
    }
    return out;
  }

  private void startJfr(List<JvmProbe> probes) {
    for (JvmProbe p : probes) {
      try {
        p.startJfr();
      } catch (Exception e) {
        say("JFR not started on " + p.pid() + ": " + e.getMessage());
      }
    }
  }

  private void stopJfr(List<JvmProbe> probes, String tag, Instant from) throws IOException {
    Files.createDirectories(o.jfr());
    for (JvmProbe p : probes) {
      Path f = o.jfr().resolve("meridian-" + tag + "-" + runId + "-" + p.pid() + ".jfr");
      try {
        p.stopJfr(f);
        say("JFR recording: " + f);
        String summary = JfrSummary.summarize(f, 25, from);
        Files.writeString(f.resolveSibling(f.getFileName() + ".txt"), summary);
        System.out.println(summary);
      } catch (Exception e) {
        say("JFR not written for " + p.pid() + ": " + e.getMessage());
      }
    }
  }

  private static Path s3proxyJar() throws Exception {
    String prop = System.getProperty("bench.s3proxy.jar");
    if (prop != null) return Path.of(prop);
    Path classes = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return classes.getParent().resolve("reference").resolve("s3proxy.jar");
  }

  static void checkPorts(MeridianCluster.Spec spec) {
    for (var n : spec.nodes()) {
      checkPort(n.s3Port());
      checkPort(n.clusterPort());
      checkPort(n.managementPort());
    }
  }

  static void checkPort(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new IllegalStateException("port " + port + " is in use: choose another --base-port");
    }
  }

  private Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      m.put("cpu", lines.filter(l -> l.startsWith("model name")).map(l -> l.replaceFirst(".*:\\s*", "")).findFirst().orElse("?"));
    } catch (Exception e) {
      m.put("cpu", "?");
    }
    try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
      m.put("memory", lines.filter(l -> l.startsWith("MemTotal")).map(l -> l.replaceFirst(".*:\\s*", "")).findFirst().orElse("?"));
    } catch (Exception e) {
      m.put("memory", "?");
    }
    m.put("load1AtStart", S3Suite.loadAverage());
    return m;
  }

  private String header() {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) doc.get("machine");
    String s = String.format("Meridian benchmark %s: %s cores (%s), %s, %s; load average at start %.1f; cassandra %s%n",
        runId, m.get("cores"), m.get("cpu"), m.get("memory"), m.get("java"), (Double) m.get("load1AtStart"), o.cassandra());
    if (o.suites().contains("s3")) {
      s += String.format("S3: sizes %s; concurrency %s; %s per cell after %s warm-up; %d rounds; servers warmed for %s%n",
          o.sizes().stream().map(BenchOptions::sizeName).toList(), o.concurrency(), o.duration(), o.warmup(), o.rounds(),
          o.serverWarmup());
    }
    return s;
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      say("could not delete " + dir + ": " + e.getMessage());
    }
  }

  static void say(String s) {
    System.out.println("[bench] " + s);
    System.out.flush();
  }
}
