package dev.meridian.persistence.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.meridian.persistence.BlobRef;
import dev.meridian.persistence.BlobStore;
import dev.meridian.persistence.Schema;
import dev.meridian.persistence.testing.CassandraFixture;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chunk read cache of {@link BlobStore}, against a real Cassandra: a blob read once is served again
 * from memory (whole or in ranges, even once its rows are gone: chunks never change), while blobs over a
 * sixteenth of the cache, or any blob when the cache is off, are read from Cassandra every time.
 */
@ExtendWith(CassandraFixture.class)
class BlobCacheIT {

  private static final int CHUNK = 4096;
  private static ActorSystem system;
  private static Materializer mat;
  private static CqlSession session;
  private static String ks;

  @BeforeAll
  static void setUp() {
    session = CassandraFixture.session();
    ks = CassandraFixture.keyspaceFor(BlobCacheIT.class);
    Schema.apply(session, Schema.regionStatements(ks, "{'class': 'SimpleStrategy', 'replication_factor': 1}"));
    system = ActorSystem.create("blob-cache-it");
    mat = Materializer.matFromSystem(system);
  }

  @AfterAll
  static void tearDown() {
    if (system != null) system.terminate();
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static ByteString random(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return ByteString.fromArrayUnsafe(b);
  }

  private static BlobRef write(BlobStore store, ByteString data) throws Exception {
    return await(store.write(UUID.randomUUID(), Source.from(java.util.List.of(data.slice(0, 1000), data.drop(1000))), mat));
  }

  private static ByteString read(BlobStore store, BlobRef blob, long first, long last) throws Exception {
    return await(store.read(blob, first, last).runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat), mat));
  }

  @Test
  void aBlobReadOnceIsServedFromMemory() throws Exception {
    BlobStore store = new BlobStore(session, ks, CHUNK, 4, 256 * 1024); // blobs up to 16 KiB are cached
    ByteString data = random(10_000);
    BlobRef blob = write(store, data);
    assertEquals(data, read(store, blob, 0, data.size() - 1));
    await(store.delete(blob)); // its rows are gone: what follows can only come from the cache
    assertEquals(data, read(store, blob, 0, data.size() - 1));
    assertEquals(data.slice(5000, 9001), read(store, blob, 5000, 9000), "a range across cached chunks");
  }

  @Test
  void largeBlobsAndAStoreWithoutCacheReadCassandraEveryTime() throws Exception {
    BlobStore store = new BlobStore(session, ks, CHUNK, 4, 256 * 1024);
    ByteString large = random(40_000);
    BlobRef blob = write(store, large);
    assertEquals(large, read(store, blob, 0, large.size() - 1));
    await(store.delete(blob));
    assertThrows(ExecutionException.class, () -> read(store, blob, 0, large.size() - 1));

    BlobStore uncached = new BlobStore(session, ks, CHUNK, 4, 0);
    ByteString small = random(3_000);
    BlobRef smallBlob = write(uncached, small);
    assertEquals(small, read(uncached, smallBlob, 0, small.size() - 1));
    await(uncached.delete(smallBlob));
    assertThrows(ExecutionException.class, () -> read(uncached, smallBlob, 0, small.size() - 1));
  }
}
