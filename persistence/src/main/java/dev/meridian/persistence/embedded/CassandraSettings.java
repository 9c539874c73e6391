package dev.meridian.persistence.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of one {@link EmbeddedCassandra} node.
 *
 * <p>Everything a node writes lives under {@link #dataDir()}, so starting again on the same directory
 * brings the same data back. The defaults give a single node on 127.0.0.1 with Cassandra's standard
 * ports; two nodes on 127.0.0.1 and 127.0.0.2 with different {@link #dataCenter()} values and the first
 * one as their common seed form a two-data-center ring (give them different {@link #jmxPort()}s, since
 * JMX always listens on the loopback address 127.0.0.1).
 *
 * @param dataDir        directory holding config, data, commit log, caches, hints and logs of the node
 * @param address        listen and rpc (CQL) address, normally a loopback address such as 127.0.0.1
 * @param nativePort     CQL port
 * @param storagePort    inter-node (gossip, streaming) port
 * @param jmxPort        local JMX port; must be unique per node on the machine
 * @param dataCenter     data center name given to GossipingPropertyFileSnitch
 * @param rack           rack name given to GossipingPropertyFileSnitch
 * @param clusterName    cluster name; must stay the same for a data dir across restarts
 * @param seeds          seed addresses as {@code host} or {@code host:port}; empty means the node itself
 * @param heap           JVM heap of the node, e.g. {@code 768m} or {@code 1g}
 * @param startupTimeout how long {@link EmbeddedCassandra#start()} waits for a working CQL session
 * @param shutdownHook   whether {@link EmbeddedCassandra} stops the node when this JVM exits
 */
public record CassandraSettings(
    Path dataDir,
    String address,
    int nativePort,
    int storagePort,
    int jmxPort,
    String dataCenter,
    String rack,
    String clusterName,
    List<String> seeds,
    String heap,
    Duration startupTimeout,
    boolean shutdownHook) {

  /** Cassandra's own name for its first data center; the driver must be told it. */
  public static final String DEFAULT_DATA_CENTER = "datacenter1";

  private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[mMgG]");
  // Names end up in YAML and properties files; a conservative character set keeps quoting trivial.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\- ]{1,64}");

  public CassandraSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    dataDir = dataDir.toAbsolutePath().normalize();
    Objects.requireNonNull(address, "address");
    checkPort("nativePort", nativePort);
    checkPort("storagePort", storagePort);
    checkPort("jmxPort", jmxPort);
    checkName("dataCenter", dataCenter);
    checkName("rack", rack);
    checkName("clusterName", clusterName);
    seeds = List.copyOf(seeds);
    if (heap == null || !HEAP.matcher(heap).matches()) {
      throw new IllegalArgumentException("heap must look like 768m or 1g, was " + heap);
    }
    Objects.requireNonNull(startupTimeout, "startupTimeout");
    if (startupTimeout.isNegative() || startupTimeout.isZero()) {
      throw new IllegalArgumentException("startupTimeout must be positive");
    }
  }

  /** A builder with the defaults described on {@link Builder}. */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** A builder initialised from these settings. */
  public Builder toBuilder() {
    return new Builder(dataDir)
        .address(address)
        .nativePort(nativePort)
        .storagePort(storagePort)
        .jmxPort(jmxPort)
        .dataCenter(dataCenter)
        .rack(rack)
        .clusterName(clusterName)
        .seeds(seeds)
        .heap(heap)
        .startupTimeout(startupTimeout)
        .shutdownHook(shutdownHook);
  }

  /** The seed list written to cassandra.yaml: the configured seeds, or this node's own address. */
  public List<String> effectiveSeeds() {
    return seeds.isEmpty() ? List.of(address + ":" + storagePort) : seeds;
  }

  private static void checkPort(String what, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(what + " out of range: " + port);
    }
  }

  private static void checkName(String what, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must match " + NAME + ", was " + value);
    }
  }

  /**
   * Builds {@link CassandraSettings}. Defaults: address 127.0.0.1, ports 9042 (CQL), 7000 (storage),
   * 7199 (JMX), data center {@value #DEFAULT_DATA_CENTER}, rack {@code rack1}, cluster
   * {@code meridian}, seeds = the node itself, heap 768m, startup timeout 180 s, shutdown hook on.
   */
  public static final class Builder {
    private final Path dataDir;
    private String address = "127.0.0.1";
    private int nativePort = 9042;
    private int storagePort = 7000;
    private int jmxPort = 7199;
    private String dataCenter = DEFAULT_DATA_CENTER;
    private String rack = "rack1";
    private String clusterName = "meridian";
    private List<String> seeds = List.of();
    private String heap = "768m";
    private Duration startupTimeout = Duration.ofSeconds(180);
    private boolean shutdownHook = true;

    private Builder(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    }

    public Builder address(String value) {
      this.address = value;
      return this;
    }

    public Builder nativePort(int value) {
      this.nativePort = value;
      return this;
    }

    public Builder storagePort(int value) {
      this.storagePort = value;
      return this;
    }

    public Builder jmxPort(int value) {
      this.jmxPort = value;
      return this;
    }

    public Builder dataCenter(String value) {
      this.dataCenter = value;
      return this;
    }

    public Builder rack(String value) {
      this.rack = value;
      return this;
    }

    public Builder clusterName(String value) {
      this.clusterName = value;
      return this;
    }

    public Builder seeds(List<String> value) {
      this.seeds = List.copyOf(value);
      return this;
    }

    public Builder heap(String value) {
      this.heap = value;
      return this;
    }

    public Builder startupTimeout(Duration value) {
      this.startupTimeout = value;
      return this;
    }

    public Builder shutdownHook(boolean value) {
      this.shutdownHook = value;
      return this;
    }

    public CassandraSettings build() {
      return new CassandraSettings(dataDir, address, nativePort, storagePort, jmxPort, dataCenter,
          rack, clusterName, seeds, heap, startupTimeout, shutdownHook);
    }
  }
}
