package dev.meridian.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Replication progress of source versions, one row per (version, destination bucket), in the source
 * region: written by the replication projections, read by GET/HEAD for {@code x-amz-replication-status}
 * and by operators for the failures.
 */
public final class ReplicationStatusStore {

  /** A destination's progress: PENDING, COMPLETED or FAILED, with a reason code for FAILED. */
  public record Progress(String status, String reason) {
    public static final String PENDING = "PENDING";
    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";
  }

  private final CqlSession session;
  private final PreparedStatement upsert;
  private final PreparedStatement select;

  public ReplicationStatusStore(CqlSession session, String ks) {
    this.session = session;
    upsert = session.prepare("INSERT INTO " + ks + ".replication_status (bucket, part, key, version_id, destination,"
        + " status, reason, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    select = session.prepare("SELECT destination, status, reason FROM " + ks + ".replication_status"
        + " WHERE bucket = ? AND part = ? AND key = ? AND version_id = ?");
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
