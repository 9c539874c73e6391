package dev.meridian.cluster.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.meridian.cluster.Result;
import dev.meridian.cluster.StoreError;
import dev.meridian.cluster.bucket.Bucket;
import dev.meridian.cluster.bucket.BucketInfo;
import dev.meridian.cluster.bucket.Versioning;
import dev.meridian.cluster.object.ObjectPartition;
import dev.meridian.persistence.ObjectVersion;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Commands and replies cross nodes (a bucket homed in another region, a partition on another node), so they
 * must survive Pekko serialization with the cluster module's bindings: Kryo, with reply-to refs that still
 * reach the asker after the trip.
 */
class KryoSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** Serializes with the serializer Pekko picks for the message, checks it is Kryo, and reads it back. */
  private static <T> T roundTrip(T message) {
    Serializer serializer = serialization.findSerializerFor(message);
    assertInstanceOf(KryoSerializer.class, serializer, "serializer for " + message.getClass().getName());
    byte[] bytes = serialization.serialize(message).get();
    String manifest = Serializers.manifestFor(serializer, message);
    @SuppressWarnings("unchecked")
    T back = (T) serialization.deserialize(bytes, serializer.identifier(), manifest).get();
    assertEquals(message, back);
    return back;
  }

  @Test
  void bucketCommandsKeepTheirFieldsAndTheirReplyTo() {
    TestProbe<Result<BucketInfo>> probe = testKit.createTestProbe();
    Bucket.Create create = roundTrip(new Bucket.Create("000000000000", probe.ref()));
    roundTrip(new Bucket.Get(probe.ref()));
    roundTrip(new Bucket.SetVersioning(Versioning.SUSPENDED, probe.ref()));
    roundTrip(new Bucket.Delete(probe.ref()));

    create.replyTo().tell(Result.ok(Samples.BUCKET));
    assertEquals(Result.ok(Samples.BUCKET), probe.receiveMessage(), "the deserialized ref reaches the asker");
  }

  @Test
  void deleteCommandsAndTheirOutcomesRoundTrip() {
    TestProbe<Result<ObjectPartition.DeleteOutcome>> deletes = testKit.createTestProbe();
    ObjectPartition.DeleteKey del = roundTrip(new ObjectPartition.DeleteKey("a/b \u00e9", Versioning.ENABLED,
        List.of("replica-bucket"), deletes.ref()));
    roundTrip(new ObjectPartition.DeleteKey("a/b", Versioning.UNVERSIONED, List.of(), deletes.ref()));
    roundTrip(new ObjectPartition.DeleteVersion("a/b", Samples.VERSION.versionId(), deletes.ref()));
    roundTrip(Result.ok(new ObjectPartition.DeleteOutcome("v1", true)));
    roundTrip(Result.ok(new ObjectPartition.DeleteOutcome(null, false)));

    del.replyTo().tell(Result.ok(new ObjectPartition.DeleteOutcome("v1", true)));
    assertEquals(Result.ok(new ObjectPartition.DeleteOutcome("v1", true)), deletes.receiveMessage());
  }

  @Test
  void errorAndEmptyRepliesRoundTrip() {
    roundTrip(Result.ok(null)); // DeleteBucket's reply
    Result<BucketInfo> err = roundTrip(Result.<BucketInfo>err(StoreError.BUCKET_ALREADY_OWNED_BY_YOU, "photos"));
    assertEquals(StoreError.BUCKET_ALREADY_OWNED_BY_YOU, ((Result.Err<BucketInfo>) err).error());
    roundTrip(Result.<ObjectVersion>err(StoreError.PRECONDITION_FAILED, "If-Match"));
  }

  /** Every reply to a bucket command carries BucketInfo, whose incarnation is a java.util.UUID. */
  @Test
  void bucketInfoRepliesRoundTrip() {
    roundTrip(Result.ok(Samples.BUCKET));
  }

  /** PutObject's command carries the draft version: its BlobRef id is a UUID, its metadata maps. */
  @Test
  void putCommandsAndVersionRepliesRoundTrip() {
    TestProbe<Result<ObjectVersion>> versions = testKit.createTestProbe();
    ObjectPartition.Put put = roundTrip(
        new ObjectPartition.Put(Samples.VERSION, Versioning.ENABLED, "\"0123\"", true, versions.ref()));
    assertEquals(Samples.META.userMetadata(), put.draft().meta().userMetadata());
    roundTrip(new ObjectPartition.Put(Samples.NULL_VERSION, Versioning.UNVERSIONED, null, false, versions.ref()));
    roundTrip(Result.ok(Samples.VERSION));
    roundTrip(Result.ok(Samples.DELETE_MARKER));
    roundTrip(Result.ok(Samples.INLINE_VERSION));

    put.replyTo().tell(Result.ok(Samples.VERSION));
    assertEquals(Result.ok(Samples.VERSION), versions.receiveMessage());
  }
}
