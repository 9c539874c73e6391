package dev.meridian.chaos;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.chaos.scenario.RunConfig;
import dev.meridian.chaos.scenario.Scenario;
import dev.meridian.chaos.scenario.ScenarioRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CI chaos run: the region-outage scenario, short, against real node processes (two regions, two nodes
 * each) and the Cassandra named by MERIDIAN_CASSANDRA (else one of its own). It asserts that the run writes
 * its history, verdict and report, that the verdict passes (nothing acknowledged lost, no divergence after
 * healing, the healthy region kept serving), and that the checker catches the faults the test-only switch
 * plants afterwards: a replica deleted from a destination and an acknowledged version deleted from its
 * source, both behind the history's back.
 *
 * <p>The seed makes the schedule take down us-east-1, the region of the first seed node: restarted, its
 * nodes must join the cluster that lived on (as {@code NodeProcess.rejoining} arranges), not form their own.
 */
class RegionOutageIT {

  static final long SEED = 5;

  @Test
  void aRegionOutageLosesNoAcknowledgedWriteAndThePlantedFaultsAreCaught() throws Exception {
    Path out = Path.of(System.getProperty("chaos.out", "target/chaos-it"));
    String cassandra = System.getenv("MERIDIAN_CASSANDRA");
    RunConfig cfg = new RunConfig(Scenario.REGION_OUTAGE, SEED, Duration.ofSeconds(45), Duration.ofSeconds(90), out,
        cassandra == null || cassandra.isBlank() ? null : cassandra, false, "drop-replica,drop-ack", 0.01, "384m", Map.of());
    ScenarioRunner.Result r = new ScenarioRunner(cfg).run();
    assertNotNull(r.verdict(), "the scenario did not produce a verdict");
    assertAll(
        () -> assertTrue(Files.size(r.dir().resolve("history.json")) > 0, "history.json"),
        () -> assertTrue(Files.size(r.dir().resolve("verdict.json")) > 0, "verdict.json"),
        () -> assertTrue(Files.readString(r.dir().resolve("report.html")).contains("<svg"), "report.html with its timeline"),
        () -> assertTrue(r.plantedCaught(), "the checker missed a planted fault: " + r.planted()),
        () -> assertTrue(r.verdict().pass(), r.verdict().headline() + "\n" + String.join("\n",
            r.verdict().violations().stream().limit(30).map(Object::toString).toList())
            + "\nsee " + r.dir().resolve("report.html")));
  }
}
