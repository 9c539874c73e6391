package dev.meridian.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Replication progress of source versions, one row per (version, destination bucket), in the source
 * region. The partition writes a PENDING row (with the version's size and time) when it indexes a version
 * that owes replication, with the version's time as the write timestamp, so that re-indexing the same
 * version later never overwrites a newer COMPLETED or FAILED row; the replication projections write the
 * outcome. Read by GET/HEAD for {@code x-amz-replication-status} and by the replication metrics.
 */
public final class ReplicationStatusStore {

  /** A destination's progress: PENDING, COMPLETED or FAILED, with a reason code for FAILED. */
  public record Progress(String status, String reason) {
    public static final String PENDING = "PENDING";
    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";
  }

  /** One row of a bucket's replication progress, as the metrics read it ({@code size}, times may be null). */
  public record Entry(String key, String versionId, String destination, Progress progress, Long size,
      Instant sourceTime, Instant updated) {}

  private final CqlSession session;
  private final PreparedStatement upsert;
  private final PreparedStatement owed;
  private final PreparedStatement select;
  private final PreparedStatement selectPart;

  public ReplicationStatusStore(CqlSession session, String ks) {
    this.session = session;
    upsert = session.prepare("INSERT INTO " + ks + ".replication_status (bucket, part, key, version_id, destination,"
        + " status, reason, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    owed = session.prepare("INSERT INTO " + ks + ".replication_status (bucket, part, key, version_id, destination,"
        + " status, size, source_time, updated) VALUES (?, ?, ?, ?, ?, 'PENDING', ?, ?, ?) USING TIMESTAMP ?");
    select = session.prepare("SELECT destination, status, reason FROM " + ks + ".replication_status"
        + " WHERE bucket = ? AND part = ? AND key = ? AND version_id = ?");
    selectPart = session.prepare("SELECT key, version_id, destination, status, reason, size, source_time, updated FROM "
        + ks + ".replication_status WHERE bucket = ? AND part = ?");
  }

  /**
   * The row recording that a version owes replication to {@code destination}, as of {@code asOf} (the
   * write timestamp: a later outcome always wins, a repeat of this row never does); written by the
   * partition with the version's index rows (same partition key).
   */
  public BoundStatement owed(String bucket, int part, String key, String versionId, String destination,
      long size, Instant sourceTime, Instant asOf) {
    long micros = asOf.getEpochSecond() * 1_000_000L + asOf.getNano() / 1_000;
    return owed.bind(bucket, part, key, versionId, destination, size, sourceTime, asOf, micros);
  }

  /** Every progress row of one partition of a bucket (paged), for the replication metrics. */
  public CompletionStage<List<Entry>> partition(String bucket, int part) {
    return session.executeAsync(selectPart.bind(bucket, part)).thenCompose(rs -> Pages.collect(rs, r ->
        new Entry(r.getString(0), r.getString(1), r.getString(2), new Progress(r.getString(3), r.getString(4)),
            r.isNull(5) ? null : r.getLong(5), r.getInstant(6), r.getInstant(7))));
  }

  public CompletionStage<Void> set(String bucket, int part, String key, String versionId, String destination,
      Progress progress) {
    return session.executeAsync(upsert.bind(bucket, part, key, versionId, destination, progress.status(),
        progress.reason(), Instant.now())).thenApply(rs -> null);
  }

  /** Progress by destination bucket (destinations with no row yet are absent). */
  public CompletionStage<Map<String, Progress>> get(String bucket, int part, String key, String versionId) {
    return session.executeAsync(select.bind(bucket, part, key, versionId)).thenApply(rs -> {
      Map<String, Progress> out = new LinkedHashMap<>();
      for (Row r : rs.currentPage()) out.put(r.getString(0), new Progress(r.getString(1), r.getString(2)));
      return out;
    });
  }
}
