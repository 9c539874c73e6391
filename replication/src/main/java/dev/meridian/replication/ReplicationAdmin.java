package dev.meridian.replication;

import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.MeridianSettings;
import dev.meridian.persistence.ReplicationStatusStore.Entry;
import dev.meridian.persistence.ReplicationStatusStore.Progress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.javadsl.ProjectionManagement;

/**
 * What an operator sees and steers of replication: per source bucket and destination, the exact number
 * and bytes of pending, completed and failed operations (failures listed with their reasons) and the
 * replication latency, from the progress rows of the bucket's home region; and pausing or resuming the
 * replication streams into one destination region (all its tag slices, through Pekko Projections'
 * management, which survives restarts).
 */
public final class ReplicationAdmin {

  /** A failed operation: the version, and S3's reason code. */
  public record Failure(String key, String versionId, String reason) {}

  /** Latency from a version's write to its replica being applied, over the completed operations. */
  public record Latency(long count, long p50Millis, long p99Millis, long p999Millis, long maxMillis) {}

  public record DestinationMetrics(String destination, long pending, long pendingBytes, String oldestPending,
      long completed, long completedBytes, long failed, long failedBytes, List<Failure> failures, Latency latency) {}

  public record BucketMetrics(String bucket, String region, List<DestinationMetrics> destinations) {}

  /** A destination region's streams: paused or running, one entry per tag slice. */
  public record RegionStreams(String region, boolean paused, Map<String, Boolean> pausedSlices) {}

  private final ActorSystem<?> system;
  private final BucketService buckets;

  public ReplicationAdmin(ActorSystem<?> system, BucketService buckets) {
    this.system = system;
    this.buckets = buckets;
  }

  /** The metrics of a bucket homed in this node's region (WRONG_REGION otherwise). */
  public CompletionStage<BucketMetrics> metrics(String bucketName) {
    return buckets.bucket(bucketName).thenCompose(bucket -> buckets.replicationProgress(bucket).thenApply(rows -> {
      Map<String, List<Entry>> byDestination = new TreeMap<>();
      if (bucket.replication() != null) {
        bucket.replication().rules().forEach(r -> byDestination.put(r.destination().bucket(), new ArrayList<>()));
      }
      rows.forEach(e -> byDestination.computeIfAbsent(e.destination(), d -> new ArrayList<>()).add(e));
      List<DestinationMetrics> out = new ArrayList<>();
      byDestination.forEach((d, entries) -> out.add(destination(d, entries)));
      return new BucketMetrics(bucket.name(), bucket.region(), out);
    }));
  }

  static DestinationMetrics destination(String destination, List<Entry> entries) {
    long pending = 0, pendingBytes = 0, completed = 0, completedBytes = 0, failed = 0, failedBytes = 0;
    Instant oldest = null;
    List<Failure> failures = new ArrayList<>();
    List<Long> latencies = new ArrayList<>();
    for (Entry e : entries) {
      long size = e.size() == null ? 0 : e.size();
      switch (e.progress().status()) {
        case Progress.COMPLETED -> {
          completed++;
          completedBytes += size;
          if (e.sourceTime() != null && e.updated() != null) {
            latencies.add(Math.max(0, Duration.between(e.sourceTime(), e.updated()).toMillis()));
          }
        }
        case Progress.FAILED -> {
          failed++;
          failedBytes += size;
          failures.add(new Failure(e.key(), e.versionId(), e.progress().reason()));
        }
        default -> {
          pending++;
          pendingBytes += size;
          if (e.sourceTime() != null && (oldest == null || e.sourceTime().isBefore(oldest))) oldest = e.sourceTime();
        }
      }
    }
    failures.sort(Comparator.comparing(Failure::key).thenComparing(Failure::versionId));
    return new DestinationMetrics(destination, pending, pendingBytes, oldest == null ? null : oldest.toString(),
        completed, completedBytes, failed, failedBytes, failures, latency(latencies));
  }

  static Latency latency(List<Long> millis) {
    if (millis.isEmpty()) return new Latency(0, 0, 0, 0, 0);
    List<Long> sorted = millis.stream().sorted().toList();
    return new Latency(sorted.size(), percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 0.999),
        sorted.get(sorted.size() - 1));
  }

  /** The nearest-rank percentile of sorted values. */
  static long percentile(List<Long> sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  // ---- pause and resume ----

  public CompletionStage<RegionStreams> pause(String region) {
    return each(region, id -> ProjectionManagement.get(system).pause(id)).thenCompose(x -> streams(region));
  }

  public CompletionStage<RegionStreams> resume(String region) {
    return each(region, id -> ProjectionManagement.get(system).resume(id)).thenCompose(x -> streams(region));
  }

  public CompletionStage<RegionStreams> streams(String region) {
    requireRegion(region);
    Map<String, Boolean> slices = new LinkedHashMap<>();
    CompletionStage<Void> all = CompletableFuture.completedFuture(null);
    for (ProjectionId id : ids(region)) {
      all = all.thenCompose(x -> ProjectionManagement.get(system).isPaused(id)).thenAccept(p -> slices.put(id.key(), p));
    }
    return all.thenApply(x -> new RegionStreams(region, slices.values().stream().allMatch(p -> p), slices));
  }

  private CompletionStage<Void> each(String region, Function<ProjectionId, CompletionStage<Done>> op) {
    requireRegion(region);
    CompletionStage<Void> all = CompletableFuture.completedFuture(null);
    for (ProjectionId id : ids(region)) all = all.thenCompose(x -> op.apply(id)).thenApply(d -> null);
    return all;
  }

  private void requireRegion(String region) {
    if (!buckets.settings().regions().contains(region)) {
      throw new IllegalArgumentException("no region " + region + " in this cluster: " + buckets.settings().regions());
    }
  }

  private List<ProjectionId> ids(String region) {
    MeridianSettings s = buckets.settings();
    List<ProjectionId> ids = new ArrayList<>();
    for (int i = 0; i < s.tagSlices(); i++) ids.add(Replication.projectionId(region, "obj-" + i));
    return ids;
  }
}
