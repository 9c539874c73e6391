package dev.meridian.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.server.ReplicationRoleDocuments;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamAsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.ReplicationRule;

/**
 * Replication lag on a two-region Meridian: a source bucket in the first region with an SRR rule (a
 * bucket in the same region) and a CRR rule (a bucket in the second region), written at a steady open-loop
 * rate; the lag of every object is the time from its PUT's acknowledgement to its key being listed in
 * each destination, read from that destination's own region. Then an outage: the streams into the second
 * region are paused (the management endpoint) for {@code --outage} while writes go on, resumed, and the
 * time until the backlog is delivered gives the drain rate against the rate it built at.
 */
final class ReplicationBench {

  /** A steady write rate: PUTs per second of objects of a size, e.g. 200x4KiB. */
  record Rate(int perSecond, int size) {
    static Rate parse(String s) {
      String[] p = s.split("x", 2);
      return new Rate(Integer.parseInt(p[0].trim()), BenchOptions.bytes(p[1]));
    }

    String name() {
      return perSecond + "x" + BenchOptions.sizeName(size);
    }
  }

  record Lag(String destination, long acked, long seen, long notSeen, long seenWithoutAck, double p50Ms,
      double p90Ms, double p99Ms, double p999Ms, double maxMs) {}

  record Steady(String rate, double seconds, long issued, long acked, long errors, long skipped, double achievedPerSec,
      Stats.Summary put, Map<String, Long> putErrors, List<Lag> lags, double load1Start, double load1End,
      JsonNode serverMetrics) {}

  record Outage(String rate, double outageSeconds, long backlogAtResume, double buildPerSec, double drainSeconds,
      boolean drained, double netDrainPerSec, double grossDeliveredPerSec, double drainToBuildRatio, Lag crrAllObjects,
      double load1Start, double load1End, JsonNode serverMetrics) {}

  record Result(String srcRegion, String dstRegion, double pollIntervalMs, List<Steady> steady, Outage outage) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BenchOptions o;
  private final MeridianCluster cluster;
  private final String runId;
  private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String src;
  private final String dst;
  private final Duration poll;

  ReplicationBench(BenchOptions o, MeridianCluster cluster, String runId) {
    this.o = o;
    this.cluster = cluster;
    this.runId = runId;
    this.src = cluster.spec().regions().get(0);
    this.dst = cluster.spec().regions().get(1);
    this.poll = o.lagPoll();
  }

  Result run() throws Exception {
    S3Target srcTarget = cluster.target("meridian-" + src, src);
    S3Target dstTarget = cluster.target("meridian-" + dst, dst);
    S3AsyncClient s3 = srcTarget.client(srcTarget.endpoint(), 512, o.sdkChecksums());
    S3AsyncClient s3Dst = dstTarget.client(dstTarget.endpoint(), 16, o.sdkChecksums());
    createRole(srcTarget);
    try {
      String srr = "repl-srr-" + runId;
      String crr = "repl-crr-" + runId;
      create(s3, srr, src);
      create(s3, crr, dst);
      int maxSize = o.replicationRates().stream().mapToInt(Rate::size).max().orElse(4096);
      byte[] data = new byte[maxSize];
      new Random(7).nextBytes(data);
      warmUp(s3, s3Dst, srr, crr, data);
      List<Steady> steady = new ArrayList<>();
      int i = 0;
      for (Rate rate : o.replicationRates()) {
        String bucket = "repl-src" + (i++) + "-" + runId;
        source(s3, bucket, src, srr, crr);
        steady.add(steady(s3, s3Dst, bucket, srr, crr, rate, data));
        say("replication " + rate.name() + ": " + steady.get(steady.size() - 1).lags());
      }
      Outage outage = null;
      if (!o.outage().isZero() && !o.replicationRates().isEmpty()) {
        String bucket = "repl-outage-" + runId;
        source(s3, bucket, src, srr, crr);
        outage = outage(s3, s3Dst, bucket, crr, o.replicationRates().get(0), data);
        say("outage: " + outage);
      }
      return new Result(src, dst, poll.toMillis(), steady, outage);
    } finally {
      s3.close();
      s3Dst.close();
    }
  }

