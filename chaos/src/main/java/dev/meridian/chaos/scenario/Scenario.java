package dev.meridian.chaos.scenario;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The named scenarios of {@code bin/chaos}, in order of priority, each one nemesis against the standard
 * cluster (two regions, two node processes each) and workload, and what it needs beyond that.
 */
public enum Scenario {
  REGION_OUTAGE("region-outage", "every node of one region SIGKILLed, later restarted", Needs.NOTHING),
  NODE_CRASH("node-crash", "one node SIGKILLed in the middle of writes and replication streams, later restarted",
      Needs.NOTHING),
  REGION_FREEZE("region-freeze", "every node of one region SIGSTOPped (a grey failure), later SIGCONTed", Needs.NOTHING),
  CASSANDRA_KILL("cassandra-kill", "the Cassandra process of one region SIGKILLed, later restarted (one Cassandra per region)",
      Needs.CASSANDRA_PER_REGION),
  PARTITION("partition", "the link between the regions' network namespaces cut, later restored", Needs.NETNS),
  SLOW_LINK("slow-link", "the link between the regions slowed (delay and loss with netem, else a narrow tbf queue)",
      Needs.NETNS);

  /** What a scenario needs beyond node processes on loopback. */
  public enum Needs { NOTHING, CASSANDRA_PER_REGION, NETNS }

  public final String id;
  public final String description;
  public final Needs needs;

  Scenario(String id, String description, Needs needs) {
    this.id = id;
    this.description = description;
    this.needs = needs;
  }

  public static Optional<Scenario> byId(String id) {
    return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
  }

  public static List<String> ids() {
    return Arrays.stream(values()).map(s -> s.id).toList();
  }
}
