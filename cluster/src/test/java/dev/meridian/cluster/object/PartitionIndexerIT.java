package dev.meridian.cluster.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.ConfigFactory;
import dev.meridian.cluster.MeridianSettings;
import dev.meridian.cluster.RegionStorage;
import dev.meridian.persistence.BlobRef;
import dev.meridian.persistence.ObjectMeta;
import dev.meridian.persistence.ObjectVersion;
import dev.meridian.persistence.Schema;
import dev.meridian.persistence.testing.CassandraFixture;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How the index follows a partition's events, against a real Cassandra: a null version replaces the
 * key's previous one whether the partition applies it (knowing the current row) or recovery applies it
 * knowing nothing; the replaced chunks are scheduled for collection; the recent events applied again, in
 * order, as recovery does after a crash, leave the same rows.
 */
@ExtendWith(CassandraFixture.class)
class PartitionIndexerIT {

  private static final String BUCKET = "bucket-" + UUID.randomUUID(); // the keyspace outlives a run
  private static final int PART = 3;
  private static RegionStorage storage;
  private static CqlSession session;
  private static String ks;

  @BeforeAll
  static void setUp() {
    session = CassandraFixture.session();
    MeridianSettings settings = MeridianSettings.from(ConfigFactory.parseString(
        "meridian.storage { keyspace-prefix = t_partition_indexer, global-keyspace = t_partition_indexer_global }")
        .withFallback(ConfigFactory.load()));
    ks = settings.regionKeyspace();
    String replication = "{'class': 'SimpleStrategy', 'replication_factor': 1}";
    Schema.apply(session, Schema.regionStatements(ks, replication));
    Schema.migrate(session, Schema.regionMigrations(ks));
    Schema.apply(session, Schema.globalStatements(settings.globalKeyspace(), replication));
    Schema.migrate(session, Schema.globalMigrations(settings.globalKeyspace()));
    storage = RegionStorage.over(settings, session);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static ObjectVersion nullVersion(String key, long seq, BlobRef blob) {
    return new ObjectVersion(key, ObjectVersion.NULL_VERSION, seq, false, blob.size(), "etag" + seq, seq / 1000,
        blob, ObjectMeta.empty());
  }

  private static BlobRef chunked() {
    return new BlobRef(UUID.randomUUID(), 1 << 20, 512 * 1024);
  }

  private static BlobRef inline(String text) {
    return BlobRef.inline(text.getBytes(StandardCharsets.UTF_8));
  }

  private static ObjectPartition.VersionAdded added(ObjectVersion v, ObjectVersion replaced) {
    return new ObjectPartition.VersionAdded(v, replaced);
  }

  /** The partition's path, for an unconditional write (it does not read the current row). */
  private static void applyAsPartition(PartitionIndexer indexer, ObjectPartition.Event e) throws Exception {
    await(indexer.apply(List.of(e), List.of(Optional.empty())));
  }

  private static List<String> versions(String key) throws Exception {
    return await(storage.index.listVersionsFromKey(BUCKET, PART, key, true, 100)).stream()
        .filter(v -> v.key().equals(key)).map(v -> v.versionId() + "@" + v.seq()).toList();
  }

  private static long currentSeq(String key) throws Exception {
    return await(storage.index.current(BUCKET, PART, key)).orElseThrow().seq();
  }

  private static Set<UUID> scheduledForCollection() {
    Set<UUID> blobs = new HashSet<>();
    session.execute("SELECT blob, due FROM " + ks + ".blob_gc").forEach(r -> {
      if (r.getInstant("due") != null) blobs.add(r.getUuid("blob"));
    });
    return blobs;
  }

  @Test
  void aNullVersionReplacesTheOlderOneAndItsChunksAreCollected() throws Exception {
    PartitionIndexer indexer = new PartitionIndexer(storage, BUCKET, PART);
    ObjectVersion first = nullVersion("k1", 1_000, chunked());
    ObjectVersion second = nullVersion("k1", 2_000, inline("second"));
    ObjectVersion third = nullVersion("k1", 3_000, chunked());
    applyAsPartition(indexer, added(first, null));
    assertEquals(List.of("null@1000"), versions("k1"));

    applyAsPartition(indexer, added(second, first));
    assertEquals(List.of("null@2000"), versions("k1"));
    assertEquals(2_000, currentSeq("k1"));
    assertTrue(scheduledForCollection().contains(first.blob().id()), "the replaced version's chunks are collected");

    // Persisted but not indexed when the node died: recovery applies it knowing nothing.
    await(indexer.apply(added(third, second)));
    assertEquals(List.of("null@3000"), versions("k1"));
    assertEquals(3_000, currentSeq("k1"));
  }

  @Test
  void recoveryAppliesRecentEventsAgainInOrderAndLeavesTheSameRows() throws Exception {
    PartitionIndexer indexer = new PartitionIndexer(storage, BUCKET, PART);
    ObjectVersion first = nullVersion("k2", 1_000, inline("first"));
    ObjectVersion second = nullVersion("k2", 2_000, chunked());
    ObjectVersion marker = new ObjectVersion("k2", ObjectVersion.NULL_VERSION, 3_000, true, 0, null, 3, null, null,
        List.of(), false);
    List<ObjectPartition.Event> events = List.of(added(first, null), added(second, first), added(marker, second));
    for (ObjectPartition.Event e : events) applyAsPartition(indexer, e);
    assertEquals(List.of("null@3000"), versions("k2"));

    // Every one applied again, as recovery does with the recent events: the older ones are written back
    // and removed again by the newer ones.
    for (ObjectPartition.Event e : events) await(indexer.apply(e));
    assertEquals(List.of("null@3000"), versions("k2"));
    assertTrue(await(storage.index.current(BUCKET, PART, "k2")).orElseThrow().deleteMarker());
    assertTrue(scheduledForCollection().contains(second.blob().id()));
  }
}
