package dev.meridian.chaos.scenario;

import dev.meridian.chaos.checker.Availability;
import dev.meridian.chaos.checker.Checker;
import dev.meridian.chaos.checker.Observation;
import dev.meridian.chaos.checker.Observer;
import dev.meridian.chaos.checker.Verdict;
import dev.meridian.chaos.checker.Violation;
import dev.meridian.chaos.cluster.ChaosCluster;
import dev.meridian.chaos.cluster.Netns;
import dev.meridian.chaos.cluster.Network;
import dev.meridian.chaos.cluster.Ports;
import dev.meridian.chaos.cluster.ProcessLedger;
import dev.meridian.chaos.cluster.Storage;
import dev.meridian.chaos.cluster.Topology;
import dev.meridian.chaos.history.BucketPlan;
import dev.meridian.chaos.history.History;
import dev.meridian.chaos.history.Op;
import dev.meridian.chaos.nemesis.FaultPlan;
import dev.meridian.chaos.nemesis.Nemesis;
import dev.meridian.chaos.nemesis.NemesisRunner;
import dev.meridian.chaos.nemesis.Schedule;
import dev.meridian.chaos.report.Reports;
import dev.meridian.chaos.workload.LagProbe;
import dev.meridian.chaos.workload.Requests;
import dev.meridian.chaos.workload.Setup;
import dev.meridian.chaos.workload.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs one scenario end to end: starts the cluster it needs, creates the buckets, runs the workload with the
 * lag probe while the nemesis plays the schedule, makes sure everything is healed, waits (bounded) for
 * replication to drain, reads the final state, judges it, and writes the history, verdict and report.
 * Every process and namespace it created is removed at the end, on failure and on Ctrl-C too.
 */
public final class ScenarioRunner {

  private static final Logger log = LoggerFactory.getLogger(ScenarioRunner.class);
  static final List<String> REGIONS = List.of("us-east-1", "us-west-2");
  static final int NODES_PER_REGION = 2;
  /** Traffic on the healed cluster after the last fault recovered, at least. */
  static final Duration AFTER_RECOVERY = Duration.ofSeconds(15);
  /**
   * Settings every node of a run gets: the Split Brain Resolver decides after 5 s (as the multi-region
   * tests do; default 20 s), and multipart parts may be 64 KiB so that uploads stay small on a small box.
   */
  public static final Map<String, String> NODE_ENV = Map.of("MERIDIAN_SBR_STABLE_AFTER", "5s",
      "MERIDIAN_MIN_PART_SIZE", "65536");

  /** What a run produced: the verdict, the planted-fault verdict if any, where the files are, or why it was skipped. */
  public record Result(Scenario scenario, Verdict verdict, Verdict planted, boolean plantedCaught, Path dir,
      String skipped) {
    public boolean passed() {
      return skipped != null || (verdict != null && verdict.pass() && (planted == null || plantedCaught));
    }
  }

  private final RunConfig cfg;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private java.util.function.Supplier<List<String>> startFailures = List::of;

  public ScenarioRunner(RunConfig cfg) {
    this.cfg = cfg;
  }

  public static List<FaultPlan> schedule(RunConfig cfg) {
    return Schedule.plan(cfg.scenario().id, cfg.seed(), cfg.duration().toMillis(), REGIONS, NODES_PER_REGION);
  }

