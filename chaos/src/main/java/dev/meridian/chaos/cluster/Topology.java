package dev.meridian.chaos.cluster;

import dev.meridian.server.NodeProcess;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where each node of a run lives: its region, ports, the address clients reach its S3 and management
 * endpoints on, the address other nodes reach it on, and how it is launched (directly, or inside a network
 * namespace). Nodes are numbered as {@code bin/meridian} numbers them: node 1 of every region first, so
 * node 1 has the lower port and is the side the Split Brain Resolver keeps on a 1:1 tie within a region.
 */
public record Topology(List<String> regions, List<Slot> slots) {

  /**
   * One node.
   *
   * @param s3Host       address of the S3 and management endpoints, as the harness reaches them
   * @param clusterHost  the node's canonical cluster address, as other nodes reach it
   * @param launchPrefix command words before {@code java} (e.g. {@code ip netns exec NS}); empty for none
   */
  public record Slot(NodeProcess.Spec spec, String s3Host, String clusterHost, List<String> launchPrefix) {

    public String name() {
      return spec.name();
    }

    public String region() {
      return spec.region();
    }

    public int index() {
      return spec.index();
    }

    public URI endpoint() {
      return URI.create("http://" + s3Host + ":" + spec.s3Port());
    }

    public URI managementUri(String path) {
      return URI.create("http://" + s3Host + ":" + spec.managementPort() + path);
    }

    public String seedAddress() {
      return "pekko://meridian@" + clusterHost + ":" + spec.clusterPort();
    }

    /** The node's addresses as MERIDIAN_* settings. */
    public Map<String, String> env() {
      return Map.of("MERIDIAN_S3_HOST", s3Host, "MERIDIAN_MANAGEMENT_HOST", s3Host, "MERIDIAN_CLUSTER_HOST", clusterHost);
    }
  }

  public Topology {
    regions = List.copyOf(regions);
    slots = List.copyOf(slots);
  }

  /** Every node on 127.0.0.1 with ports of its own. */
  public static Topology loopback(List<String> regions, int nodesPerRegion, Ports ports) {
    int n = regions.size() * nodesPerRegion;
    List<String> lo = List.of("127.0.0.1");
    int s3 = ports.range(n, lo);
    int cluster = ports.range(n, lo);
    int management = ports.range(n, lo);
    return new Topology(regions, plan(regions, nodesPerRegion, s3, cluster, management, r -> "127.0.0.1",
        r -> "127.0.0.1", r -> List.of()));
  }

  /** The slots of {@code bin/meridian}'s plan with the addresses and launcher each region's nodes get. */
  static List<Slot> plan(List<String> regions, int nodesPerRegion, int s3, int cluster, int management,
      java.util.function.Function<String, String> s3Host, java.util.function.Function<String, String> clusterHost,
      java.util.function.Function<String, List<String>> prefix) {
    List<Slot> slots = new ArrayList<>();
    int n = 0;
    for (int i = 1; i <= nodesPerRegion; i++) {
      for (String region : regions) {
        slots.add(new Slot(new NodeProcess.Spec(region, i, s3 + n, cluster + n, management + n), s3Host.apply(region),
            clusterHost.apply(region), prefix.apply(region)));
        n++;
      }
    }
    return slots;
  }

  /** Seed nodes: node 1 of every region. */
  public List<String> seeds() {
    return slots.stream().filter(s -> s.index() == 1).map(Slot::seedAddress).toList();
  }

  public Slot slot(String region, int index) {
    return slots.stream().filter(s -> s.region().equals(region) && s.index() == index).findFirst().orElseThrow();
  }
}
