package dev.meridian.chaos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meridian.chaos.scenario.RunConfig;
import dev.meridian.chaos.scenario.Scenario;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line of bin/chaos. */
class ChaosMainTest {

  @Test
  void oneScenarioWithOptions() {
    List<RunConfig> runs = ChaosMain.parse(new String[] {"node-crash", "--duration", "90s", "--seed", "5", "--out", "x",
        "--node-env", "MERIDIAN_STREAM_TIMEOUT=45s", "--plant", "drop-replica,drop-ack"}, null);
    RunConfig c = runs.get(0);
    assertEquals(Scenario.NODE_CRASH, c.scenario());
    assertEquals(Duration.ofSeconds(90), c.duration());
    assertEquals(5, c.seed());
    assertEquals(Map.of("MERIDIAN_STREAM_TIMEOUT", "45s"), c.nodeEnv());
    assertEquals("drop-replica,drop-ack", c.plant());
    assertEquals(null, c.cassandra());
  }

  @Test
  void allRunsEveryScenarioInOrderWithTheEnvironmentsCassandra() {
    List<RunConfig> runs = ChaosMain.parse(new String[] {"all", "--duration", "2m"}, "127.0.0.1:29042");
    assertEquals(List.of(Scenario.values()), runs.stream().map(RunConfig::scenario).toList());
    assertEquals(Duration.ofMinutes(2), runs.get(0).duration());
    assertEquals("127.0.0.1:29042", runs.get(0).cassandra());
    assertEquals(runs.get(0).seed(), runs.get(5).seed());
  }

  @Test
  void badUsageIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ChaosMain.parse(new String[] {"nope"}, null));
    assertThrows(IllegalArgumentException.class, () -> ChaosMain.parse(new String[] {"partition", "--bogus", "1"}, null));
    assertThrows(IllegalArgumentException.class, () -> ChaosMain.parse(new String[] {"partition", "--plant", "x"}, null));
    assertThrows(IllegalArgumentException.class, () -> ChaosMain.parse(new String[] {"partition", "--duration", "5s"}, null));
  }
}
