package dev.meridian.persistence.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the stdout/stderr of a Cassandra child process. The pipe must be read continuously or the
 * child blocks once it is full. Each line is forwarded to the SLF4J logger
 * {@code dev.meridian.persistence.embedded.CassandraProcess} (never to our stdout, which
 * {@link EmbeddedCassandraMain} reserves for its READY line), appended to {@code logs/console.log}
 * (JVM-level messages such as crash reports appear only there) and kept in a small tail that is
 * quoted when a start fails.
 */
final class ChildOutput {

  private static final Logger childLog =
      LoggerFactory.getLogger("dev.meridian.persistence.embedded.CassandraProcess");
  private static final Logger log = LoggerFactory.getLogger(ChildOutput.class);

  private final int keep;
  private final Deque<String> tail = new ArrayDeque<>(); // guarded by itself
  private final Thread thread;

  private ChildOutput(InputStream output, Path consoleLog, String prefix, int keep, String threadName) {
    this.keep = keep;
    this.thread = new Thread(() -> pump(output, consoleLog, prefix), threadName);
    this.thread.setDaemon(true);
  }

  /** Starts draining {@code output} on a daemon thread. */
  static ChildOutput start(InputStream output, Path consoleLog, String prefix, int keep, String threadName) {
    ChildOutput pump = new ChildOutput(output, consoleLog, prefix, keep, threadName);
    pump.thread.start();
    return pump;
  }

  /** The last lines read, oldest first. */
  String tail() {
    synchronized (tail) {
      return String.join("\n", tail);
    }
  }

  /** Waits a little for the end of the output, e.g. so that a dead child's last words are read. */
  void awaitEnd(long millis) {
    try {
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pump(InputStream output, Path consoleLog, String prefix) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
         Writer console = Files.newBufferedWriter(consoleLog, StandardCharsets.UTF_8,
             StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      String line;
      while ((line = reader.readLine()) != null) {
        childLog.warn("{}{}", prefix, line);
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > keep) {
            tail.removeFirst();
          }
        }
        console.write(line);
        console.write('\n');
        console.flush();
      }
    } catch (IOException e) {
      log.debug("reading Cassandra's output ended", e);
    }
  }
}
