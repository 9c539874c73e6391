package dev.meridian.persistence.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Picks TCP ports that are free right now, for test servers that cannot be told to pick their own
 * (Cassandra needs its ports in its config file before it starts).
 *
 * <p>The OS may hand a port out again between this call and the server binding it; ports already
 * returned by this JVM are never returned twice, which rules out clashes between our own servers.
 */
public final class FreePorts {

  private static final Set<Integer> handedOut = new HashSet<>();

  private FreePorts() {}

  /** A port that is free on {@code address} (and was not returned before by this JVM). */
  public static synchronized int freePort(InetAddress address) {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(address, 0));
        int port = socket.getLocalPort();
        if (handedOut.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port on " + address, e);
      }
    }
    throw new IllegalStateException("no new free port on " + address + " after 100 attempts");
  }

  /** A port that is free on the loopback address 127.0.0.1. */
  public static int freePort() {
    return freePort(InetAddress.getLoopbackAddress());
  }
}
