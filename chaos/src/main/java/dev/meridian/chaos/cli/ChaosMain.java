package dev.meridian.chaos.cli;

import dev.meridian.chaos.scenario.RunConfig;
import dev.meridian.chaos.scenario.Scenario;
import dev.meridian.chaos.scenario.ScenarioRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code bin/chaos <scenario|all> [options]}: runs named failure-injection scenarios against a real local
 * Meridian cluster, one after the other, and prints each verdict. Exit code 0 when every scenario that ran
 * passed (skipped ones are listed as such), 1 when one failed, 2 on bad usage.
 */
public final class ChaosMain {

  static final String USAGE = """
      usage: bin/chaos <scenario|all> [--duration 120s] [--seed N] [--out DIR] [--drain 180s]
                       [--cassandra host:port[/dc]] [--max-error-rate 0.01] [--node-heap 384m] [--keep true]
                       [--plant drop-replica,drop-ack] [--node-env MERIDIAN_X=value ...]
        scenarios: %s
        --duration     how long the workload runs (faults are scheduled inside it); default 120s
        --seed         seeds the fault schedule and the workload; default random (printed)
        --out          where each run writes history.json, verdict.json, report.html and logs; default chaos-out
        --drain        how long replication may take to converge after healing; default 180s
        --cassandra    an external Cassandra for scenarios that do not kill Cassandra (also MERIDIAN_CASSANDRA);
                       default: the run starts its own
        --node-env     a MERIDIAN_* setting for every node (repeatable), e.g. to try a fix; recorded in the report
        --plant        test-only: damage the healed cluster behind the history's back (drop-replica, drop-ack
                       or both) and check again: the run passes only if the checker catches it
      """;

  private ChaosMain() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "chaos-logback.xml");
    }
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println(USAGE.formatted(String.join(", ", Scenario.ids())));
      System.exit(args.length == 0 ? 2 : 0);
    }
    List<RunConfig> runs;
    try {
      runs = parse(args, System.getenv("MERIDIAN_CASSANDRA"));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE.formatted(String.join(", ", Scenario.ids())));
      System.exit(2);
      return;
    }
    List<ScenarioRunner.Result> results = new ArrayList<>();
    for (RunConfig cfg : runs) {
      try {
        results.add(new ScenarioRunner(cfg).run());
      } catch (Exception e) {
        System.out.println("   ERROR: " + cfg.scenario().id + " could not run: " + e);
        e.printStackTrace();
        results.add(new ScenarioRunner.Result(cfg.scenario(), null, null, false, cfg.out(), null));
      }
    }
    System.out.println("\n== chaos summary");
    boolean ok = true;
    for (ScenarioRunner.Result r : results) {
      String line = r.skipped() != null ? "SKIPPED " + r.scenario().id + ": " + r.skipped()
          : r.verdict() == null ? "ERROR   " + r.scenario().id + " (see the output above)"
          : r.verdict().headline() + (r.planted() == null ? "" : r.plantedCaught() ? "; planted fault caught"
              : "; planted fault NOT caught");
      System.out.println("   " + line + (r.dir() != null && r.verdict() != null ? "  " + r.dir().resolve("report.html") : ""));
      ok &= r.verdict() != null || r.skipped() != null;
      ok &= r.passed();
    }
    System.exit(ok ? 0 : 1);
  }

  /** The runs the arguments ask for ({@code all}: every scenario in order, with the same options). */
  static List<RunConfig> parse(String[] args, String envCassandra) {
    Map<String, String> o = new LinkedHashMap<>();
    Map<String, String> nodeEnv = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("bad option: " + a);
      String value = args[++i];
      if (a.equals("--node-env")) {
        int eq = value.indexOf('=');
        if (eq <= 0 || !value.startsWith("MERIDIAN_")) throw new IllegalArgumentException("--node-env wants MERIDIAN_X=value");
        nodeEnv.put(value.substring(0, eq), value.substring(eq + 1));
      } else {
        o.put(a.substring(2), value);
      }
    }
    for (String k : o.keySet()) {
      if (!List.of("duration", "seed", "out", "drain", "cassandra", "max-error-rate", "node-heap", "keep", "plant").contains(k)) {
        throw new IllegalArgumentException("unknown option --" + k);
      }
    }
    List<Scenario> scenarios = new ArrayList<>();
    if (args[0].equals("all")) scenarios.addAll(List.of(Scenario.values()));
    else scenarios.add(Scenario.byId(args[0]).orElseThrow(() -> new IllegalArgumentException("unknown scenario " + args[0])));
    long seed = o.containsKey("seed") ? Long.parseLong(o.get("seed")) : ThreadLocalRandom.current().nextLong(1, 1_000_000);
    Duration duration = duration(o.getOrDefault("duration", "120s"));
    if (duration.toSeconds() < 20) throw new IllegalArgumentException("--duration must be at least 20s");
    String cassandra = o.getOrDefault("cassandra", envCassandra == null || envCassandra.isBlank() ? null : envCassandra);
    String plant = o.get("plant");
    if (plant != null && !List.of("drop-replica", "drop-ack").containsAll(List.of(plant.split(",")))) {
      throw new IllegalArgumentException("--plant takes drop-replica, drop-ack or both, comma-separated");
    }
    List<RunConfig> runs = new ArrayList<>();
    for (Scenario s : scenarios) {
      runs.add(new RunConfig(s, seed, duration, duration(o.getOrDefault("drain", "180s")),
          Path.of(o.getOrDefault("out", "chaos-out")), cassandra, Boolean.parseBoolean(o.getOrDefault("keep", "false")),
          plant, Double.parseDouble(o.getOrDefault("max-error-rate", "0.01")), o.getOrDefault("node-heap", "384m"),
          Map.copyOf(nodeEnv)));
    }
    return runs;
  }

  /** {@code 90s}, {@code 2m}, {@code 1h} or plain seconds. */
  static Duration duration(String s) {
    String t = s.trim().toLowerCase();
    try {
      if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      if (t.endsWith("s")) return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      if (t.endsWith("m")) return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      if (t.endsWith("h")) return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
      return Duration.ofSeconds(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad duration " + s);
    }
  }
}
