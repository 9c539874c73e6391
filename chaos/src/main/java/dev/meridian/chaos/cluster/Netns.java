package dev.meridian.chaos.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Network namespaces for two regions, created and deleted by the harness (it must run as root): each
 * region's nodes run in a namespace of their own; a veth pair joins each namespace to the root namespace
 * (where the harness's clients and the run's Cassandra are: no forwarding is needed, the root namespace
 * only answers for its own addresses), and one veth pair joins the two namespaces directly. All cluster
 * traffic between the regions crosses that one link, which {@link #cut} and {@link #slow} act on with
 * {@code tc}: a partition drops every packet both ways silently (a tbf queue with a burst smaller than
 * any packet, since no packet filter tool is assumed); a slow link uses netem delay and loss when the
 * kernel has netem, else a narrow tbf queue (queueing delay and tail drops under load).
 *
 * <pre>
 *   root: harness, Cassandra on P.10.1      root side P.10.1 ---- P.10.2 ns A (region A nodes)
 *                                           root side P.11.1 ---- P.11.2 ns B (region B nodes)
 *   ns A x0 P.1.1  ==================  x1 P.1.2 ns B     (cluster addresses: the inter-region link)
 * </pre>
 */
public final class Netns implements Network {

  private static final Logger log = LoggerFactory.getLogger(Netns.class);
  static final String PARTITION_QDISC = "tbf rate 8bit burst 64 limit 1";
  static final String NETEM = "netem delay 120ms 30ms loss 3%";
  static final String NARROW = "tbf rate 512kbit burst 4kb latency 300ms";

  private final List<String> namespaces;
  private final String prefix;
  private final boolean netem;
  private volatile String degraded;

  private Netns(List<String> namespaces, String prefix, boolean netem) {
    this.namespaces = namespaces;
    this.prefix = prefix;
    this.netem = netem;
  }

  /** Empty when namespaces can be used; otherwise why not (not root, or {@code ip netns} failing). */
  public static Optional<String> unsupported() {
    try {
      String uid = run(false, "id", "-u").trim();
      if (!uid.equals("0")) return Optional.of("needs root for network namespaces (running as uid " + uid + ")");
      String probe = "mchprobe" + ThreadLocalRandom.current().nextInt(1000, 9999);
      run(true, "ip", "netns", "add", probe);
      run(false, "ip", "netns", "del", probe);
      return Optional.empty();
    } catch (Exception e) {
      return Optional.of("`ip netns` does not work here: " + e.getMessage());
    }
  }

  /**
   * Creates the namespaces and links for regions {@code a} and {@code b}; the namespaces are recorded in
   * the ledger so that {@code bin/chaos} can delete them if the harness dies.
   */
  public static Netns create(String runId, ProcessLedger ledger) throws Exception {
    String p = freeSubnet();
    String id = runId.substring(0, Math.min(6, runId.length()));
    List<String> ns = List.of("mch" + id + "a", "mch" + id + "b");
    Netns n = new Netns(ns, p, netemAvailable());
    try {
      for (int i = 0; i < 2; i++) {
        ledger.recordNetns(ns.get(i));
        run(true, "ip", "netns", "add", ns.get(i));
        run(true, "ip", "-n", ns.get(i), "link", "set", "lo", "up");
        String root = "mc" + id + "r" + i;
        run(true, "ip", "link", "add", root, "type", "veth", "peer", "name", "up" + i, "netns", ns.get(i));
        run(true, "ip", "addr", "add", p + "." + (10 + i) + ".1/24", "dev", root);
        run(true, "ip", "link", "set", root, "up");
        run(true, "ip", "-n", ns.get(i), "addr", "add", p + "." + (10 + i) + ".2/24", "dev", "up" + i);
        run(true, "ip", "-n", ns.get(i), "link", "set", "up" + i, "up");
      }
      run(true, "ip", "-n", ns.get(0), "link", "add", "x0", "type", "veth", "peer", "name", "x1", "netns", ns.get(1));
      for (int i = 0; i < 2; i++) {
        run(true, "ip", "-n", ns.get(i), "addr", "add", p + ".1." + (i + 1) + "/24", "dev", "x" + i);
        run(true, "ip", "-n", ns.get(i), "link", "set", "x" + i, "up");
      }
      // Region B reaches the storage address (root's end of region A's link) through its own link to root.
      run(true, "ip", "-n", ns.get(1), "route", "add", n.storageAddress() + "/32", "via", p + ".11.1");
    } catch (Exception e) {
      n.close();
      throw e;
    }
    log.info("network namespaces {} on {}.0.0/16 (netem {})", ns, p, n.netem ? "available" : "not in this kernel");
    return n;
  }

  /** The address of the run's Cassandra, in the root namespace, reachable from both namespaces. */
  public String storageAddress() {
    return prefix + ".10.1";
  }

  /** The address clients reach region {@code i}'s nodes on. */
  public String clientAddress(int i) {
    return prefix + "." + (10 + i) + ".2";
  }

  /** The cluster address of region {@code i}'s nodes, on the inter-region link. */
  public String clusterAddress(int i) {
    return prefix + ".1." + (i + 1);
  }

  public List<String> launchPrefix(int i) {
    return List.of("ip", "netns", "exec", namespaces.get(i));
  }

  /** Nodes of regions.get(i) in namespace i, with the addresses above, numbered as {@link Topology} does. */
  public Topology topology(List<String> regions, int nodesPerRegion, Ports ports) {
    int n = regions.size() * nodesPerRegion;
    List<String> hosts = List.of("127.0.0.1");
    int s3 = ports.range(n, hosts);
    int cluster = ports.range(n, hosts);
    int management = ports.range(n, hosts);
    return new Topology(regions, Topology.plan(regions, nodesPerRegion, s3, cluster, management,
        r -> clientAddress(regions.indexOf(r)), r -> clusterAddress(regions.indexOf(r)), r -> launchPrefix(regions.indexOf(r))));
  }

  @Override
  public String cut() throws Exception {
    return degrade(PARTITION_QDISC) + " (every packet dropped)";
  }

  @Override
  public String slow() throws Exception {
    return degrade(netem ? NETEM : NARROW) + (netem ? "" : " (netem is not in this kernel: bandwidth-limited queue instead)");
  }

  private synchronized String degrade(String qdisc) throws Exception {
    List<String> done = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespaces.get(i), "tc", "qdisc", "replace", "dev",
          "x" + i, "root"));
      cmd.addAll(List.of(qdisc.split(" ")));
      run(true, cmd.toArray(String[]::new));
      done.add(String.join(" ", cmd.subList(4, cmd.size())) + " in " + namespaces.get(i));
    }
    degraded = qdisc;
    return String.join("; ", done);
  }

  @Override
  public synchronized String restore() throws Exception {
    if (degraded == null) return "link was healthy";
    for (int i = 0; i < 2; i++) {
      run(false, "ip", "netns", "exec", namespaces.get(i), "tc", "qdisc", "del", "dev", "x" + i, "root");
    }
    degraded = null;
    return "tc qdisc del dev x0/x1 root";
  }

  /** Deletes both namespaces (their veth pairs go with them). */
  @Override
  public void close() {
    for (String ns : namespaces) {
      try {
        run(false, "ip", "netns", "del", ns);
      } catch (Exception e) {
        log.warn("could not delete namespace {}: {}", ns, e.toString());
      }
    }
  }

  private static boolean netemAvailable() {
    String probe = "mchnetem" + ThreadLocalRandom.current().nextInt(1000, 9999);
    try {
      run(true, "ip", "netns", "add", probe);
      run(true, "ip", "netns", "exec", probe, "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms");
      return true;
    } catch (Exception e) {
      return false;
    } finally {
      try {
        run(false, "ip", "netns", "del", probe);
      } catch (Exception ignored) {
        // nothing to delete
      }
    }
  }

  /** A 10.x prefix no address or route of this machine uses. */
  private static String freeSubnet() throws Exception {
    String used = run(false, "ip", "-4", "addr") + run(false, "ip", "-4", "route");
    for (int x = 213; x < 250; x++) {
      if (!used.contains("10." + x + ".")) return "10." + x;
    }
    throw new IllegalStateException("no free 10.x.0.0/16 for the namespaces");
  }

  static String run(boolean check, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " timed out");
    }
    if (check && p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out.trim());
    return out;
  }
}
