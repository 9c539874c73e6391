package dev.meridian.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the cells of all rounds into the summary per workload, size and concurrency: per target the
 * median over rounds of throughput and of each latency percentile, the largest max, total errors; and the
 * Meridian/reference ratios (median of the per-round paired ratios for throughput, ratio of medians for
 * p99). Writes everything as JSON and prints the short table.
 */
final class Report {

  /** One target's numbers for a grid point, over the rounds. */
  record PerTarget(int rounds, long ops, long errors, double opsPerSec, double mibPerSec, double p50Ms, double p90Ms,
      double p99Ms, double p999Ms, double maxMs, Double serverHeapMaxMiB, Double serverOldGenMaxMiB,
      Double serverLiveHeapMiB, Double serverCpuMsPerOp, Double loadgenCpuMsPerOp) {}

  /** A grid point: workload, size, concurrency; per target; ratios Meridian / reference. */
  record Row(String workload, String size, int concurrency, Map<String, PerTarget> targets, double throughputRatio,
      double p99Ratio) {}

  static List<Row> rows(List<S3Suite.Cell> cells, String meridian, String reference) {
    Map<String, List<S3Suite.Cell>> byPoint = new LinkedHashMap<>();
    for (S3Suite.Cell c : cells) {
      if (c.round() < 1) continue;
      byPoint.computeIfAbsent(c.workload() + "|" + c.size() + "|" + c.concurrency(), k -> new ArrayList<>()).add(c);
    }
    List<Row> rows = new ArrayList<>();
    byPoint.forEach((k, list) -> {
      Map<String, PerTarget> per = new LinkedHashMap<>();
      Map<String, List<Double>> tput = new LinkedHashMap<>();
      for (S3Suite.Cell c : list) {
        tput.computeIfAbsent(c.target(), x -> new ArrayList<>()).add(c.summary().opsPerSec());
      }
      for (String target : tput.keySet()) {
        List<S3Suite.Cell> mine = list.stream().filter(c -> c.target().equals(target)).toList();
        per.put(target, new PerTarget(mine.size(),
            mine.stream().mapToLong(c -> c.summary().ops()).sum(),
            mine.stream().mapToLong(c -> c.summary().errors()).sum(),
            med(mine, c -> c.summary().opsPerSec()), med(mine, c -> c.summary().mibPerSec()),
            med(mine, c -> c.summary().p50Ms()), med(mine, c -> c.summary().p90Ms()),
            med(mine, c -> c.summary().p99Ms()), med(mine, c -> c.summary().p999Ms()),
            mine.stream().mapToDouble(c -> c.summary().maxMs()).filter(Double::isFinite).max().orElse(Double.NaN),
            mine.stream().map(S3Suite.Cell::serverHeapMaxMiB).filter(Objects::nonNull).max(Double::compare).orElse(null),
            mine.stream().map(S3Suite.Cell::serverOldGenMaxMiB).filter(Objects::nonNull).max(Double::compare).orElse(null),
            mine.stream().map(S3Suite.Cell::serverLiveHeapMiB).filter(Objects::nonNull).max(Double::compare).orElse(null),
            medianOf(mine, S3Suite.Cell::serverCpuMsPerOp), medianOf(mine, S3Suite.Cell::loadgenCpuMsPerOp)));
      }
      S3Suite.Cell first = list.get(0);
      double ratio = Double.NaN, p99 = Double.NaN;
      if (reference != null && tput.containsKey(meridian) && tput.containsKey(reference)) {
        ratio = Stats.pairedRatio(tput.get(meridian), tput.get(reference));
        p99 = Stats.ratio(per.get(meridian).p99Ms(), per.get(reference).p99Ms());
      }
      rows.add(new Row(first.workload(), first.size(), first.concurrency(), per, ratio, p99));
    });
    return rows;
  }

  private static double med(List<S3Suite.Cell> cells, java.util.function.ToDoubleFunction<S3Suite.Cell> f) {
    return Stats.median(cells.stream().map(c -> f.applyAsDouble(c)).toList());
  }