  /**
   * Replication's first objects in a fresh cluster pay for starting the projections (and their first
   * scan of the tag table): a few objects are replicated to both destinations before anything is timed.
   */
  private void warmUp(S3AsyncClient s3, S3AsyncClient s3Dst, String srr, String crr, byte[] data) {
    String bucket = "repl-warm-" + runId;
    source(s3, bucket, src, srr, crr);
    String prefix = bucket + "/";
    Map<Long, Long> acks = new java.util.concurrent.ConcurrentHashMap<>();
    for (long n = 0; n < 5; n++) {
      Requests.put(s3, bucket, LagWatcher.key(prefix, n), data, 1024).join();
      acks.put(n, System.nanoTime());
    }
    LagWatcher a = new LagWatcher(s3, srr, prefix, acks, java.util.Set.of());
    LagWatcher b = new LagWatcher(s3Dst, crr, prefix, acks, java.util.Set.of());
    long t0 = System.nanoTime();
    long deadline = t0 + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline && (a.seenCount() < 5 || b.seenCount() < 5)) pollBoth(a, b);
    say(String.format("replication warm-up: 5 objects reached SRR %d/5, CRR %d/5 after %.1f s", a.seenCount(), b.seenCount(),
        (System.nanoTime() - t0) / 1e9));
  }

  private void create(S3AsyncClient s3, String bucket, String region) {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      try {
        s3.createBucket(b -> {
          b.bucket(bucket);
          if (!region.equals("us-east-1")) {
            b.createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.fromValue(region)));
          }
        }).join();
        break;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) throw e;
        OpenLoopWriter.sleep(1000);
      }
    }
    s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled"))).join();
  }

  /**
   * The replication role the rules name, trusted by S3 and allowed the replication actions: replication
   * checks it before every copy, as S3 does.
   */
  private static void createRole(S3Target target) {
    try (IamAsyncClient iam = IamAsyncClient.builder().endpointOverride(target.endpoint()).region(Region.AWS_GLOBAL)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(target.accessKey(), target.secretKey())))
        .build()) {
      iam.createRole(r -> r.roleName(ROLE).assumeRolePolicyDocument(ReplicationRoleDocuments.TRUST_POLICY))
          .exceptionally(e -> null).join(); // there already: a run against the same keyspaces
      iam.putRolePolicy(r -> r.roleName(ROLE).policyName("replicate")
          .policyDocument(ReplicationRoleDocuments.PERMISSIONS_POLICY)).join();
    }
  }

  private static final String ROLE = "replication-role";

  private void source(S3AsyncClient s3, String bucket, String region, String srr, String crr) {
    create(s3, bucket, region);
    s3.putBucketReplication(b -> b.bucket(bucket).replicationConfiguration(c -> c
        .role("arn:aws:iam::000000000000:role/" + ROLE)
        .rules(rule("srr", 1, srr), rule("crr", 2, crr)))).join();
  }

  private static ReplicationRule rule(String id, int priority, String destination) {
    return ReplicationRule.builder().id(id).priority(priority).status("Enabled").filter(f -> f.prefix(""))
        .deleteMarkerReplication(d -> d.status("Disabled"))
        .destination(d -> d.bucket("arn:aws:s3:::" + destination)).build();
  }

  private Steady steady(S3AsyncClient s3, S3AsyncClient s3Dst, String bucket, String srr, String crr, Rate rate,
      byte[] data) {
    String prefix = bucket + "/";
    double load0 = S3Suite.loadAverage();
    OpenLoopWriter w = new OpenLoopWriter(s3, bucket, prefix, data, rate.size(), rate.perSecond(),
        Math.max(64, rate.perSecond() * 10L));
    LagWatcher srrWatch = new LagWatcher(s3, srr, prefix, w.acks, w.failed);
    LagWatcher crrWatch = new LagWatcher(s3Dst, crr, prefix, w.acks, w.failed);
    say("replication: " + rate.name() + " for " + o.replicationSteady().toSeconds() + " s into " + bucket);
    long t0 = System.nanoTime();
    w.start(o.replicationSteady());
    long end = t0 + o.replicationSteady().toNanos();
    while (System.nanoTime() < end) {
      pollBoth(srrWatch, crrWatch);
    }
    w.stop();
    double seconds = (System.nanoTime() - t0) / 1e9;
    w.drain(Duration.ofMinutes(2));
    // Let the last objects arrive (bounded), then report what never did.
    long settle = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long bound = w.issued();
    while (System.nanoTime() < settle
        && (srrWatch.unseenBelow(bound, w::acked) > 0 || crrWatch.unseenBelow(bound, w::acked) > 0)) {
      pollBoth(srrWatch, crrWatch);
    }
    long acked = w.acks.size();
    return new Steady(rate.name(), seconds, w.issued(), acked, w.putLatency.errorCount(), w.skipped(), acked / seconds,
        w.putLatency.summary(seconds), w.putLatency.errors(),
        List.of(lag("SRR " + src, srrWatch, acked, w), lag("CRR " + dst, crrWatch, acked, w)),
        load0, S3Suite.loadAverage(), metrics(bucket));
  }

  private void pollBoth(LagWatcher... watchers) {
    long t = System.nanoTime();
    for (LagWatcher w : watchers) w.poll();
    long left = poll.toMillis() - (System.nanoTime() - t) / 1_000_000;
    if (left > 0) OpenLoopWriter.sleep(left);
  }

  private static Lag lag(String name, LagWatcher w, long acked, OpenLoopWriter writer) {
    List<Double> l = w.lags();
    long notSeen = w.unseenBelow(writer.issued(), writer::acked);
    return new Lag(name, acked, w.seenCount(), notSeen, w.seenBeforeAck(), Stats.percentile(l, 50), Stats.percentile(l, 90),
        Stats.percentile(l, 99), Stats.percentile(l, 99.9), l.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
  }

  private Outage outage(S3AsyncClient s3, S3AsyncClient s3Dst, String bucket, String crr, Rate rate, byte[] data)
      throws Exception {
    String prefix = bucket + "/";
    double load0 = S3Suite.loadAverage();
    Duration warm = Duration.ofSeconds(20);
    Duration total = warm.plus(o.outage()).plus(o.drainTimeout()).plus(Duration.ofSeconds(30));
    OpenLoopWriter w = new OpenLoopWriter(s3, bucket, prefix, data, rate.size(), rate.perSecond(),
        Math.max(64, rate.perSecond() * 10L));
    LagWatcher crrWatch = new LagWatcher(s3Dst, crr, prefix, w.acks, w.failed);
    say("outage: " + rate.name() + " into " + bucket + "; " + dst + " paused for " + o.outage().toSeconds() + " s after "
        + warm.toSeconds() + " s");
    w.start(total);
    try {
      pollFor(crrWatch, warm);
      management("POST", "/meridian/replication/regions/" + dst + "/pause");
      long paused = System.nanoTime();
      // While paused, nothing reaches the destination: poll rarely, just to see that.
      long until = paused + o.outage().toNanos();
      while (System.nanoTime() < until) {
        crrWatch.poll();
        OpenLoopWriter.sleep(2000);
      }
      long resumeSeq = w.issued();
      long resumed = System.nanoTime();
      management("POST", "/meridian/replication/regions/" + dst + "/resume");
      double outageSeconds = (resumed - paused) / 1e9;
      long backlog = crrWatch.unseenBelow(resumeSeq, w::acked);
      long seenAtResume = crrWatch.seenCount();
      say(String.format("outage: resumed %s after %.0f s with %,d objects not yet replicated", dst, outageSeconds, backlog));
      long deadline = resumed + o.drainTimeout().toNanos();
      boolean drained = false;
      while (System.nanoTime() < deadline) {
        pollBoth(crrWatch);
        if (crrWatch.unseenBelow(resumeSeq, w::acked) == 0) {
          drained = true;
          break;
        }
      }
      long drainedAt = System.nanoTime();
      double drainSeconds = (drainedAt - resumed) / 1e9;
      long delivered = crrWatch.seenCount() - seenAtResume;
      w.stop();
      w.drain(Duration.ofMinutes(1));
      // The last writes went on during the drain: give them as long as the steady lags are, not zero.
      long settle = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < settle && crrWatch.unseenBelow(w.issued(), w::acked) > 0) pollBoth(crrWatch);
      Lag all = lag("CRR " + dst + " (all objects of the outage run)", crrWatch, w.acks.size(), w);
      double build = backlog / outageSeconds;
      double net = backlog / drainSeconds;
      return new Outage(rate.name(), outageSeconds, backlog, build, drainSeconds, drained, net, delivered / drainSeconds,
          net / build, all, load0, S3Suite.loadAverage(), metrics(bucket));
    } finally {
      w.stop();
      try {
        management("POST", "/meridian/replication/regions/" + dst + "/resume");
      } catch (Exception e) {
        say("could not resume " + dst + ": " + e.getMessage());
      }
    }
  }

  private void pollFor(LagWatcher w, Duration d) {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) pollBoth(w);
  }

  private JsonNode metrics(String bucket) {
    try {
      return JSON.readTree(management("GET", "/meridian/replication/buckets/" + bucket));
    } catch (Exception e) {
      return JSON.getNodeFactory().textNode("metrics unavailable: " + e.getMessage());
    }
  }

  private String management(String method, String path) throws Exception {
    URI uri = cluster.management(src).resolve(path);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120));
    b = method.equals("POST") ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.GET();
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException(method + " " + uri + ": " + r.statusCode() + " " + r.body());
    return r.body();
  }

  private static void say(String s) {
    System.out.println("[bench] " + s);
    System.out.flush();
  }
}
