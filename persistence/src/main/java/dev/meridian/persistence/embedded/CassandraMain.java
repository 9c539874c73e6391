package dev.meridian.persistence.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Main class of the Cassandra child process started by {@link EmbeddedCassandra}.
 *
 * <p>It ties the child's life to its parent: a daemon thread reads {@code System.in} until end of
 * file and then calls {@code System.exit(0)}, which runs Cassandra's own shutdown hooks (drain,
 * flush). The parent keeps the write end of that pipe open and never writes to it, so the pipe only
 * reaches end of file when the parent closes it or dies, even by SIGKILL, which leaves no orphaned
 * Cassandra behind. Afterwards it starts {@code org.apache.cassandra.service.CassandraDaemon}.
 *
 * <p>This class runs on the child's classpath next to Cassandra's jars, so it must only use the JDK
 * (Cassandra is reached through reflection, and nothing else of this module is loaded).
 */
public final class CassandraMain {

  private static final String DAEMON = "org.apache.cassandra.service.CassandraDaemon";

  private CassandraMain() {}

  public static void main(String[] args) throws Throwable {
    // Started before Cassandra so that a parent that dies during the (long) startup is noticed too.
    Thread watcher = new Thread(CassandraMain::exitOnStdinEof, "meridian-parent-watcher");
    watcher.setDaemon(true);
    watcher.start();

    Method main = Class.forName(DAEMON).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void exitOnStdinEof() {
    InputStream in = System.in;
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) >= 0) {
        // The parent never writes; anything that arrives is ignored.
      }
    } catch (IOException e) {
      // A broken pipe means the same as end of file: the parent is gone.
    }
    System.err.println("WARN  CassandraMain: stdin closed (parent stopped or died), shutting down");
    System.exit(0);
  }
}