  /** The median of a value that cells may lack (null when none has it). */
  private static Double medianOf(List<S3Suite.Cell> cells, java.util.function.Function<S3Suite.Cell, Double> f) {
    List<Double> values = cells.stream().map(f).filter(Objects::nonNull).toList();
    return values.isEmpty() ? null : Stats.median(values);
  }

  /** The table: one line per grid point and target, the ratio on the Meridian line. */
  static String table(List<Row> rows, String meridian) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%-7s %-6s %4s %-9s %9s %9s %8s %8s %8s %8s %9s %6s %7s %17s %15s%n", "op", "size", "conc", "target",
        "ops/s", "MiB/s", "p50 ms", "p90 ms", "p99 ms", "p99.9", "max ms", "errors", "x ref", "heap/old/live MiB",
        "cpu ms/op s/g"));
    for (Row r : rows) {
      for (var e : r.targets().entrySet()) {
        PerTarget t = e.getValue();
        boolean m = e.getKey().equals(meridian);
        b.append(String.format("%-7s %-6s %4d %-9s %9.1f %9.2f %8.1f %8.1f %8.1f %8.1f %9.1f %6d %7s %17s %15s%n",
            r.workload(), r.size(), r.concurrency(), e.getKey(), t.opsPerSec(), t.mibPerSec(), t.p50Ms(), t.p90Ms(),
            t.p99Ms(), t.p999Ms(), t.maxMs(), t.errors(),
            m && Double.isFinite(r.throughputRatio()) ? String.format("%.2f", r.throughputRatio()) : "",
            t.serverHeapMaxMiB() == null ? "" : String.format("%.0f/%.0f/%s", t.serverHeapMaxMiB(), t.serverOldGenMaxMiB(),
                t.serverLiveHeapMiB() == null ? "-" : String.format("%.0f", t.serverLiveHeapMiB())),
            t.serverCpuMsPerOp() == null ? "" : String.format("%.2f/%.2f", t.serverCpuMsPerOp(), t.loadgenCpuMsPerOp())));
      }
    }
    return b.toString();
  }

  /**
   * Re-aggregates the S3 cells of a results file, optionally over some rounds only (e.g. when an outage of
   * shared infrastructure spoiled a round): {@code Report FILE.json [--rounds 1,2] [--workloads GET,LIST]}.
   */
  public static void main(String[] args) throws IOException {
    ObjectMapper json = new ObjectMapper().configure(
        com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    var root = json.readTree(Path.of(args[0]).toFile());
    java.util.Set<Integer> rounds = null;
    for (int i = 1; i + 1 < args.length; i += 2) {
      if (args[i].equals("--rounds")) rounds = new java.util.HashSet<>(BenchOptions.ints(args[i + 1]));
    }
    List<S3Suite.Cell> cells = new ArrayList<>();
    for (var n : root.path("s3").path("cells")) {
      S3Suite.Cell c = json.treeToValue(n, S3Suite.Cell.class);
      if (rounds == null || rounds.contains(c.round())) cells.add(c);
    }
    String reference = root.path("s3").path("reference").isNull() ? null
        : cells.stream().map(S3Suite.Cell::target).filter(t -> !t.equals("meridian")).findFirst().orElse(null);
    List<Row> rows = rows(cells, "meridian", reference);
    System.out.print(table(rows, "meridian"));
    for (Targets.Check c : Targets.s3(rows)) System.out.println("  " + c);
  }

  static void write(Path json, Object document, String text) throws IOException {
    Files.createDirectories(json.getParent());
    new ObjectMapper().registerModule(new JavaTimeModule()).enable(SerializationFeature.INDENT_OUTPUT)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS).writeValue(json.toFile(), document);
    String name = json.getFileName().toString();
    Path txt = json.resolveSibling(name.endsWith(".json") ? name.substring(0, name.length() - 5) + ".txt" : name + ".txt");
    Files.writeString(txt, text);
    System.out.println("[bench] results: " + json + " and " + txt);
  }
}
