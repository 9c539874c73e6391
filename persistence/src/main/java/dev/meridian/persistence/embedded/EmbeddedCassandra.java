package dev.meridian.persistence.embedded;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Apache Cassandra {@value CassandraLibraries#VERSION} node as a child process, for tests,
 * local development and scripts that need a real Cassandra without Docker.
 *
 * <p>The node runs in its own JVM (same Java as this one) because Cassandra's jars clash with ours;
 * they come from {@link CassandraLibraries}. The child's main class is {@link CassandraMain}, which
 * exits when its stdin reaches end of file: this object holds the write end of that pipe, so the node
 * goes away with this JVM even when it is killed with SIGKILL. All files of the node live under
 * {@link CassandraSettings#dataDir()}; starting again on the same directory keeps the data.
 *
 * <pre>{@code
 * try (EmbeddedCassandra cassandra = new EmbeddedCassandra(CassandraSettings.builder(dir).build())) {
 *   cassandra.start();
 *   ... CqlSession.builder().addContactPoint(cassandra.socketAddress())
 *                           .withLocalDatacenter(cassandra.dataCenter()).build() ...
 * }
 * }</pre>
 *
 * <p>Child output (WARN and above; INFO goes to {@code logs/system.log}) is forwarded to the SLF4J
 * logger {@code dev.meridian.persistence.embedded.CassandraProcess} and kept in
 * {@code logs/console.log}. Thread-safe; {@link #start()} and {@link #stop()} may be called repeatedly.
 */
public final class EmbeddedCassandra implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedCassandra.class);
  private static final int TAIL_LINES = 50;
  private static final long STOP_SECONDS = 60;

  private final CassandraSettings settings;
  // Two locks: "this" keeps starts apart and is held while waiting for CQL (up to minutes);
  // stateLock guards the fields and stop(), so that a stop (e.g. from the shutdown hook on Ctrl-C)
  // never waits for a start in progress: it kills the child, and the start then fails.
  private final Object stateLock = new Object();
  private volatile Process process; // written under stateLock
  private ChildOutput output; // guarded by stateLock
  private Thread shutdownHook; // guarded by stateLock
  private FileChannel lockChannel; // guarded by stateLock
  private FileLock dataDirLock; // guarded by stateLock

  public EmbeddedCassandra(CassandraSettings settings) {
    this.settings = settings;
  }

  /** The settings this node runs with. */
  public CassandraSettings settings() {
    return settings;
  }

  /**
   * Starts the node and waits until a CQL session can query it; does nothing if it is running.
   *
   * @return this
   * @throws IllegalStateException if the node exits or is not ready within the startup timeout; the
   *     message then holds the last lines of its system.log and of its console output
   */
  public synchronized EmbeddedCassandra start() {
    if (isRunning()) {
      return this;
    }
    long started = System.nanoTime();
    Process child = null;
    ChildOutput childOutput = null;
    try {
      List<Path> libraries = CassandraLibraries.resolve();
      Files.createDirectories(settings.dataDir());
      synchronized (stateLock) {
        lockDataDir();
      }
      checkPortsFree();
      CassandraConfig.writeFiles(settings);
      List<String> cmd =
          CassandraConfig.command(settings, javaExecutable(), launcherLocation(), libraries);
      log.info("Starting Cassandra {} at {} (dc={}, data {})", CassandraLibraries.VERSION,
          contactPoint(), settings.dataCenter(), settings.dataDir());
      synchronized (stateLock) {
        child = new ProcessBuilder(cmd)
            .directory(settings.dataDir().toFile()) // heap dumps and stray files land in the data dir
            .redirectErrorStream(true)
            .start();
        childOutput = ChildOutput.start(child.getInputStream(),
            CassandraConfig.logDir(settings).resolve("console.log"), "[" + contactPoint() + "] ",
            TAIL_LINES, "cassandra-output-" + settings.nativePort());
        process = child;
        output = childOutput;
        if (settings.shutdownHook() && shutdownHook == null) {
          shutdownHook = new Thread(this::stop, "cassandra-stop-" + settings.nativePort());
          Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
      }
      String version = awaitCql(child, started + settings.startupTimeout().toNanos());
      log.info("Cassandra {} ready at {} (dc={}) after {} ms", version, contactPoint(),
          settings.dataCenter(), (System.nanoTime() - started) / 1_000_000);
      return this;
    } catch (IOException | RuntimeException e) {
      if (child != null && !child.isAlive()) {
        childOutput.awaitEnd(5000); // read the dead child's last words before quoting them
      }
      String details = failureDetails(childOutput);
      stop();
      if (e instanceof StartupFailure) {
        throw new IllegalStateException(e.getMessage() + "\n" + details, e);
      }
      throw new IllegalStateException("Cassandra at " + contactPoint() + " failed to start: " + e
          + "\n" + details, e);
    }
  }

  /**
   * Stops the node: closes its stdin (the child then exits through Cassandra's shutdown hooks, which
   * drain the node) and sends SIGTERM as well; after {@value #STOP_SECONDS} s it is killed.
   * Does nothing if the node is not running.
   */
  public void stop() {
    synchronized (stateLock) {
      Process p = process;
      if (p != null) {
        terminate(p);
        output.awaitEnd(5000);
        process = null;
        output = null;
      }
      removeShutdownHook();
      unlockDataDir();
    }
  }

  /** Closes stdin, sends SIGTERM, waits, kills. Needs no lock: concurrent calls are harmless. */
  private void terminate(Process p) {
    if (p.isAlive()) {
      log.info("Stopping Cassandra at {}", contactPoint());
      try {
        p.getOutputStream().close();
      } catch (IOException e) {
        log.debug("closing the child's stdin failed", e);
      }
      // SIGTERM through the handle: Process.destroy() would also close the output pipe we still
      // read, and the drain's warnings would be lost.
      p.toHandle().destroy();
      try {
        if (!p.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
          log.warn("Cassandra at {} did not stop within {} s; killing it", contactPoint(),
              STOP_SECONDS);
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      log.info("Cassandra at {} stopped (exit code {})", contactPoint(),
          p.isAlive() ? "?" : Integer.toString(p.exitValue()));
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** Whether the child process is alive (it may still be starting or already stopping). */
  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** The child's process handle while it runs, e.g. to watch its exit; empty otherwise. */
  public Optional<ProcessHandle> processHandle() {
    Process p = process;
    return p == null ? Optional.empty() : Optional.of(p.toHandle());
  }

  /** {@code address:nativePort}, e.g. {@code 127.0.0.1:9042}. */
  public String contactPoint() {
    return settings.address() + ":" + settings.nativePort();
  }

  /** The CQL address as a socket address, as the driver wants it. */
  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(settings.address(), settings.nativePort());
  }

  /** The node's data center, which a driver session must name as its local one. */
  public String dataCenter() {
    return settings.dataCenter();
  }

  // ---------------------------------------------------------------------------------------------

  /** Polls until a real CQL session works; returns Cassandra's release_version. */
  private String awaitCql(Process child, long deadlineNanos) {
    long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    RuntimeException lastError = null;
    // The driver's first session in a JVM spends 1-3 s loading and initialising classes; do that
    // on the other core while Cassandra boots (the attempt itself fails: nothing listens yet).
    Thread warmUp = new Thread(() -> {
      try (CqlSession ignored = probeSession()) {
        log.debug("driver warm-up connected early");
      } catch (RuntimeException expected) {
        log.debug("driver warm-up done: {}", expected.toString());
      }
    }, "cassandra-driver-warmup");
    warmUp.setDaemon(true);
    warmUp.start();
    while (true) {
      if (!child.isAlive()) {
        throw new StartupFailure("Cassandra at " + contactPoint() + " exited with code "
            + child.exitValue() + " during startup");
      }
      if (System.nanoTime() > deadlineNanos) {
        throw new StartupFailure("Cassandra at " + contactPoint() + " did not accept CQL within "
            + settings.startupTimeout().toSeconds() + " s"
            + (lastError == null ? "" : "; last error: " + lastError));
      }
      // A plain connect first: the driver is slow and noisy when nothing listens yet.
      if (portOpen()) {
        try (CqlSession session = probeSession()) {
          return session.execute("SELECT release_version FROM system.local").one().getString(0);
        } catch (RuntimeException e) {
          lastError = e;
        }
      }
      if (System.nanoTime() > nextReport) {
        nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        log.info("Still waiting for Cassandra at {}: {}", contactPoint(),
            CassandraLibraries.tail(CassandraConfig.systemLog(settings), 1));
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StartupFailure("interrupted while waiting for Cassandra at " + contactPoint());
      }
    }
  }

  private boolean portOpen() {
    try (Socket socket = new Socket()) {
      socket.connect(socketAddress(), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private CqlSession probeSession() {
    DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
        // The programmatic loader also reads application.conf, whose contact points would be added to ours.
        .withStringList(DefaultDriverOption.CONTACT_POINTS, java.util.List.of())
        .withString(DefaultDriverOption.SESSION_NAME, "embedded-cassandra-probe")
        .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(5))
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
        // The probe only runs one query: skip loading schema and token metadata.
        .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
        .withBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED, false)
        // Cassandra 5 speaks V5; naming it skips the driver's DSE_V2 -> DSE_V1 -> V5 negotiation.
        .withString(DefaultDriverOption.PROTOCOL_VERSION, "V5")
        // Netty's default 2 s quiet period would make every start 2 s slower when the probe closes.
        .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
        .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
        .build();
    return CqlSession.builder()
        .addContactPoint(socketAddress())
        .withLocalDatacenter(settings.dataCenter())
        .withConfigLoader(config)
        .build();
  }

  /**
   * Fails fast if a port is taken. Without this, a node already listening on the CQL port would
   * answer our readiness probe and this start would look successful.
   */
  private void checkPortsFree() throws IOException {
    InetAddress address = InetAddress.getByName(settings.address());
    checkPortFree("CQL", address, settings.nativePort());
    checkPortFree("storage", address, settings.storagePort());
    checkPortFree("JMX", InetAddress.getLoopbackAddress(), settings.jmxPort());
  }

  private static void checkPortFree(String what, InetAddress address, int port) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      throw new IOException(what + " port " + address.getHostAddress() + ":" + port
          + " is already in use (another Cassandra?)", e);
    }
  }

  /** Two nodes on one data dir would corrupt it; the OS releases the lock if this JVM dies. */
  private void lockDataDir() throws IOException {
    if (dataDirLock != null) {
      return;
    }
    FileChannel channel = FileChannel.open(settings.dataDir().resolve("meridian.lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IOException("data dir " + settings.dataDir() + " is used by another running node");
    }
    lockChannel = channel;
    dataDirLock = lock;
  }

  private void unlockDataDir() {
    try {
      if (dataDirLock != null) {
        dataDirLock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      log.debug("releasing the data dir lock failed", e);
    }
    dataDirLock = null;
    lockChannel = null;
  }

  private void removeShutdownHook() {
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down; the hook runs (or ran) and finds nothing to stop.
      }
    }
    shutdownHook = null;
  }

  private String failureDetails(ChildOutput childOutput) {
    return "--- last " + TAIL_LINES + " lines of " + CassandraConfig.systemLog(settings) + " ---\n"
        + CassandraLibraries.tail(CassandraConfig.systemLog(settings), TAIL_LINES)
        + "\n--- last " + TAIL_LINES + " lines of the process output (stderr) ---\n"
        + (childOutput == null ? "" : childOutput.tail());
  }

  /** The parent's own java, so the child runs on the same (tested) JDK. */
  private static Path javaExecutable() {
    String configured = CassandraLibraries.setting("meridian.cassandra.java", "MERIDIAN_CASSANDRA_JAVA");
    if (configured != null) {
      return Path.of(configured);
    }
    boolean windows = System.getProperty("os.name", "").toLowerCase().contains("win");
    return Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
  }

  /**
   * Where the child loads {@link CassandraMain} from. A classes directory is used as is. From a jar,
   * only the class itself is copied out: the jar may be a shaded application jar whose Netty, Guava
   * or Jackson would shadow Cassandra's own versions.
   */
  private Path launcherLocation() throws IOException {
    Path location;
    try {
      location = Path.of(CassandraMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      location = null;
    }
    if (location != null && Files.isDirectory(location)) {
      return location;
    }
    Path dir = settings.dataDir().resolve("launcher");
    Path target = dir.resolve(CassandraMain.class.getName().replace('.', '/') + ".class");
    Files.createDirectories(target.getParent());
    try (InputStream in = CassandraMain.class.getResourceAsStream("CassandraMain.class")) {
      if (in == null) {
        throw new UncheckedIOException(new IOException("CassandraMain.class not found"));
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return dir;
  }

  /** A startup failure whose message already says what happened. */
  private static final class StartupFailure extends RuntimeException {
    StartupFailure(String message) {
      super(message);
    }
  }
}
