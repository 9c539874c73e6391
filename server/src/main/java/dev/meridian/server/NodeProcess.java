package dev.meridian.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Meridian node as an OS process on loopback: started with this JVM's classpath, its output copied to
 * a log file, READY detected from its stdout. Dies with the launching JVM (its stdin is our pipe). The
 * run command, the multi-region integration tests and the chaos harness all start nodes through this.
 */
public final class NodeProcess {

  /** Where a node runs: region, index within the region and its three ports. */
  public record Spec(String region, int index, int s3Port, int clusterPort, int managementPort) {
    public String name() {
      return region + "-" + index;
    }

    public String clusterAddress() {
      return "pekko://meridian@127.0.0.1:" + clusterPort;
    }
  }

  private final Spec spec;
  private final Process process;
  private final Path log;
  private final CompletableFuture<String> ready = new CompletableFuture<>();

  private NodeProcess(Spec spec, Process process, Path log) {
    this.spec = spec;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts a node. {@code extraEnv} adds to (or overrides) the node's environment: MERIDIAN_* settings
   * such as MERIDIAN_CASSANDRA_CONTACT_POINTS or MERIDIAN_KEYSPACE_PREFIX.
   */
  public static NodeProcess start(Spec spec, List<String> regions, List<String> seeds, String heap, Path logDir,
      Map<String, String> extraEnv) throws IOException {
    return start(spec, regions, seeds, heap, logDir, extraEnv, List.of());
  }

  /**
   * Starts a node whose command line begins with {@code commandPrefix}, a launcher that ends by exec'ing
   * the JVM so that the process's pid is the node's (the chaos harness runs nodes in network namespaces
   * with {@code ip netns exec NAME}).
   */
  public static NodeProcess start(Spec spec, List<String> regions, List<String> seeds, String heap, Path logDir,
      Map<String, String> extraEnv, List<String> commandPrefix) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new java.util.ArrayList<>(commandPrefix);
    // 2 MiB G1 regions: object chunks (512 KiB) stay ordinary young objects; with a small heap's 1 MiB
    // regions every chunk buffer is humongous, allocated in the old generation (bench/README.md).
    command.addAll(List.of(java, "-Xmx" + heap, "-XX:+UseG1GC", "-XX:G1HeapRegionSize=2m",
        "-cp", System.getProperty("java.class.path"), MeridianNode.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.putAll(environment(spec, regions, seeds));
    env.putAll(extraEnv);
    pb.redirectErrorStream(true);
    Files.createDirectories(logDir);
    NodeProcess node = new NodeProcess(spec, pb.start(), logDir.resolve(spec.name() + ".log"));
    node.pumpOutput();
    return node;
  }

  /**
   * The seed list for a node that is started again: its own address moved to the end. Only the first seed
   * may form a new cluster (when no other seed answers within seed-node-timeout); a node started again, for
   * example with its whole region after an outage, must instead keep joining the cluster that lives on.
   */
  public static List<String> rejoining(List<String> seeds, String self) {
    if (seeds.isEmpty() || !seeds.get(0).equals(self)) return seeds;
    List<String> reordered = new java.util.ArrayList<>(seeds.subList(1, seeds.size()));
    reordered.add(self);
    return List.copyOf(reordered);
  }

  static Map<String, String> environment(Spec spec, List<String> regions, List<String> seeds) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MERIDIAN_REGION", spec.region());
    env.put("MERIDIAN_REGIONS", String.join(",", regions));
    env.put("MERIDIAN_S3_PORT", Integer.toString(spec.s3Port()));
    env.put("MERIDIAN_CLUSTER_PORT", Integer.toString(spec.clusterPort()));
    env.put("MERIDIAN_MANAGEMENT_PORT", Integer.toString(spec.managementPort()));
    env.put("MERIDIAN_SEED_NODES", String.join(",", seeds));
    // Nodes started here crash (or are killed) rather than being partitioned from their own region: with
    // keep-oldest (down if alone) the survivor of a two-node region keeps serving whichever node died, where
    // keep-majority would break the 1:1 tie by address and could down the survivor.
    env.put("MERIDIAN_SBR_STRATEGY", "keep-oldest");
    env.put("MERIDIAN_EXIT_ON_STDIN_EOF", "true");
    return env;
  }

  private void pumpOutput() {
    Thread pump = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
           PrintStream out = new PrintStream(Files.newOutputStream(log, StandardOpenOption.CREATE,
               StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
        String line;
        while ((line = in.readLine()) != null) {
          out.println(line);
          if (line.startsWith("MERIDIAN READY")) ready.complete(line);
        }
      } catch (IOException e) {
        // the node is gone; ready fails below
      }
      ready.completeExceptionally(new IllegalStateException("node " + spec.name() + " exited; see " + log));
    }, "log-" + spec.name());
    pump.setDaemon(true);
    pump.start();
  }

  public Spec spec() {
    return spec;
  }

  public Path log() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Completes with the READY line; fails if the node exits first or does not start in time. */
  public CompletableFuture<String> ready(Duration timeout) {
    return ready.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** SIGTERM (coordinated shutdown: the node leaves the cluster and hands its shards over), then wait. */
  public void stop(Duration wait) {
    process.destroy();
    try {
      if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  /** SIGKILL: a crash, nothing flushed, the cluster must notice and recover. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGSTOP: the process freezes (a grey failure); {@link #thaw} resumes it. */
  public void freeze() {
    signal("STOP");
  }

  public void thaw() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw new IllegalStateException("kill -" + name + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
