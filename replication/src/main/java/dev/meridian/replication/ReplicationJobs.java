package dev.meridian.replication;

import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.bucket.BucketInfo;
import dev.meridian.cluster.object.Listing;
import dev.meridian.persistence.ObjectVersion;
import dev.meridian.persistence.ReplicationStatusStore.Progress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meridian's Batch Replication: a job over one source bucket that asks the bucket's partitions to
 * replicate (a) existing versions, written before a rule covered them, to the destinations the rules now
 * name, and/or (b) versions whose replication FAILED, again to the destinations that failed. Each
 * request is an event of the version's partition, so the replication projections carry it out like a
 * new write, and statuses go PENDING then COMPLETED. Jobs run on the node that started them and are kept
 * in its memory (a node restart forgets them; running a job again is harmless: requests are idempotent).
 */
public final class ReplicationJobs {

  private static final Logger log = LoggerFactory.getLogger(ReplicationJobs.class);
  private static final int PAGE = 1000;

  /** What a job was asked to do. */
  public record Spec(String bucket, boolean existing, boolean retryFailed) {}

  /** A job's progress; {@code finished} is null while it runs; {@code error} says why it stopped early. */
  public record Report(String id, Spec spec, String started, String finished, long scanned, long requested,
      long skipped, long errors, String error) {}

  private final BucketService buckets;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();

  public ReplicationJobs(BucketService buckets) {
    this.buckets = buckets;
  }

  private static final class Job {
    final String id = UUID.randomUUID().toString();
    final Spec spec;
    final Instant started = Instant.now();
    volatile Instant finished;
    volatile String error;
    final AtomicLong scanned = new AtomicLong();
    final AtomicLong requested = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    Job(Spec spec) {
      this.spec = spec;
    }

    Report report() {
      return new Report(id, spec, started.toString(), finished == null ? null : finished.toString(), scanned.get(),
          requested.get(), skipped.get(), errors.get(), error);
    }
  }

  /** Starts a job; completes with its first report once the bucket is known to have replication rules. */
  public CompletionStage<Report> start(Spec spec) {
    if (!spec.existing() && !spec.retryFailed()) throw new IllegalArgumentException("ask for existing and/or retryFailed");
    return buckets.bucket(spec.bucket()).thenApply(bucket -> {
      if (bucket.replication() == null) throw new IllegalArgumentException("bucket " + spec.bucket() + " has no replication rules");
      Job job = new Job(spec);
      jobs.put(job.id, job);
      CompletionStage<Void> run = CompletableFuture.completedFuture(null);
      if (spec.retryFailed()) run = run.thenCompose(x -> retryFailed(job, bucket));
      if (spec.existing()) run = run.thenCompose(x -> existing(job, bucket, null, null));
      run.whenComplete((x, e) -> {
        if (e != null) {
          job.error = e.toString();
          log.warn("replication job {} on {} stopped: {}", job.id, spec.bucket(), e.toString());
        }
        job.finished = Instant.now();
        log.info("replication job {} finished: {}", job.id, job.report());
      });
      return job.report();
    });
  }

  public Report report(String id) {
    Job job = jobs.get(id);
    return job == null ? null : job.report();
  }

  public List<Report> reports() {
    return jobs.values().stream().map(Job::report).toList();
  }

  /** Re-drives every FAILED (version, destination) of the bucket. */
  private CompletionStage<Void> retryFailed(Job job, BucketInfo bucket) {
    return buckets.replicationProgress(bucket).thenCompose(rows -> {
      CompletionStage<Void> all = CompletableFuture.completedFuture(null);
      for (var row : rows) {
        job.scanned.incrementAndGet();
        if (!Progress.FAILED.equals(row.progress().status())) {
          job.skipped.incrementAndGet();
          continue;
        }
        all = all.thenCompose(x -> request(job, bucket, row.key(), row.versionId(), List.of(row.destination())));
      }
      return all;
    });
  }

  /** Pages through every version; asks for the destinations its rules name that it does not owe yet. */
  private CompletionStage<Void> existing(Job job, BucketInfo bucket, String keyMarker, String versionMarker) {
    return buckets.listVersions(bucket, "", null, keyMarker, versionMarker, PAGE).thenCompose(page -> {
      CompletionStage<Void> all = CompletableFuture.completedFuture(null);
      for (Listing.Entry entry : page.entries()) {
        ObjectVersion v = entry.version();
        job.scanned.incrementAndGet();
        List<String> missing = new ArrayList<>();
        if (!v.replica()) {
          for (String d : BucketService.replicationTargets(bucket, v.key(), v.meta() == null ? Map.of() : v.meta().tags(),
              v.deleteMarker())) {
            if (!v.replicateTo().contains(d)) missing.add(d);
          }
        }
        if (missing.isEmpty()) {
          job.skipped.incrementAndGet();
          continue;
        }
        all = all.thenCompose(x -> request(job, bucket, v.key(), v.versionId(), missing));
      }
      return page.truncated()
          ? all.thenCompose(x -> existing(job, bucket, page.nextKeyMarker(), page.nextVersionIdMarker()))
          : all;
    });
  }

  private CompletionStage<Void> request(Job job, BucketInfo bucket, String key, String versionId, List<String> to) {
    return buckets.requestReplication(bucket, key, versionId, to).handle((v, e) -> {
      if (e == null) job.requested.incrementAndGet();
      else job.errors.incrementAndGet(); // deleted meanwhile, or unreachable: counted, the job goes on
      return null;
    });
  }
}
