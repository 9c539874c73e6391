package dev.meridian.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * When a region's keyspace was created, recorded once by the node that created it. No event of the region
 * is older, so replication's projections start reading the events-by-tag table there when they have no
 * offset of their own, instead of at the plugin's {@code first-time-bucket} (one query per hourly bucket
 * in between, for each projection). A keyspace that held a journal before this was recorded has no
 * record and keeps the plugin's start.
 */
public final class RegionInfo {

  private RegionInfo() {}

  /** Whether the keyspace holds the table (false when neither exists): what the node sees before creating them. */
  public static boolean holdsTable(CqlSession session, String keyspace, String table) {
    return session.execute(SimpleStatement.newInstance(
        "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?",
        keyspace, table)).one() != null;
  }

  /**
   * Records the keyspace's creation as Cassandra's present time, unless a record exists (several nodes of a
   * new region start together: the first record stays). Called before the node writes any event.
   */
  public static void recordCreation(CqlSession session, String keyspace) {
    session.execute("INSERT INTO " + keyspace + ".region_info (name, at) VALUES ('created', toTimestamp(now()))"
        + " IF NOT EXISTS");
  }

  /** The keyspace's creation, if recorded. */
  public static CompletionStage<Optional<Instant>> created(CqlSession session, String keyspace) {
    return session.executeAsync("SELECT at FROM " + keyspace + ".region_info WHERE name = 'created'")
        .thenApply(rs -> Optional.ofNullable(rs.one()).map((Row r) -> r.getInstant("at")));
  }
}
