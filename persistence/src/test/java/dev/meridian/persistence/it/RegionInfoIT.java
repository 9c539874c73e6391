package dev.meridian.persistence.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.meridian.persistence.RegionInfo;
import dev.meridian.persistence.Schema;
import dev.meridian.persistence.testing.CassandraFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A region's creation, against a real Cassandra: what a node sees before it creates the keyspace, a
 * keyspace created before the record existed (none), and the record kept by the first node that writes it.
 */
@ExtendWith(CassandraFixture.class)
class RegionInfoIT {

  @Test
  void aNewRegionsCreationIsRecordedOnceAndAnOlderKeyspaceHasNoRecord() throws Exception {
    CqlSession session = CassandraFixture.session();
    String ks = "t_region_info_"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000_0000, Integer.MAX_VALUE));
    assertFalse(RegionInfo.holdsTable(session, ks, "object_versions"), "no keyspace yet");
    try {
      Schema.apply(session, Schema.regionStatements(ks, "{'class': 'SimpleStrategy', 'replication_factor': 1}"));
      assertTrue(RegionInfo.holdsTable(session, ks, "object_versions"));
      assertFalse(RegionInfo.holdsTable(session, ks, "messages"), "the journal's table is not Meridian's to create");
      assertEquals(Optional.empty(), created(session, ks), "a keyspace without a record keeps the plugin's start");

      Instant before = Instant.now();
      RegionInfo.recordCreation(session, ks);
      Instant after = Instant.now();
      Instant recorded = created(session, ks).orElseThrow();
      // Cassandra's clock (same machine): within a second of the call.
      assertTrue(!recorded.isBefore(before.minusSeconds(1)) && !recorded.isAfter(after.plusSeconds(1)),
          recorded + " not within " + before + " .. " + after);

      Thread.sleep(20);
      RegionInfo.recordCreation(session, ks); // a second node of the new region, a moment later
      assertEquals(Optional.of(recorded), created(session, ks), "the first record stays");
    } finally {
      session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + ks).setTimeout(Duration.ofSeconds(30)));
    }
  }

  private static Optional<Instant> created(CqlSession session, String ks) throws Exception {
    return RegionInfo.created(session, ks).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
