package dev.meridian.chaos.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for a run's processes. Chosen below the kernel's ephemeral range (32768 and up), so that
 * no outgoing connection can take the port of a node that is down between a kill and its restart, and
 * away from the run command's defaults (9000-9100, 25520-25600, 8550-8600) and Cassandra's (7000, 7199, 9042).
 */
public final class Ports {

  private final Set<Integer> taken = new HashSet<>();

  /** {@code width} consecutive ports free on every one of {@code hosts}; returns the first. */
  public synchronized int range(int width, List<String> hosts) {
    for (int attempt = 0; attempt < 2000; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(10_000, 32_000 - width);
      if (overlaps(base, width, 25_500, 25_600) || overlaps(base, width, 9_000, 9_100)
          || overlaps(base, width, 8_550, 8_600)) {
        continue;
      }
      boolean ok = true;
      for (int p = base; ok && p < base + width; p++) {
        ok = !taken.contains(p);
        for (String h : hosts) ok = ok && free(h, p);
      }
      if (!ok) continue;
      for (int p = base; p < base + width; p++) taken.add(p);
      return base;
    }
    throw new IllegalStateException("no " + width + " free consecutive ports found");
  }

  public int one(String host) {
    return range(1, List.of(host));
  }

  private static boolean overlaps(int base, int width, int lo, int hi) {
    return base < hi && base + width > lo;
  }

  static boolean free(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
