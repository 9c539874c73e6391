package dev.meridian.chaos.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meridian.chaos.checker.Observation;
import dev.meridian.chaos.checker.Verdict;
import dev.meridian.chaos.history.BucketPlan;
import dev.meridian.chaos.history.History;
import dev.meridian.chaos.nemesis.FaultPlan;
import dev.meridian.chaos.scenario.RunConfig;
import dev.meridian.chaos.scenario.Scenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's files: {@code history.json} (configuration, schedule, fault windows, every request, lag
 * samples and the final observation), {@code verdict.json} and {@code report.html} (see {@link HtmlReport}).
 */
public final class Reports {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Reports() {}

  public static Map<String, Object> config(RunConfig cfg) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("scenario", cfg.scenario().id);
    c.put("description", cfg.scenario().description);
    c.put("seed", cfg.seed());
    c.put("durationSeconds", cfg.duration().toSeconds());
    c.put("drainSeconds", cfg.drain().toSeconds());
    c.put("cassandra", cfg.cassandra() == null ? "the run's own" : cfg.cassandra());
    c.put("maxErrorRate", cfg.maxErrorRate());
    c.put("nodeHeap", cfg.nodeHeap());
    c.put("plant", cfg.plant());
    c.put("nodeEnv", cfg.nodeEnv());
    StringBuilder env = new StringBuilder();
    cfg.nodeEnv().forEach((k, v) -> env.append(" --node-env ").append(k).append('=').append(v));
    c.put("reproduce", "bin/chaos " + cfg.scenario().id + " --seed " + cfg.seed() + " --duration " + cfg.duration().toSeconds()
        + "s" + env);
    return c;
  }

  public static void write(Path dir, RunConfig cfg, List<FaultPlan> schedule, BucketPlan buckets, History history,
      Observation obs, Verdict verdict, String plantedWhat, Verdict planted, boolean plantedCaught) throws IOException {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("config", config(cfg));
    Map<String, String> nodeEnv = new LinkedHashMap<>(dev.meridian.chaos.scenario.ScenarioRunner.NODE_ENV);
    nodeEnv.putAll(cfg.nodeEnv());
    h.put("nodeSettings", nodeEnv);
    h.put("epochStartMs", history.epochStartMs());
    h.put("schedule", schedule);
    h.put("faults", history.faults());
    h.put("exitedByThemselves", history.exits());
    h.put("buckets", buckets);
    h.put("ops", history.ops());
    h.put("lag", history.lagSamples());
    h.put("observation", obs);
    JSON.writeValue(dir.resolve("history.json").toFile(), h);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("verdict", verdict);
    if (planted != null) {
      v.put("planted", Map.of("what", plantedWhat, "caught", plantedCaught, "verdict", planted));
    }
    JSON.writeValue(dir.resolve("verdict.json").toFile(), v);
    String html = HtmlReport.render(cfg, schedule, history, Timeline.of(history.ops(), history.lagSamples()), verdict,
        plantedWhat, planted, plantedCaught);
    Files.writeString(dir.resolve("report.html"), html, StandardCharsets.UTF_8);
  }

  /** A scenario that could not run here: the verdict says SKIPPED and why. */
  public static void writeSkipped(Path dir, Scenario sc, RunConfig cfg, List<FaultPlan> schedule, String why)
      throws IOException {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("verdict", Map.of("scenario", sc.id, "seed", cfg.seed(), "skipped", why));
    v.put("schedule", schedule);
    JSON.writeValue(dir.resolve("verdict.json").toFile(), v);
    Files.writeString(dir.resolve("report.html"), "<!doctype html><meta charset=utf-8><title>" + sc.id
        + " skipped</title><h1>" + sc.id + ": SKIPPED</h1><p>" + HtmlReport.esc(why) + "</p>", StandardCharsets.UTF_8);
  }
}
