package dev.meridian.cluster.region;

import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * What this node currently knows of the other regions' reachability, from cluster membership. Pekko
 * never downs a whole other data center, so its members stay in the membership while a region is cut
 * off; they show as unreachable, and requests for that region are refused at once.
 */
public final class RegionHealth {

  private final Cluster cluster;

  public RegionHealth(ActorSystem<?> system) {
    this.cluster = Cluster.get(system);
  }

  /**
   * Whether the node at {@code address} is a reachable member (the local node always is). Reachability
   * across data centers is tracked per data center, so a node of an unreachable region is unreachable.
   */
  public boolean reachable(Address address) {
    if (!address.hasGlobalScope() || address.equals(cluster.selfMember().address())) return true;
    var state = cluster.state();
    for (Member m : state.getUnreachable()) {
      if (m.address().equals(address)) return false;
    }
    for (Member m : state.getMembers()) {
      if (m.address().equals(address)) return !state.getUnreachableDataCenters().contains(m.dataCenter());
    }
    return false;
  }

  /** Whether some Up member of {@code region} is reachable from here. */
  public boolean regionReachable(String region) {
    var state = cluster.state();
    if (state.getUnreachableDataCenters().contains(region)) return false;
    for (Member m : state.getMembers()) {
      if (m.dataCenter().equals(region) && m.status() == MemberStatus.up() && !state.getUnreachable().contains(m)) {
        return true;
      }
    }
    return false;
  }
}
