package dev.meridian.persistence.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line entry that runs one {@link EmbeddedCassandra} node, so that scripts can start a single
 * Cassandra for a whole test run (or for local development) without Docker.
 *
 * <p>When the node accepts CQL it prints one line on stdout,
 * {@code CASSANDRA READY <address>:<port> dc=<dc>}; everything else goes to stderr. It then runs
 * until its stdin reaches end of file or it receives SIGTERM/SIGINT, and stops the node cleanly
 * (drained). When stdin is {@code /dev/null} (a background job of a script) or
 * {@code --ignore-stdin} is given, only SIGTERM/SIGINT stop it.
 *
 * <pre>
 * java -cp &lt;persistence jar + its dependencies&gt; dev.meridian.persistence.embedded.EmbeddedCassandraMain \
 *     --data-dir target/cassandra --port 9042 --dc datacenter1
 * </pre>
 */
public final class EmbeddedCassandraMain {

  private static final String USAGE = String.join("\n",
      "Usage: EmbeddedCassandraMain [options]",
      "  --data-dir DIR        node directory; data survives restarts (default: ./cassandra-data)",
      "  --address ADDR        listen/CQL address (default: 127.0.0.1)",
      "  --port PORT           CQL port (default: 9042)",
      "  --storage-port PORT   inter-node port (default: 7000)",
      "  --jmx-port PORT       local JMX port, unique per node (default: 7199)",
      "  --dc NAME             data center (default: datacenter1)",
      "  --rack NAME           rack (default: rack1)",
      "  --cluster NAME        cluster name (default: meridian)",
      "  --seeds H[:P],...     seed nodes (default: this node)",
      "  --heap SIZE           JVM heap, e.g. 768m or 1g (default: 768m)",
      "  --startup-timeout S   seconds to wait for CQL (default: 180)",
      "  --ignore-stdin        run until SIGTERM even if stdin is at end of file");

  private EmbeddedCassandraMain() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    CassandraSettings settings;
    boolean ignoreStdin;
    try {
      Options options = parse(args);
      settings = options.settings;
      ignoreStdin = options.ignoreStdin;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    // Its shutdown hook stops the node on SIGTERM/SIGINT.
    EmbeddedCassandra cassandra = new EmbeddedCassandra(settings);
    try {
      cassandra.start();
    } catch (RuntimeException e) {
      System.err.println("Cassandra failed to start: " + e.getMessage());
      System.exit(1);
      return;
    }
    out.println("CASSANDRA READY " + cassandra.contactPoint() + " dc=" + cassandra.dataCenter());
    out.flush();
    boolean untilSigterm = ignoreStdin || stdinIsDevNull();
    System.err.println("Cassandra runs; " + (untilSigterm ? "send SIGTERM" : "close stdin or send SIGTERM")
        + " to stop it");
    if (untilSigterm) {
      waitForever();
    }
    waitForStdinEof(System.in);
    cassandra.stop();
    // The driver's probe session may leave non-daemon threads winding down; do not wait for them.
    System.exit(0);
  }

  /**
   * A background job of a non-interactive shell gets /dev/null as stdin, which is at end of file at
   * once and can never report the parent's death anyway: treat it like --ignore-stdin.
   */
  private static boolean stdinIsDevNull() {
    try {
      return Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString().equals("/dev/null");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false; // not Linux, or not visible: rely on stdin
    }
  }

  private static void waitForStdinEof(InputStream in) {
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) >= 0) {
        // Input is ignored; only its end matters.
      }
    } catch (IOException e) {
      // A broken stdin counts as closed.
    }
  }

  private static void waitForever() {
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Parsed command line. */
  private static final class Options {
    CassandraSettings settings;
    boolean ignoreStdin;
  }

  private static Options parse(String[] args) {
    Path dataDir = Path.of("cassandra-data");
    Options options = new Options();
    // Two passes: --data-dir is needed to create the builder, the rest may come in any order.
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--data-dir")) {
        dataDir = Path.of(args[i + 1]);
      }
    }
    CassandraSettings.Builder b = CassandraSettings.builder(dataDir);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--ignore-stdin")) {
        options.ignoreStdin = true;
        continue;
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        throw new IllegalArgumentException("Runs one Cassandra node.");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + arg);
      }
      String value = args[++i];
      switch (arg) {
        case "--data-dir" -> { }
        case "--address" -> b.address(value);
        case "--port" -> b.nativePort(number(arg, value));
        case "--storage-port" -> b.storagePort(number(arg, value));
        case "--jmx-port" -> b.jmxPort(number(arg, value));
        case "--dc" -> b.dataCenter(value);
        case "--rack" -> b.rack(value);
        case "--cluster" -> b.clusterName(value);
        case "--seeds" -> b.seeds(List.copyOf(Arrays.asList(value.split(","))));
        case "--heap" -> b.heap(value);
        case "--startup-timeout" -> b.startupTimeout(Duration.ofSeconds(number(arg, value)));
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    options.settings = b.build();
    return options;
  }

  private static int number(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, got " + value);
    }
  }
}
