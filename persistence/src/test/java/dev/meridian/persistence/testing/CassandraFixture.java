package dev.meridian.persistence.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import dev.meridian.persistence.embedded.CassandraSettings;
import dev.meridian.persistence.embedded.EmbeddedCassandra;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension giving tests one shared Cassandra per JVM, whatever the machine offers.
 *
 * <p>The first test class that needs it picks, in order:
 * <ol>
 *   <li>an external node named by {@code MERIDIAN_CASSANDRA} (env) or {@code meridian.cassandra}
 *       (system property), as {@code host:port} or {@code host:port/dc} (dc default
 *       {@code datacenter1}); for example one started by {@code EmbeddedCassandraMain} for a whole
 *       test run;</li>
 *   <li>a Testcontainers {@code cassandra:5.0} container, if Docker is available;</li>
 *   <li>otherwise an {@link EmbeddedCassandra} child process in a fresh temporary directory on free
 *       ports (heap 768m), stopped and deleted when the JVM exits.</li>
 * </ol>
 * {@code MERIDIAN_CASSANDRA_MODE} / {@code meridian.cassandra.mode} = {@code external},
 * {@code docker} or {@code embedded} forces a mode (skips the Docker probe, for instance).
 * {@code MERIDIAN_CASSANDRA_VERBOSE=true} / {@code -Dmeridian.cassandra.verbose=true} prints the
 * chosen mode on stdout; it is always logged.
 *
 * <pre>{@code
 * @ExtendWith(CassandraFixture.class)
 * class MyIT {
 *   @Test void works() {
 *     String ks = CassandraFixture.keyspaceFor(getClass());
 *     CassandraFixture.session().execute("CREATE TABLE IF NOT EXISTS " + ks + ".t (k int PRIMARY KEY)");
 *   }
 * }
 * }</pre>
 *
 * <p>Shipped in this module's test-jar; users also need JUnit Jupiter, the Cassandra driver and, for
 * the Docker mode, testcontainers-cassandra on their test classpath (without it that mode is skipped).
 */
public final class CassandraFixture implements BeforeAllCallback {

  /** Where the shared Cassandra comes from. */
  public enum Mode { EXTERNAL, DOCKER, EMBEDDED }

