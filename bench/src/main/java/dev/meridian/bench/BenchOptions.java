package dev.meridian.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The harness' command line (see {@link #USAGE}); every option has a default so that bin/bench alone runs. */
record BenchOptions(
    String meridian, String reference, Set<String> suites, List<Workload> workloads, List<Integer> sizes,
    List<Integer> concurrency, long maxInflight, Duration duration, Duration warmup, Duration serverWarmup, int rounds,
    long maxOps,
    int listKeys, List<Integer> listSizes, int partSize, int partParallelism,
    Path out, String cassandra, String cassandraDc, int basePort, String nodeHeap, String s3proxyProvider,
    boolean sdkChecksums, Path jfr, boolean keepData, String keyspacePrefix,
    List<ReplicationBench.Rate> replicationRates, Duration lagPoll, Duration replicationSteady, Duration outage, Duration drainTimeout,
    List<Integer> scaleNodes, List<Integer> recoveryHistory, List<Integer> heapBuckets) {

  /** The S3 operations the harness measures. */
  enum Workload { PUT, GET, HEAD, DELETE, LIST, MPU }

  static final String USAGE = """
      usage: bin/bench [options]            (every option is --name value)
        --meridian auto|URL        auto (default): start a one-region Meridian with the launcher; or a running
                                   S3 endpoint (also --target meridian=URL)
        --reference s3proxy|none|URL   the reference server (default s3proxy 4.1.0, filesystem backend)
        --suites s3,replication,scaling|all   what to run (default s3)
        --workloads put,get,head,delete,list,mpu   (default all)
        --sizes 4KiB,1MiB,64MiB    object sizes          --concurrency 4,32   requests in flight
        --max-inflight 256MiB      a size runs only at concurrencies with at most this many bytes in flight
                                   (64 MiB objects: up to 4), and at least one request
        --duration 10s  --warmup 3s  --rounds 3  --max-ops 100000   per cell; rounds alternate the targets
        --server-warmup 60s        per target before round 1: PUT, GET and HEAD of the sizes up to 1 MiB, not
                                   recorded, so that servers are measured warm (JIT-compiled), not starting
        --list-keys 100000         keys in the LIST bucket; --list-sizes 1000,10000,100000 measured on the way
        --part-size 8MiB  --part-parallelism 4   multipart PUT
        --out FILE.json            results (a .txt table is written next to it)
        --cassandra embedded|host:port (default $MERIDIAN_CASSANDRA or embedded)  --cassandra-dc datacenter1
        --base-port 31100          S3 ports from here, cluster +100, management +200, s3proxy +300, Cassandra +400
        --node-heap 512m           heap of every Meridian node and of s3proxy
        --s3proxy-provider filesystem   (or filesystem-nio2, transient)
        --sdk-checksums false      true: the SDK's default CRC32 trailers on uploads
        --jfr DIR                  record JFR ("default") on the Meridian nodes: s3 rounds; whole replication suite
        --keep-data false          true: keep the run's keyspaces and s3proxy files
        --keyspace-prefix NAME     reuse these keyspaces (kept) instead of new ones per run (dropped at the end)
        --replication-rates 200x4KiB,20x1MiB  --replication-steady 60s  --outage 120s  --drain-timeout 10m
        --lag-poll 500ms           how often each destination is listed (the lag's resolution)
        --scale-nodes 1,2,3  --recovery-history 100,1000,5000  --heap-buckets 100,1000
      """;

  static BenchOptions parse(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) throw new IllegalArgumentException(USAGE);
      if (!a.startsWith("--")) throw new IllegalArgumentException("bad option: " + a + "\n" + USAGE);
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else {
        if (i + 1 >= args.length) throw new IllegalArgumentException("missing value for " + a + "\n" + USAGE);
        value = args[++i];
      }
      if (name.equals("target")) {
        if (!value.startsWith("meridian=")) throw new IllegalArgumentException("--target meridian=URL expected");
        name = "meridian";
        value = value.substring("meridian=".length());
      }
      o.put(name, value);
    }
    String env = System.getenv("MERIDIAN_CASSANDRA");
    String suites = o.getOrDefault("suites", "s3");
    return new BenchOptions(
        o.getOrDefault("meridian", "auto"),
        o.getOrDefault("reference", "s3proxy"),
        Set.copyOf(list(suites.equals("all") ? "s3,replication,scaling" : suites)),
        list(o.getOrDefault("workloads", "put,get,head,delete,list,mpu")).stream()
            .map(w -> Workload.valueOf(w.toUpperCase(Locale.ROOT))).toList(),
        list(o.getOrDefault("sizes", "4KiB,1MiB,64MiB")).stream().map(BenchOptions::bytes).toList(),
        ints(o.getOrDefault("concurrency", "4,32")),
        (long) bytes(o.getOrDefault("max-inflight", "256MiB")),
        duration(o.getOrDefault("duration", "10s")),
        duration(o.getOrDefault("warmup", "3s")),
        duration(o.getOrDefault("server-warmup", "60s")),
        Integer.parseInt(o.getOrDefault("rounds", "3")),
        Long.parseLong(o.getOrDefault("max-ops", "100000")),
        Integer.parseInt(o.getOrDefault("list-keys", "100000")),
        ints(o.getOrDefault("list-sizes", "1000,10000,100000")),
        bytes(o.getOrDefault("part-size", "8MiB")),
        Integer.parseInt(o.getOrDefault("part-parallelism", "4")),
        Path.of(o.getOrDefault("out", "bench/target/results/bench.json")).toAbsolutePath(),
        o.getOrDefault("cassandra", env == null || env.isBlank() ? "embedded" : env.split("/")[0]),
        o.getOrDefault("cassandra-dc", env != null && env.contains("/") ? env.split("/")[1] : "datacenter1"),
        Integer.parseInt(o.getOrDefault("base-port", "31100")),
        o.getOrDefault("node-heap", "512m"),
        o.getOrDefault("s3proxy-provider", "filesystem"),
        Boolean.parseBoolean(o.getOrDefault("sdk-checksums", "false")),
        o.containsKey("jfr") ? Path.of(o.get("jfr")).toAbsolutePath() : null,
        Boolean.parseBoolean(o.getOrDefault("keep-data", "false")),
        o.get("keyspace-prefix"),
        list(o.getOrDefault("replication-rates", "200x4KiB,20x1MiB")).stream().map(ReplicationBench.Rate::parse).toList(),
        duration(o.getOrDefault("lag-poll", "500ms")),
        duration(o.getOrDefault("replication-steady", "60s")),
        duration(o.getOrDefault("outage", "120s")),
        duration(o.getOrDefault("drain-timeout", "10m")),
        ints(o.getOrDefault("scale-nodes", "1,2,3")),
        ints(o.getOrDefault("recovery-history", "100,1000,5000")),
        ints(o.getOrDefault("heap-buckets", "100,1000")));
  }

  static List<String> list(String s) {
    return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  static List<Integer> ints(String s) {
    return list(s).stream().map(Integer::parseInt).toList();
  }

  /** 4KiB, 1MiB, 64MiB, 4k, 1m, 123 (bytes). */
  static int bytes(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
    long mult = 1;
    if (t.endsWith("k")) mult = 1024;
    if (t.endsWith("m")) mult = 1024 * 1024;
    if (t.endsWith("g")) mult = 1024L * 1024 * 1024;
    if (mult > 1) t = t.substring(0, t.length() - 1);
    long v = Long.parseLong(t) * mult;
    if (v > Integer.MAX_VALUE) throw new IllegalArgumentException("size too large: " + s);
    return (int) v;
  }

  /** 500ms, 10s, 2m, 1h. */
  static Duration duration(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    long v = Long.parseLong(t.substring(0, t.length() - 1));
    return switch (t.charAt(t.length() - 1)) {
      case 's' -> Duration.ofSeconds(v);
      case 'm' -> Duration.ofMinutes(v);
      case 'h' -> Duration.ofHours(v);
      default -> throw new IllegalArgumentException("duration like 10s, 2m: " + s);
    };
  }

  /** 4096 -> 4KiB, 1048576 -> 1MiB. */
  static String sizeName(long bytes) {
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) return (bytes >> 20) + "MiB";
    if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) return (bytes >> 10) + "KiB";
    return bytes + "B";
  }
}
