package dev.meridian.persistence;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The global bucket namespace: one row per bucket name in a keyspace replicated to every region. A name
 * is claimed with a lightweight transaction at SERIAL consistency (a Paxos round across all data
 * centers), so two regions can never both own a name; while a region is unreachable, claims that need it
 * for a quorum fail rather than risk a duplicate. Lookups read at LOCAL_QUORUM (served in-region).
 */
public final class BucketRegistry {

  /** A claimed name: its home region, owner, creation time and the incarnation that claimed it. */
  public record Entry(String name, String region, String owner, Instant created, UUID incarnation) {}

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final CqlSession session;
  private final PreparedStatement claim;
  private final PreparedStatement lookup;
  private final PreparedStatement release;
  private final PreparedStatement all;

  public BucketRegistry(CqlSession session, String keyspace) {
    this.session = session;
    claim = session.prepare("INSERT INTO " + keyspace + ".buckets (name, region, owner, created, incarnation)"
        + " VALUES (?, ?, ?, ?, ?) IF NOT EXISTS");
    lookup = session.prepare("SELECT name, region, owner, created, incarnation FROM " + keyspace + ".buckets WHERE name = ?");
    release = session.prepare("DELETE FROM " + keyspace + ".buckets WHERE name = ? IF incarnation = ?");
    all = session.prepare("SELECT name, region, owner, created, incarnation FROM " + keyspace + ".buckets");
  }

  /** Claims a name; completes with the entry that holds the name afterwards (ours if the claim won). */
  public CompletionStage<Entry> claim(Entry wanted) {
    var st = claim.bind(wanted.name(), wanted.region(), wanted.owner(), wanted.created(), wanted.incarnation())
        .setSerialConsistencyLevel(ConsistencyLevel.SERIAL)
        .setConsistencyLevel(ConsistencyLevel.QUORUM)
        .setTimeout(TIMEOUT);
    return session.executeAsync(st).thenApply(rs -> {
      // wasApplied() must come before the row is consumed; a failed LWT returns the existing row.
      if (rs.wasApplied()) return wanted;
      return toEntry(rs.one());
    });
  }

  public CompletionStage<Optional<Entry>> lookup(String name) {
    var st = lookup.bind(name).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM).setTimeout(TIMEOUT);
    return session.executeAsync(st).thenApply(rs -> Optional.ofNullable(rs.one()).map(BucketRegistry::toEntry));
  }

  /** Frees a name if it is still held by {@code incarnation}; completes with whether it was freed. */
  public CompletionStage<Boolean> release(String name, UUID incarnation) {
    var st = release.bind(name, incarnation)
        .setSerialConsistencyLevel(ConsistencyLevel.SERIAL)
        .setConsistencyLevel(ConsistencyLevel.QUORUM)
        .setTimeout(TIMEOUT);
    return session.executeAsync(st).thenApply(rs -> rs.wasApplied());
  }

  /** Every bucket of every region (ListBuckets filters by owner). */
  public CompletionStage<List<Entry>> all() {
    var st = all.bind().setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM).setTimeout(TIMEOUT);
    return session.executeAsync(st).thenApply(rs -> {
      List<Entry> out = new ArrayList<>();
      for (Row row : rs.currentPage()) out.add(toEntry(row));
      return out;
    });
  }

  private static Entry toEntry(Row row) {
    return new Entry(row.getString("name"), row.getString("region"), row.getString("owner"),
        row.getInstant("created"), row.getUuid("incarnation"));
  }
}
