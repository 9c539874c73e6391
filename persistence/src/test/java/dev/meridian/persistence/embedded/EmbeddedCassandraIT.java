package dev.meridian.persistence.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.meridian.persistence.testing.CassandraFixture;
import dev.meridian.persistence.testing.FreePorts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts real Cassandra nodes: through the shared fixture, and (one at a time, always stopped)
 * dedicated nodes for restart and parent-death behaviour.
 */
@ExtendWith(CassandraFixture.class)
class EmbeddedCassandraIT {

  @Test
  void writesAndReadsThroughTheFixture() {
    CqlSession session = CassandraFixture.session();
    String ks = CassandraFixture.keyspaceFor(getClass());
    session.execute("CREATE TABLE IF NOT EXISTS " + ks + ".kv (k text PRIMARY KEY, v text)");
    session.execute("INSERT INTO " + ks + ".kv (k, v) VALUES ('hello', 'world')");
    Row row = session.execute("SELECT v FROM " + ks + ".kv WHERE k = 'hello'").one();
    assertNotNull(row);
    assertEquals("world", row.getString("v"));
    System.out.println("Fixture mode: " + CassandraFixture.mode() + " at " + CassandraFixture.contactPoint());
  }

  @Test
  void dataSurvivesARestartOnTheSameDataDir(@TempDir Path dataDir) {
    CassandraSettings settings = dedicatedNode(dataDir);
    try (EmbeddedCassandra cassandra = new EmbeddedCassandra(settings)) {
      long fresh = timed(cassandra::start);
      try (CqlSession session = CassandraFixture.newSession(cassandra.socketAddress(), cassandra.dataCenter())) {
        session.execute("CREATE KEYSPACE durable WITH replication = "
            + "{'class': 'SimpleStrategy', 'replication_factor': 1}");
        session.execute("CREATE TABLE durable.kv (k text PRIMARY KEY, v text)");
        session.execute("INSERT INTO durable.kv (k, v) VALUES ('kept', 'across restarts')");
      }
      long stop = timed(cassandra::stop);
      assertFalse(cassandra.isRunning());

      long restart = timed(cassandra::start);
      try (CqlSession session = CassandraFixture.newSession(cassandra.socketAddress(), cassandra.dataCenter())) {
        Row row = session.execute("SELECT v FROM durable.kv WHERE k = 'kept'").one();
        assertNotNull(row, "row lost across restart");
        assertEquals("across restarts", row.getString("v"));
      }
      System.out.printf("EmbeddedCassandra timings: fresh start %d ms, stop %d ms, restart with data %d ms%n",
          fresh, stop, restart);
    }
  }

  @Test
  void childExitsWhenItsParentIsKilled(@TempDir Path dataDir) throws Exception {
    CassandraSettings settings = dedicatedNode(dataDir);
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path")));
    passThrough(cmd, "meridian.cache", "meridian.cassandra.lib", "meridian.mvn", "maven.repo.local");
    cmd.addAll(List.of(EmbeddedCassandraMain.class.getName(),
        "--data-dir", dataDir.toString(),
        "--port", Integer.toString(settings.nativePort()),
        "--storage-port", Integer.toString(settings.storagePort()),
        "--jmx-port", Integer.toString(settings.jmxPort()),
        "--heap", settings.heap()));
    Process launcher = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Deque<String> lastLines = new ArrayDeque<>();
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> readLauncher(launcher, lastLines, ready), "launcher-output");
    reader.setDaemon(true);
    reader.start();
    List<ProcessHandle> children = List.of();
    try {
      String line = ready.get(settings.startupTimeout().toSeconds() + 60, TimeUnit.SECONDS);
      assertEquals("CASSANDRA READY 127.0.0.1:" + settings.nativePort() + " dc=datacenter1", line,
          String.join("\n", lastLines));
      // The launcher's only child is the Cassandra JVM (its command line is too long for
      // ProcessHandle.Info to be relied on for matching).
      children = launcher.toHandle().children().collect(Collectors.toList());
      assertEquals(1, children.size(), "expected exactly the Cassandra child under the launcher");
      ProcessHandle cassandra = children.get(0);

      launcher.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook runs in the launcher
      assertTrue(launcher.waitFor(30, TimeUnit.SECONDS));
      long killed = System.nanoTime();
      cassandra.onExit().get(90, TimeUnit.SECONDS);
      assertFalse(cassandra.isAlive());
      System.out.printf("Cassandra child exited %d ms after its parent was SIGKILLed%n",
          (System.nanoTime() - killed) / 1_000_000);
    } finally {
      children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      // Children not yet listed (e.g. a timeout before READY) must not outlive the test either.
      launcher.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      launcher.destroyForcibly();
    }
  }

  /** A node on free ports next to the fixture's, small heap since two may run at once. */
  private static CassandraSettings dedicatedNode(Path dataDir) {
    return CassandraSettings.builder(dataDir)
        .nativePort(FreePorts.freePort())
        .storagePort(FreePorts.freePort())
        .jmxPort(FreePorts.freePort())
        .heap("512m")
        .build();
  }

  private static void readLauncher(Process launcher, Deque<String> lastLines, CompletableFuture<String> ready) {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("CASSANDRA READY")) {
          ready.complete(line);
        }
        synchronized (lastLines) {
          lastLines.addLast(line);
          if (lastLines.size() > 50) {
            lastLines.removeFirst();
          }
        }
      }
    } catch (Exception e) {
      // The launcher was killed; fall through.
    }
    synchronized (lastLines) {
      ready.completeExceptionally(new AssertionError("launcher ended before READY:\n"
          + String.join("\n", lastLines)));
    }
  }

  private static void passThrough(List<String> cmd, String... properties) {
    for (String property : properties) {
      String value = System.getProperty(property);
      if (value != null) {
        cmd.add("-D" + property + "=" + value);
      }
    }
  }

  private static long timed(Runnable action) {
    long started = System.nanoTime();
    action.run();
    return (System.nanoTime() - started) / 1_000_000;
  }
}
