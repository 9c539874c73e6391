package dev.meridian.bench;

import java.time.Duration;
import java.util.stream.Stream;

/**
 * CPU time (user and system, from the OS) spent by a server's processes and by this load generator over a
 * measured cell, per operation. On a machine whose cores the server, its storage and the load generator
 * share, throughput swings from round to round with whoever else runs, while the CPU an operation costs
 * each process is steadier: it tells where the time goes (bench/README.md, "CPU per PUT").
 *
 * <p>The server is a process and everything it started, counted at each sample: a harness-started
 * Meridian is its launcher, the nodes and the embedded Cassandra (an external Cassandra is not counted);
 * s3proxy is its one process.
 */
final class CpuMeter {

  /** CPU consumed so far, in nanoseconds: the server's processes and this JVM. */
  record Sample(long serverNanos, long generatorNanos) {}

  /** CPU per operation, in milliseconds. */
  record PerOp(double serverMs, double generatorMs) {}

  private final ProcessHandle server;

  CpuMeter(ProcessHandle server) {
    this.server = server;
  }

  Sample sample() {
    long total = Stream.concat(Stream.of(server), server.descendants()).mapToLong(CpuMeter::cpuNanos).sum();
    return new Sample(total, cpuNanos(ProcessHandle.current()));
  }

  /** The CPU per operation between two samples; null without operations. */
  static PerOp perOp(Sample before, Sample after, long ops) {
    if (ops <= 0) return null;
    return new PerOp((after.serverNanos() - before.serverNanos()) / 1e6 / ops,
        (after.generatorNanos() - before.generatorNanos()) / 1e6 / ops);
  }

  private static long cpuNanos(ProcessHandle p) {
    return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }
}
