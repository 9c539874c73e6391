package dev.meridian.cluster.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.meridian.cluster.MeridianSettings;
import dev.meridian.cluster.RegionStorage;
import dev.meridian.cluster.Result;
import dev.meridian.cluster.bucket.Versioning;
import dev.meridian.persistence.BlobRef;
import dev.meridian.persistence.ObjectIndex;
import dev.meridian.persistence.ObjectMeta;
import dev.meridian.persistence.ObjectVersion;
import dev.meridian.persistence.Schema;
import dev.meridian.persistence.VersionIds;
import dev.meridian.persistence.testing.CassandraFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The partition entity over a real Cassandra index (its journal is Pekko's in-memory test journal):
 * an unversioned write replaces the key's null version, also when an earlier incarnation of the
 * partition wrote it and this one skips the index read for keys its key scan shows to be new; and a
 * replica is applied once, also for a key the scan shows to be new.
 */
@ExtendWith(CassandraFixture.class)
class ObjectPartitionIT {

  private static final String BUCKET = "bucket-" + UUID.randomUUID(); // the keyspace outlives a run
  private static final int PART = 0;
  /** More keys than a page of the key scan (5,000). */
  private static final int OLD_KEYS = 5_100;
  private static RegionStorage storage;
  private static ActorTestKit testKit;

  @BeforeAll
  static void setUp() {
    CqlSession session = CassandraFixture.session();
    Config config = ConfigFactory.parseString(
        "meridian.storage { keyspace-prefix = t_object_partition, global-keyspace = t_object_partition_global }")
        .withFallback(PersistenceTestKitPlugin.getInstance().config())
        .withFallback(PersistenceTestKitSnapshotPlugin.config())
        .withFallback(ConfigFactory.load());
    MeridianSettings settings = MeridianSettings.from(config);
    String replication = "{'class': 'SimpleStrategy', 'replication_factor': 1}";
    Schema.apply(session, Schema.regionStatements(settings.regionKeyspace(), replication));
    Schema.migrate(session, Schema.regionMigrations(settings.regionKeyspace()));
    Schema.apply(session, Schema.globalStatements(settings.globalKeyspace(), replication));
    Schema.migrate(session, Schema.globalMigrations(settings.globalKeyspace()));
    storage = RegionStorage.over(settings, session);
    testKit = ActorTestKit.create(config);
  }

  @AfterAll
  static void tearDown() {
    if (testKit != null) testKit.shutdownTestKit();
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static ObjectVersion draft(String key, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new ObjectVersion(key, ObjectVersion.NULL_VERSION, 0, false, bytes.length, "etag-" + text, 0,
        BlobRef.inline(bytes), ObjectMeta.empty());
  }

  private static ObjectVersion put(ActorRef<ObjectPartition.Command> partition, String key, String text) {
    TestProbe<Result<ObjectVersion>> reply = testKit.createTestProbe();
    partition.tell(new ObjectPartition.Put(draft(key, text), Versioning.UNVERSIONED, null, false, reply.getRef()));
    return reply.receiveMessage(Duration.ofSeconds(30)).orThrow();
  }

  /** The key's versions in the index, as {@code versionId:etag}, newest first. */
  private static List<String> versions(String key) throws Exception {
    return await(storage.index.listVersionsFromKey(BUCKET, PART, key, true, 100)).stream()
        .filter(v -> v.key().equals(key)).map(v -> v.versionId() + ":" + v.etag()).toList();
  }

  private static String oldKey(int i) {
    return String.format("old/%05d", i);
  }

  @Test
  void unversionedWritesReplaceNullVersionsThatAnEarlierIncarnationWrote() throws Exception {
    // Keys indexed before this incarnation, as an earlier one (or a node before a restart) left them.
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int from = 0; from < OLD_KEYS; from += 20) {
      ObjectIndex.Writes rows = storage.index.writes(BUCKET, PART);
      for (int i = from; i < Math.min(from + 20, OLD_KEYS); i++) {
        ObjectVersion v = new ObjectVersion(oldKey(i), ObjectVersion.NULL_VERSION, 1_000 + i, false, 3, "etag-old", 1,
            BlobRef.inline("old".getBytes(StandardCharsets.UTF_8)), ObjectMeta.empty());
        rows.putVersion(v).putCurrent(v);
      }
      writes.add(rows.execute().toCompletableFuture());
    }
    await(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)));

    ActorRef<ObjectPartition.Command> partition =
        testKit.spawn(ObjectPartition.create(ObjectPartition.entityId(BUCKET, PART), storage));
    // The first unversioned write starts the scan of the partition's keys; wait until it has them all.
    LoggingTestKit.debug("key scan of " + BUCKET + "#" + PART + " done").expect(testKit.system(), () -> {
      put(partition, "new/first", "first");
      return null;
    });

    // Now only keys the scan found (or this incarnation wrote) are read; every other is known to be new.
    for (int i : new int[] {0, 1, 2_500, 4_999, 5_000, OLD_KEYS - 1}) {
      put(partition, oldKey(i), "new" + i);
      assertEquals(List.of("null:etag-new" + i), versions(oldKey(i)), oldKey(i));
    }
    put(partition, "new/first", "again");
    assertEquals(List.of("null:etag-again"), versions("new/first"));
    for (int i = 0; i < 50; i++) {
      put(partition, "new/" + i, "one");
      put(partition, "new/" + i, "two");
      assertEquals(List.of("null:etag-two"), versions("new/" + i));
    }

    // A new incarnation scans again and finds this one's keys.
    testKit.stop(partition);
    ActorRef<ObjectPartition.Command> next =
        testKit.spawn(ObjectPartition.create(ObjectPartition.entityId(BUCKET, PART), storage));
    LoggingTestKit.debug("key scan of " + BUCKET + "#" + PART + " done").expect(testKit.system(), () -> {
      put(next, "new/second", "second");
      return null;
    });
    put(next, "new/7", "three");
    assertEquals(List.of("null:etag-three"), versions("new/7"));
    put(next, oldKey(3), "three");
    assertEquals(List.of("null:etag-three"), versions(oldKey(3)));

    // A stopped partition gives its filter's memory back to the node.
    assertTrue(storage.keyFilters.used() > 0);
    testKit.stop(next);
    assertEquals(0, storage.keyFilters.used());
  }

  private static boolean replicate(ActorRef<ObjectPartition.Command> partition, ObjectVersion replica) {
    TestProbe<Result<Boolean>> reply = testKit.createTestProbe();
    partition.tell(new ObjectPartition.Replicate(replica, reply.getRef()));
    return reply.receiveMessage(Duration.ofSeconds(30)).orThrow();
  }

  private static ObjectVersion replica(String key, long seq, String text) {
    BlobRef bytes = BlobRef.inline(text.getBytes(StandardCharsets.UTF_8));
    return new ObjectVersion(key, VersionIds.newVersionId(seq), seq, false, text.length(), "etag-" + text, 1, bytes,
        ObjectMeta.empty()).asReplica(bytes, ObjectMeta.empty());
  }

  /**
   * A replica of a key the filter shows to be new is applied without reading the index, and only once: the
   * same version delivered again (the fast path and a projection both deliver) is found and not applied
   * again, for a key this incarnation wrote and for one that an earlier incarnation indexed.
   */
  @Test
  void aReplicaIsAppliedOnceAlsoWhenItsKeyIsNew() throws Exception {
    int part = 1;
    ObjectVersion old = replica("r/old", 2_000, "old");
    await(storage.index.writes(BUCKET, part).putVersion(old).putCurrent(old).execute());
    ActorRef<ObjectPartition.Command> partition =
        testKit.spawn(ObjectPartition.create(ObjectPartition.entityId(BUCKET, part), storage));
    ObjectVersion first = replica("r/new", 3_000, "first");
    boolean[] applied = new boolean[1];
    LoggingTestKit.debug("key scan of " + BUCKET + "#" + part + " done").expect(testKit.system(), () -> {
      applied[0] = replicate(partition, first);
      return null;
    });
    assertTrue(applied[0]);
    assertFalse(replicate(partition, first), "delivered again");
    ObjectVersion second = replica("r/new", 3_001, "second");
    assertTrue(replicate(partition, second));
    assertFalse(replicate(partition, old), "indexed by an earlier incarnation");
    List<String> ids = await(storage.index.listVersionsFromKey(BUCKET, part, "r/", true, 100)).stream()
        .map(v -> v.key() + ":" + v.versionId()).toList();
    assertEquals(List.of("r/new:" + second.versionId(), "r/new:" + first.versionId(), "r/old:" + old.versionId()), ids);
    testKit.stop(partition);
  }
}
