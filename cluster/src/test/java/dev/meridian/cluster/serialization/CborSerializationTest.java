package dev.meridian.cluster.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.meridian.cluster.bucket.Bucket;
import dev.meridian.cluster.bucket.BucketSetting;
import dev.meridian.cluster.bucket.Versioning;
import dev.meridian.cluster.object.ObjectPartition;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Events and snapshots are what stays in the journal for years: they must go through Jackson CBOR (never
 * Kryo), come back equal, and still read when fields were added or removed since they were written.
 */
class CborSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
  private static final CBORMapper cbor = new CBORMapper();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private record Written(byte[] bytes, int serializerId, String manifest) {}

  private static Written write(Object value) {
    Serializer serializer = serialization.findSerializerFor(value);
    assertTrue(serializer.getClass().getName().endsWith("JacksonCborSerializer"),
        value.getClass().getName() + " is persisted with " + serializer.getClass().getName());
    return new Written(serialization.serialize(value).get(), serializer.identifier(),
        Serializers.manifestFor(serializer, value));
  }

  private static Object read(Written w, byte[] bytes) {
    return serialization.deserialize(bytes, w.serializerId(), w.manifest()).get();
  }

  private static void roundTrip(Object value) {
    Written w = write(value);
    assertEquals(value, read(w, w.bytes()));
  }

  @Test
  void bucketEventsAndStatesRoundTrip() {
    roundTrip(new Bucket.Created(Samples.BUCKET));
    roundTrip(new Bucket.VersioningChanged(Versioning.SUSPENDED));
    roundTrip(new Bucket.Deleted(1_764_230_400_999L));
    roundTrip(new Bucket.State(Samples.BUCKET));
    roundTrip(new Bucket.State(null));
    roundTrip(new Bucket.Configured(new BucketSetting.Tagging(Map.of("k", "v \u00e9"))));
    roundTrip(new Bucket.Configured(new BucketSetting.Policy("{\"Statement\":[]}")));
    roundTrip(new Bucket.Configured(new BucketSetting.Policy(null)));
    roundTrip(new Bucket.Configured(new BucketSetting.Cors(Samples.BUCKET.cors())));
  }

  /** A bucket created before tags, policy and CORS existed reads back with none of them. */
  @Test
  void bucketsFromBeforeTheirSettingsStillRead() throws Exception {
    Written w = write(new Bucket.Created(Samples.BUCKET));
    ObjectNode tree = (ObjectNode) cbor.readTree(w.bytes());
    ((ObjectNode) tree.get("info")).remove(List.of("tags", "policy", "cors"));
    Bucket.Created back = (Bucket.Created) read(w, cbor.writeValueAsBytes(tree));
    assertEquals(Map.of(), back.info().tags());
    assertEquals(null, back.info().policy());
    assertEquals(List.of(), back.info().cors());
    assertEquals(Samples.BUCKET.replication(), back.info().replication());
  }

  @Test
  void partitionEventsAndStatesRoundTrip() {
    roundTrip(new ObjectPartition.VersionAdded(Samples.VERSION, Samples.NULL_VERSION));
    roundTrip(new ObjectPartition.VersionAdded(Samples.DELETE_MARKER, null));
    roundTrip(new ObjectPartition.VersionAdded(Samples.INLINE_VERSION, Samples.NULL_VERSION));
    roundTrip(new ObjectPartition.VersionRemoved(Samples.VERSION));
    roundTrip(new ObjectPartition.State(Samples.VERSION.seq(),
        List.of(new ObjectPartition.Recent(new ObjectPartition.VersionAdded(Samples.VERSION, null), null, null))));
    roundTrip(new ObjectPartition.State(42, List.of(
        new ObjectPartition.Recent(new ObjectPartition.VersionAdded(Samples.INLINE_VERSION, Samples.NULL_VERSION), null, null),
        new ObjectPartition.Recent(null, new ObjectPartition.VersionRemoved(Samples.DELETE_MARKER), null))));
    roundTrip(new ObjectPartition.VersionUpdated(Samples.VERSION, List.of("a"), List.of(), 1_764_230_400_999L));
    roundTrip(new ObjectPartition.VersionUpdated(Samples.VERSION.withReplicateTo(List.of("a", "b")), List.of(), List.of("b"),
        1_764_230_400_999L));
    roundTrip(new ObjectPartition.State(Samples.VERSION.seq(), List.of(new ObjectPartition.Recent(null, null,
        new ObjectPartition.VersionUpdated(Samples.VERSION, List.of(), List.of(), 1_764_230_400_999L)))));
    roundTrip(new ObjectPartition.State(0, List.of()));
  }

  @Test
  void derivedPropertiesAreNotWritten() throws Exception {
    Written w = write(new ObjectPartition.VersionAdded(Samples.NULL_VERSION, null));
    ObjectNode version = (ObjectNode) cbor.readTree(w.bytes()).get("version");
    assertNotNull(version.get("versionId"));
    assertTrue(version.get("nullVersion") == null, "isNullVersion() is derived: " + version);
  }

  /** An event written by an older build lacks fields added since; a newer writer adds fields we ignore. */
  @Test
  void eventsFromOlderAndNewerBuildsStillRead() throws Exception {
    ObjectPartition.VersionAdded event = new ObjectPartition.VersionAdded(Samples.VERSION, null);
    Written w = write(event);
    ObjectNode tree = (ObjectNode) cbor.readTree(w.bytes());
    ObjectNode blob = (ObjectNode) tree.get("version").get("blob");
    blob.remove("parts"); // BlobRef before multipart had (id, size, chunkSize)
    ((ObjectNode) tree.get("version")).put("fieldFromTheFuture", "x");
    tree.put("anotherOne", 7);

    ObjectPartition.VersionAdded back = (ObjectPartition.VersionAdded) read(w, cbor.writeValueAsBytes(tree));
    assertEquals(event, back);
  }
}
