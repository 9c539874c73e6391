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

  /** Whether the node at {@code address} is a reachable member (the local node always is). */
  public boolean reachable(Address address) {
    if (!address.hasGlobalScope() || address.equals(cluster.selfMember().address())) return true;
    for (Member m : cluster.state().getUnreachable()) {
      if (m.address().equals(address)) return false;
    }
    return true;
  }

  /** Whether some Up member of {@code region} is reachable from here. */
  public boolean regionReachable(String region) {
    for (Member m : cluster.state().getMembers()) {
      if (m.dataCenter().equals(region) && m.status() == MemberStatus.up() && reachable(m.address())) return true;
    }
    return false;
  }
}
