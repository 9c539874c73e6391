package dev.meridian.chaos.nemesis;

import dev.meridian.chaos.cluster.ChaosCluster;
import dev.meridian.chaos.cluster.Network;
import dev.meridian.chaos.cluster.ProcessLedger;
import dev.meridian.chaos.cluster.Topology;
import dev.meridian.chaos.history.History;
import java.util.ArrayList;
import java.util.List;

/**
 * Injects and heals the faults of a schedule on a real cluster: SIGKILL of every node of a region and
 * restart (region-outage), SIGSTOP/SIGCONT of every node of a region (region-freeze), SIGKILL and restart
 * of one node (node-crash), SIGKILL and restart of a region's Cassandra (cassandra-kill), and, through the
 * {@link Network} of a namespaced topology, a cut (partition) or a degraded link (slow-link) between regions.
 * {@link #heal} returns once the hit part serves again.
 */
public final class Nemesis {

  private final ChaosCluster cluster;
  private final Network network;
  private final ProcessLedger ledger;
  private final History history;

  /** @param history where nodes found exited by themselves are recorded (they count against the run) */
  public Nemesis(ChaosCluster cluster, Network network, ProcessLedger ledger, History history) {
    this.cluster = cluster;
    this.network = network;
    this.ledger = ledger;
    this.history = history;
  }

  /** The region whose own requests may fail while the fault lasts (null: every region must keep serving). */
  public String affectedRegion(FaultPlan f) {
    return switch (f.kind()) {
      case "node-crash" -> node(f).region();
      case "partition", "slow-link" -> null;
      default -> f.target();
    };
  }

  /** Injects the fault; returns what was done, for the history. */
  public String inject(FaultPlan f) throws Exception {
    List<String> done = new ArrayList<>();
    switch (f.kind()) {
      case "region-outage" -> cluster.nodesOf(f.target()).forEach(s -> done.add(cluster.kill(s)));
      case "region-freeze" -> cluster.nodesOf(f.target()).forEach(s -> done.add(cluster.freeze(s)));
      case "node-crash" -> done.add(cluster.kill(node(f)));
      case "cassandra-kill" -> done.add(cluster.storage().kill(f.target()));
      case "partition" -> done.add(network().cut());
      case "slow-link" -> done.add(network().slow());
      default -> throw new IllegalArgumentException("unknown fault " + f.kind());
    }
    return String.join("; ", done);
  }

  /** Heals the fault and waits until the hit nodes serve S3 again; returns what was done. */
  public String heal(FaultPlan f) throws Exception {
    return switch (f.kind()) {
      case "region-outage" -> restartDead(f.target());
      case "region-freeze" -> {
        List<String> done = new ArrayList<>();
        cluster.nodesOf(f.target()).forEach(s -> done.add(cluster.thaw(s)));
        List<String> silent = cluster.awaitServing(cluster.nodesOf(f.target()), java.time.Duration.ofSeconds(90));
        yield String.join("; ", done) + (silent.isEmpty() ? "" : "; not serving 90 s after SIGCONT: " + silent)
            + restartDeadSuffix(f.target());
      }
      case "node-crash" -> restartDead(node(f).region());
      case "cassandra-kill" -> {
        cluster.storage().restart(f.target(), ledger);
        yield "Cassandra of " + f.target() + " restarted" + restartDeadSuffix(f.target());
      }
      case "partition", "slow-link" -> network().restore();
      default -> throw new IllegalArgumentException("unknown fault " + f.kind());
    };
  }

  /** Restarts every node of the region whose process is gone (killed, or exited by itself). */
  public String restartDead(String region) throws Exception {
    cluster.exitedByThemselves().forEach(s -> history.exited(s.name()));
    List<Topology.Slot> dead = cluster.nodesOf(region).stream().filter(s -> !cluster.alive(s)).toList();
    if (dead.isEmpty()) return "no node of " + region + " to restart";
    cluster.start(dead);
    return "restarted " + dead.stream().map(Topology.Slot::name).toList();
  }

  private String restartDeadSuffix(String region) throws Exception {
    List<Topology.Slot> dead = cluster.nodesOf(region).stream().filter(s -> !cluster.alive(s)).toList();
    if (dead.isEmpty()) return "";
    return "; nodes that had exited by themselves: " + restartDead(region);
  }

  private Topology.Slot node(FaultPlan f) {
    return cluster.nodes().stream().filter(s -> s.name().equals(f.target())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node " + f.target()));
  }

  private Network network() {
    if (network == null) throw new IllegalStateException("this fault needs a namespaced network topology");
    return network;
  }
}
