package dev.meridian.persistence.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.meridian.persistence.BlobGc;
import dev.meridian.persistence.BlobRef;
import dev.meridian.persistence.BlobStore;
import dev.meridian.persistence.MultipartStore;
import dev.meridian.persistence.ObjectIndex;
import dev.meridian.persistence.ObjectMeta;
import dev.meridian.persistence.Schema;
import dev.meridian.persistence.testing.CassandraFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Multipart uploads that are neither completed nor aborted are aborted once they pass the expiry, and
 * the bytes of their parts collected by the next sweep; younger uploads are left alone. Against a real
 * Cassandra.
 */
@ExtendWith(CassandraFixture.class)
class MultipartExpiryIT {

  private static final Duration EXPIRY = Duration.ofDays(7);
  private static ActorSystem system;
  private static Materializer mat;
  private static MultipartStore uploads;
  private static BlobStore blobs;
  private static BlobGc gc;
  private static ObjectIndex index;

  @BeforeAll
  static void setUp() {
    CqlSession session = CassandraFixture.session();
    String ks = CassandraFixture.keyspaceFor(MultipartExpiryIT.class);
    Schema.apply(session, Schema.regionStatements(ks, "{'class': 'SimpleStrategy', 'replication_factor': 1}"));
    Schema.migrate(session, Schema.regionMigrations(ks));
    system = ActorSystem.create("multipart-expiry-it");
    mat = Materializer.matFromSystem(system);
    uploads = new MultipartStore(session, ks);
    blobs = new BlobStore(session, ks, 4096, 4, 0);
    gc = new BlobGc(session, ks);
    index = new ObjectIndex(session, ks);
  }

  @AfterAll
  static void tearDown() {
    if (system != null) system.terminate();
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static MultipartStore.Upload upload(String key, Instant initiated) throws Exception {
    var u = new MultipartStore.Upload("expiry-bucket", key, UUID.randomUUID().toString(), initiated.toEpochMilli(),
        ObjectMeta.empty(), null);
    await(uploads.createUpload(u));
    for (int n = 1; n <= 2; n++) {
      BlobRef blob = await(blobs.write(UUID.randomUUID(), Source.single(ByteString.fromString("part " + n + " ".repeat(5000))), mat));
      await(uploads.putPart(u.uploadId(), new MultipartStore.Part(n, "etag" + n, blob.size(), blob, initiated.toEpochMilli(), null)));
    }
    return u;
  }

  private static long readable(BlobRef blob) throws Exception {
    return await(blobs.read(blob, 0, blob.size() - 1).runFold(0L, (n, bs) -> n + bs.size(), mat));
  }

  @Test
  void abandonedUploadsExpireAndTheirBytesAreCollected() throws Exception {
    Instant now = Instant.now();
    var abandoned = upload("abandoned", now.minus(Duration.ofDays(8)));
    var recent = upload("recent", now.minus(Duration.ofDays(1)));
    List<BlobRef> abandonedBlobs = await(uploads.parts(abandoned.uploadId())).stream().map(MultipartStore.Part::blob).toList();
    assertEquals(abandonedBlobs.get(0).size(), readable(abandonedBlobs.get(0)));

    assertEquals(1, await(uploads.expire(now.minus(EXPIRY), 100, gc)));
    assertTrue(await(uploads.upload("expiry-bucket", "abandoned", abandoned.uploadId())).isEmpty());
    assertTrue(await(uploads.parts(abandoned.uploadId())).isEmpty());
    assertEquals(List.of("recent"), await(uploads.uploads("expiry-bucket")).stream().map(MultipartStore.Upload::key).toList());
    assertEquals(2, await(uploads.parts(recent.uploadId())).size());

    assertTrue(await(gc.sweep(Instant.now().plusSeconds(1), index, blobs)) >= 2);
    for (BlobRef b : abandonedBlobs) {
      var gone = assertThrows(java.util.concurrent.ExecutionException.class, () -> readable(b));
      assertTrue(gone.getCause().getMessage().contains("missing chunk"), "the abandoned part's chunks are gone: " + gone);
    }
    BlobRef kept = await(uploads.parts(recent.uploadId())).get(0).blob();
    assertEquals(kept.size(), readable(kept));
    assertEquals(0, await(uploads.expire(now.minus(EXPIRY), 100, gc)), "expiry is idempotent");
  }
}