  private static final Logger log = LoggerFactory.getLogger(CassandraFixture.class);
  private static final int MAX_KEYSPACE_LENGTH = 48; // Cassandra's limit for keyspace names
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15); // schema changes are slow

  private static Node node; // guarded by CassandraFixture.class
  private static RuntimeException startFailure; // guarded by CassandraFixture.class
  private static final Map<String, Boolean> createdKeyspaces = new ConcurrentHashMap<>();

  /** A running Cassandra and the shared session to it. */
  private record Node(Mode mode, InetSocketAddress contactPoint, String dataCenter, CqlSession session) {}

  /** Starts (or finds) the shared Cassandra before the test class runs. */
  @Override
  public void beforeAll(ExtensionContext context) {
    node();
  }

  /** Which kind of Cassandra the tests run against. */
  public static Mode mode() {
    return node().mode();
  }

  /** CQL address of the shared Cassandra. */
  public static InetSocketAddress contactPoint() {
    return node().contactPoint();
  }

  /** Data center to name as local in driver sessions. */
  public static String localDatacenter() {
    return node().dataCenter();
  }

  /** A session shared by all tests of this JVM (15 s request timeout); do not close it. */
  public static CqlSession session() {
    return node().session();
  }

  /**
   * Creates (if needed) and returns a keyspace owned by one test class (SimpleStrategy, RF 1), so
   * that test classes sharing the Cassandra do not see each other's tables.
   */
  public static String keyspaceFor(Class<?> testClass) {
    String name = keyspaceName(testClass);
    createdKeyspaces.computeIfAbsent(name, ks -> {
      session().execute("CREATE KEYSPACE IF NOT EXISTS " + ks
          + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      return Boolean.TRUE;
    });
    return name;
  }

  /**
   * The keyspace name of a test class, without creating it: {@code t_} + the lowercased simple name
   * with other characters than {@code [a-z0-9_]} replaced by {@code _}, cut to fit, + {@code _} + a
   * hash of the fully qualified name (so equal simple names in different packages differ); at most
   * 48 characters.
   */
  public static String keyspaceName(Class<?> testClass) {
    String fullName = testClass.getName();
    String simple = fullName.substring(Math.max(fullName.lastIndexOf('.'), fullName.lastIndexOf('$')) + 1);
    String sanitized = simple.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    CRC32 crc = new CRC32();
    crc.update(fullName.getBytes(StandardCharsets.UTF_8));
    String hash = String.format("%08x", crc.getValue());
    int room = MAX_KEYSPACE_LENGTH - "t_".length() - 1 - hash.length();
    if (sanitized.length() > room) {
      sanitized = sanitized.substring(0, room);
    }
    return "t_" + sanitized + "_" + hash;
  }

  // ---------------------------------------------------------------------------------------------

  private static synchronized Node node() {
    if (node != null) {
      return node;
    }
    if (startFailure != null) { // do not spend another startup timeout for every test class
      throw new IllegalStateException("the shared Cassandra failed to start earlier", startFailure);
    }
    try {
      node = start();
    } catch (RuntimeException e) {
      startFailure = e;
      throw e;
    }
    String message = "CassandraFixture: mode=" + node.mode() + " contactPoint="
        + node.contactPoint().getHostString() + ":" + node.contactPoint().getPort()
        + " dc=" + node.dataCenter();
    log.info(message);
    if (Boolean.parseBoolean(setting("meridian.cassandra.verbose", "MERIDIAN_CASSANDRA_VERBOSE"))) {
      System.out.println(message);
    }
    return node;
  }

  private static Node start() {
    String forced = setting("meridian.cassandra.mode", "MERIDIAN_CASSANDRA_MODE");
    String mode = forced == null ? "auto" : forced.toLowerCase(Locale.ROOT);
    String external = setting("meridian.cassandra", "MERIDIAN_CASSANDRA");
    if (mode.equals("external") || (mode.equals("auto") && external != null)) {
      if (external == null) {
        throw new IllegalStateException("mode external needs MERIDIAN_CASSANDRA=host:port[/dc]");
      }
      return external(external);
    }
    if (mode.equals("docker") || (mode.equals("auto") && Docker.available())) {
      return Docker.start();
    }
    if (mode.equals("auto") || mode.equals("embedded")) {
      return embedded();
    }
    throw new IllegalStateException("unknown Cassandra fixture mode " + forced
        + " (expected external, docker or embedded)");
  }

  /** Parses {@code host:port} or {@code host:port/dc}. */
  static InetSocketAddress parseHostPort(String spec) {
    String hostPort = spec.contains("/") ? spec.substring(0, spec.indexOf('/')) : spec;
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected host:port[/dc], got " + spec);
    }
    return new InetSocketAddress(hostPort.substring(0, colon),
        Integer.parseInt(hostPort.substring(colon + 1)));
  }

  private static Node external(String spec) {
    String dc = spec.contains("/") ? spec.substring(spec.indexOf('/') + 1)
        : CassandraSettings.DEFAULT_DATA_CENTER;
    InetSocketAddress address = parseHostPort(spec);
    return connect(Mode.EXTERNAL, address, dc, () -> { });
  }

  private static Node embedded() {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("meridian-cassandra-");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a temp dir for Cassandra", e);
    }
    InetAddress loopback = InetAddress.getLoopbackAddress();
    CassandraSettings settings = CassandraSettings.builder(dataDir)
        .address(loopback.getHostAddress())
        .nativePort(FreePorts.freePort(loopback))
        .storagePort(FreePorts.freePort(loopback))
        .jmxPort(FreePorts.freePort(loopback))
        .heap("768m")
        .shutdownHook(false) // ours below closes the session first, then stops, then deletes
        .build();
    EmbeddedCassandra cassandra = new EmbeddedCassandra(settings);
    Runnable cleanup = () -> {
      cassandra.stop();
      deleteQuietly(dataDir);
    };
    try {
      cassandra.start();
    } catch (RuntimeException e) {
      cleanup.run();
      throw e;
    }
    return connect(Mode.EMBEDDED, cassandra.socketAddress(), cassandra.dataCenter(), cleanup);
  }

  /** Opens the shared session and registers the JVM-exit cleanup (session first, then the node). */
  static Node connect(Mode mode, InetSocketAddress address, String dc, Runnable stopNode) {
    CqlSession session;
    try {
      session = newSession(address, dc);
    } catch (RuntimeException e) {
      stopNode.run();
      throw new IllegalStateException("cannot connect to Cassandra at " + address + " (dc " + dc + ")", e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        session.close();
      } catch (RuntimeException e) {
        log.debug("closing the shared session failed", e);
      }
      stopNode.run();
    }, "cassandra-fixture-cleanup"));
    return new Node(mode, address, dc, session);
  }

  /** A new session with the fixture's settings; the caller closes it. */
  public static CqlSession newSession(InetSocketAddress address, String dc) {
    DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
        // The programmatic loader also reads application.conf, whose contact points would be added to ours.
        .withStringList(DefaultDriverOption.CONTACT_POINTS, java.util.List.of())
        // ... and its reconnect-on-init, which would retry an unreachable address forever.
        .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, false)
        .withString(DefaultDriverOption.SESSION_NAME, "cassandra-fixture")
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, REQUEST_TIMEOUT)
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, REQUEST_TIMEOUT)
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, REQUEST_TIMEOUT)
        // Schema changes complete after a metadata refresh, debounced by 1 s by default (as the node's).
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ofMillis(10))
        .build();
    return CqlSession.builder()
        .addContactPoint(address)
        .withLocalDatacenter(dc)
        .withConfigLoader(config)
        .build();
  }

  private static String setting(String property, String env) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(env);
    }
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      log.debug("could not delete {}", dir, e);
    }
  }

  /**
   * Everything touching Testcontainers, in its own class: it is only loaded when used, so the
   * fixture still works where Testcontainers is not on the classpath (a missing class then counts
   * as "no Docker").
   */
  private static final class Docker {
    static boolean available() {
      try {
        return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
      } catch (Throwable e) { // NoClassDefFoundError included: any failure means no Docker mode
        log.debug("Docker is not available for Cassandra tests", e);
        return false;
      }
    }

    static Node start() {
      var container = new org.testcontainers.cassandra.CassandraContainer("cassandra:5.0");
      container.start();
      return connect(Mode.DOCKER, container.getContactPoint(), container.getLocalDatacenter(),
          container::stop);
    }
  }
}