  public Result run() throws Exception {
    Scenario sc = cfg.scenario();
    Path dir = cfg.out().resolve(sc.id + "-seed" + cfg.seed()).toAbsolutePath();
    Files.createDirectories(dir);
    List<FaultPlan> plan = schedule(cfg);
    say("== " + sc.id + ": " + sc.description);
    say("   seed " + cfg.seed() + ", workload " + cfg.duration().toSeconds() + " s, drain up to " + cfg.drain().toSeconds()
        + " s, output " + dir);
    for (FaultPlan f : plan) say("   schedule: " + f);
    if (sc.needs == Scenario.Needs.NETNS) {
      Optional<String> why = Netns.unsupported();
      if (why.isPresent()) {
        say("   SKIPPED: " + why.get());
        Reports.writeSkipped(dir, sc, cfg, plan, why.get());
        return new Result(sc, null, null, false, dir, why.get());
      }
    }
    Thread hook = new Thread(this::closeAll, "chaos-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return runCluster(dir, plan);
    } finally {
      closeAll();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // already shutting down: the hook runs closeAll, which is idempotent
      }
    }
  }

  private Result runCluster(Path dir, List<FaultPlan> plan) throws Exception {
    String runId = Long.toHexString(ThreadLocalRandom.current().nextLong(0x100000000L, 0xfffffffffL));
    String prefix = "chaos_" + runId;
    Ports ports = new Ports();
    ProcessLedger ledger = new ProcessLedger(dir.resolve("pids"));
    Files.deleteIfExists(ledger.file());
    deleteOldLogs(dir.resolve("logs"));
    Netns netns = null;
    Topology topology;
    Storage storage;
    long t0 = System.nanoTime();
    Path data = Files.createDirectories(dir.resolve("data"));
    switch (cfg.scenario().needs) {
      case NETNS -> {
        netns = Netns.create(runId, ledger);
        toClose.add(netns);
        storage = Storage.embedded(data.resolve("cassandra"), netns.storageAddress(), REGIONS, prefix, ports, ledger);
        topology = netns.topology(REGIONS, NODES_PER_REGION, ports);
      }
      case CASSANDRA_PER_REGION -> {
        storage = Storage.perRegion(data, REGIONS, prefix, ports, ledger);
        topology = Topology.loopback(REGIONS, NODES_PER_REGION, ports);
      }
      default -> {
        storage = cfg.cassandra() != null ? Storage.external(cfg.cassandra(), REGIONS, prefix)
            : Storage.embedded(data.resolve("cassandra"), "127.0.0.1", REGIONS, prefix, ports, ledger);
        topology = Topology.loopback(REGIONS, NODES_PER_REGION, ports);
      }
    }
    Storage st = storage;
    toClose.add(0, () -> st.close(cfg.keep()));
    say("   storage: " + storage.description());
    Map<String, String> nodeEnv = new LinkedHashMap<>(NODE_ENV);
    nodeEnv.putAll(cfg.nodeEnv());
    ChaosCluster cluster = new ChaosCluster(topology, storage, dir.resolve("logs"), ledger, cfg.nodeHeap(), nodeEnv);
    toClose.add(0, cluster);
    startFailures = cluster::startFailures;
    cluster.startAll();
    say("   cluster of " + topology.slots().size() + " node processes up after " + (System.nanoTime() - t0) / 1_000_000_000
        + " s: " + topology.slots().stream().map(s -> s.name() + "@" + s.endpoint()).toList());

    BucketPlan buckets = BucketPlan.standard(REGIONS.get(0), REGIONS.get(1), runId);
    try (IamClient iam = cluster.iam(cluster.nodesOf(buckets.buckets().get(0).region()).get(0))) {
      Setup.create(buckets, iam, r -> cluster.reliable(cluster.nodesOf(r).get(0)));
    }
    History history = new History();
    Requests requests = new Requests(history, cfg.seed());
    Workload workload = new Workload(buckets, requests, Workload.Settings.standard(), cfg.seed(),
        (region, n) -> via(cluster, region, n));
    String src = buckets.buckets().get(0).name();
    List<LagProbe.Destination> watched = buckets.rulesFrom(src).stream()
        .map(r -> new LagProbe.Destination(r.id(), r.destination(), buckets.home(r.destination()))).toList();
    LagProbe probe = new LagProbe(history, requests, src, watched, n -> via(cluster, buckets.home(src), n),
        (region, n) -> quick(cluster, region, n));
    NemesisRunner nemesis = new NemesisRunner(plan, new Nemesis(cluster, netns, ledger, history), history, 0);
    Thread watcher = watchExits(cluster, history);
    workload.start();
    probe.start();
    nemesis.start();
    say("   workload running ...");
    Thread.sleep(cfg.duration().toMillis());
    // Faults end inside the run, but killed nodes can take long to serve again on a busy machine: the workload
    // goes on until every fault has recovered and then AFTER_RECOVERY longer, so the healed cluster is exercised.
    if (!nemesis.await(Duration.ofMinutes(5).toMillis())) notes.add("the nemesis had not finished healing 5 minutes after the workload");
    long lastRecovery = history.faults().stream().mapToLong(f -> Math.max(f.end(), f.recovered())).max().orElse(0);
    Thread.sleep(Math.max(0, lastRecovery + AFTER_RECOVERY.toMillis() - history.now()));
    workload.stop();
    probe.stopWriting();
    say("   workload done after " + history.now() / 1000 + " s: " + history.ops().size() + " requests");
    healEverything(cluster, netns, history);

    long drainStart = history.now();
    int owedAtStart = probe.owed();
    Observer observer = new Observer(buckets, r -> cluster.nodesOf(r).get(0).endpoint(),
        r -> cluster.reliable(cluster.nodesOf(r).get(0)));
    Observation finalObs = drain(buckets, history, observer, drainStart);
    long converged = finalObs == null ? -1 : history.now() - drainStart;
    if (finalObs == null) finalObs = observer.read();
    probe.stop();
    watcher.interrupt();
    say("   drain: " + (converged < 0 ? "NOT converged within " + cfg.drain().toSeconds() + " s" : "converged after "
        + converged + " ms") + " (" + owedAtStart + " probe versions owed when it began)");

    List<Op> ops = history.ops();
    Verdict.Drain drain = new Verdict.Drain(drainStart, converged, cfg.drain().toMillis(), owedAtStart);
    Verdict verdict = judge(buckets, history, ops, finalObs, drain, nemesis.errors());
    Reports.write(dir, cfg, plan, buckets, history, finalObs, verdict, null, null, false);
    say("   " + verdict.headline());
    Verdict planted = null;
    boolean caught = false;
    if (cfg.plant() != null) {
      List<Planting.Planted> done = Planting.plantAll(cfg.plant(), buckets, ops, finalObs,
          r -> cluster.reliable(cluster.nodesOf(r).get(0)));
      String what = String.join("; ", done.stream().map(Planting.Planted::what).toList());
      say("   planted (test-only switch): " + what);
      Observation after = observer.read();
      planted = judge(buckets, history, ops, after, drain, List.of());
      caught = Planting.caught(done, planted);
      Reports.write(dir, cfg, plan, buckets, history, finalObs, verdict, what, planted, caught);
      say("   planted fault " + (caught ? "caught: " : "NOT caught: ") + planted.headline());
    }
    say("   report: " + dir.resolve("report.html"));
    return new Result(cfg.scenario(), verdict, planted, caught, dir, null);
  }

  private Verdict judge(BucketPlan buckets, History history, List<Op> ops, Observation obs, Verdict.Drain drain,
      List<String> nemesisErrors) {
    List<Violation> violations = new ArrayList<>(Checker.check(buckets, ops, obs, history.epochStartMs()));
    var phases = Availability.stats(buckets, ops, history.faults());
    violations.addAll(Availability.check(phases, cfg.maxErrorRate()));
    history.exits().forEach((node, at) -> violations.add(new Violation(Violation.Kind.NODE_EXITED, node, null, null,
        "process gone at " + at + " ms without the nemesis killing it; see logs/" + node + ".log")));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("requests", ops.stream().collect(Collectors.groupingBy(o -> o.type() + " " + o.outcome(), java.util.TreeMap::new,
        Collectors.counting())));
    summary.put("versions", obs.buckets().values().stream().collect(Collectors.toMap(b -> b.bucket(),
        b -> b.error() == null ? b.versions().size() : -1, (a, b) -> a, LinkedHashMap::new)));
    summary.put("nemesisErrors", nemesisErrors);
    List<String> allNotes = new ArrayList<>(notes);
    allNotes.addAll(startFailures.get());
    summary.put("notes", allNotes);
    return Verdict.of(cfg.scenario().id, cfg.seed(), violations, phases, drain, summary);
  }

  /**
   * Polls listings until every eligible version is in every destination, then reads everything until no
   * version is PENDING; returns that final read, or null when the drain bound passed first.
   */
  private Observation drain(BucketPlan buckets, History history, Observer observer, long start) throws Exception {
    List<Op> ops = history.ops();
    long bound = start + cfg.drain().toMillis();
    while (history.now() < bound) {
      if (Checker.replicationConverged(buckets, ops, observer.list(), history.epochStartMs())) {
        Observation read = observer.read();
        if (Checker.replicationConverged(buckets, ops, read, history.epochStartMs())) return read;
      }
      Thread.sleep(2000);
    }
    return null;
  }

  /** After the schedule: every node running and thawed, the link healthy; anything that needed doing is noted. */
  private void healEverything(ChaosCluster cluster, Network network, History history) throws Exception {
    if (network != null) network.restore();
    for (Topology.Slot s : cluster.nodes()) cluster.thaw(s);
    for (String region : REGIONS) {
      List<String> dead = cluster.nodesOf(region).stream().filter(s -> !cluster.alive(s)).map(Topology.Slot::name).toList();
      cluster.exitedByThemselves().forEach(s -> history.exited(s.name()));
      if (!dead.isEmpty()) {
        notes.add("after the schedule, nodes " + dead + " were not running (exited by themselves: see their logs); restarted");
        new Nemesis(cluster, network, null, history).restartDead(region);
      }
    }
    List<String> notUp = cluster.awaitAllSeeAllUp(Duration.ofSeconds(120));
    if (!notUp.isEmpty()) notes.add("120 s after healing, not every node saw every node Up and reachable: " + notUp);
  }

  /** Notes, once a second, nodes whose process exited although nothing killed them. */
  private static Thread watchExits(ChaosCluster cluster, History history) {
    Thread t = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        cluster.exitedByThemselves().forEach(s -> history.exited(s.name()));
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "chaos-exit-watch");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void deleteOldLogs(Path logs) throws java.io.IOException {
    if (!Files.isDirectory(logs)) return;
    try (var files = Files.list(logs)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".log")).toList()) Files.delete(p);
    }
  }

  /** Round robin over the region's nodes: the n-th request of a client of {@code region}. */
  static Requests.Via via(ChaosCluster cluster, String region, int n) {
    List<Topology.Slot> nodes = cluster.nodesOf(region);
    Topology.Slot s = nodes.get(Math.floorMod(n, nodes.size()));
    return new Requests.Via(s.name(), region, cluster.client(s));
  }

  private static S3Client quick(ChaosCluster cluster, String region, int n) {
    List<Topology.Slot> nodes = cluster.nodesOf(region);
    return cluster.quick(nodes.get(Math.floorMod(n, nodes.size())));
  }

  private synchronized void closeAll() {
    for (AutoCloseable c : toClose) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("cleanup: {}", e.toString());
      }
    }
    toClose.clear();
  }

  static void say(String s) {
    System.out.println(s);
    System.out.flush();
  }
}
