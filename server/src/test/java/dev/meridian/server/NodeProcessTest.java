package dev.meridian.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the launchers start node processes: seeds for a restart, and the downing strategy. */
class NodeProcessTest {

  private static final List<String> SEEDS =
      List.of("pekko://meridian@127.0.0.1:25521", "pekko://meridian@127.0.0.1:25522");

  @Test
  void aFirstSeedStartedAgainJoinsTheOthersInsteadOfFormingACluster() {
    assertEquals(List.of("pekko://meridian@127.0.0.1:25522", "pekko://meridian@127.0.0.1:25521"),
        NodeProcess.rejoining(SEEDS, "pekko://meridian@127.0.0.1:25521"));
  }

  @Test
  void otherNodesKeepTheirSeedList() {
    assertEquals(SEEDS, NodeProcess.rejoining(SEEDS, "pekko://meridian@127.0.0.1:25522"));
    assertEquals(SEEDS, NodeProcess.rejoining(SEEDS, "pekko://meridian@127.0.0.1:25523"));
    assertEquals(List.of(), NodeProcess.rejoining(List.of(), "pekko://meridian@127.0.0.1:25521"));
  }

  @Test
  void launchedNodesKeepTheSurvivorOfATwoNodeRegion() {
    var env = NodeProcess.environment(new NodeProcess.Spec("us-east-1", 1, 9001, 25521, 8559),
        List.of("us-east-1", "us-west-2"), SEEDS);
    assertEquals("keep-oldest", env.get("MERIDIAN_SBR_STRATEGY"));
    assertEquals(String.join(",", SEEDS), env.get("MERIDIAN_SEED_NODES"));
  }
}
