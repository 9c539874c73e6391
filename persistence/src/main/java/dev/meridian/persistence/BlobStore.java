package dev.meridian.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Object bytes in Cassandra, streamed in both directions. A blob is cut into fixed-size chunks, one row
 * (and one partition) each, written with bounded parallelism as separate statements: a logged batch of
 * big cells would exceed Cassandra's batch limits, and the memory held is at most
 * {@code chunkSize * parallelism}, never the whole object.
 */
public final class BlobStore {

  private static final Duration CHUNK_TIMEOUT = Duration.ofSeconds(20);

  private final CqlSession session;
  private final int chunkSize;
  private final int parallelism;
  private final PreparedStatement insert;
  private final PreparedStatement select;
  private final PreparedStatement delete;

  public BlobStore(CqlSession session, String keyspace, int chunkSize, int parallelism) {
    this.session = session;
    this.chunkSize = chunkSize;
    this.parallelism = parallelism;
    this.insert = session.prepare("INSERT INTO " + keyspace + ".blob_chunks (blob, idx, data) VALUES (?, ?, ?)");
    this.select = session.prepare("SELECT data FROM " + keyspace + ".blob_chunks WHERE blob = ? AND idx = ?");
    this.delete = session.prepare("DELETE FROM " + keyspace + ".blob_chunks WHERE blob = ? AND idx = ?");
  }

  public int chunkSize() {
    return chunkSize;
  }

  /**
   * Writes {@code data} as blob {@code id}. Completes with the blob's reference once every chunk is
   * stored; fails (leaving chunks for the garbage collector) if the source or a write fails.
   */
  public CompletionStage<BlobRef> write(UUID id, Source<ByteString, ?> data, Materializer mat) {
    return data.via(Rechunk.flow(chunkSize))
        .zipWithIndex()
        .mapAsync(parallelism, p -> writeChunk(id, p.second().intValue(), p.first()).thenApply(x -> (long) p.first().size()))
        .runWith(Sink.fold(0L, Long::sum), mat)
        .thenApply(size -> new BlobRef(id, size, chunkSize));
  }

  private CompletionStage<Void> writeChunk(UUID id, int idx, ByteString chunk) {
    return session.executeAsync(insert.bind(id, idx, chunk.toByteBuffer()).setTimeout(CHUNK_TIMEOUT))
        .thenApply(rs -> null);
  }

  /** Streams bytes {@code [first, last]} (inclusive) of a blob, fetching a few chunks ahead. */
  public Source<ByteString, NotUsed> read(BlobRef blob, long first, long last) {
    if (blob.size() == 0 || last < first) return Source.empty();
    int firstChunk = (int) (first / blob.chunkSize());
    int lastChunk = (int) (last / blob.chunkSize());
    return Source.range(firstChunk, lastChunk)
        .mapAsync(2, idx -> readChunk(blob.id(), idx).thenApply(bytes -> Pair.create(idx, bytes)))
        .map(p -> {
          long chunkStart = (long) p.first() * blob.chunkSize();
          ByteString bytes = p.second();
          int from = (int) Math.max(0, first - chunkStart);
          int until = (int) Math.min(bytes.size(), last - chunkStart + 1);
          return (from == 0 && until == bytes.size()) ? bytes : bytes.slice(from, until);
        });
  }

  private CompletionStage<ByteString> readChunk(UUID id, int idx) {
    return session.executeAsync(select.bind(id, idx).setTimeout(CHUNK_TIMEOUT)).thenCompose(rs -> {
      Row row = rs.one();
      if (row == null) {
        return CompletableFuture.failedFuture(new IllegalStateException("missing chunk " + idx + " of blob " + id));
      }
      ByteBuffer data = row.getByteBuffer("data");
      return CompletableFuture.completedFuture(ByteString.fromByteBuffer(data));
    });
  }

  /** Deletes the chunks of a blob whose size is known. */
  public CompletionStage<Void> delete(BlobRef blob) {
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < blob.chunkCount(); i++) {
      all.add(session.executeAsync(delete.bind(blob.id(), i)).toCompletableFuture());
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  /**
   * Deletes the chunks of a blob whose size is unknown (an upload that never finished). Chunks are written
   * with at most {@code parallelism} in flight, so the blob ends after {@code parallelism} missing chunks
   * in a row.
   */
  public CompletionStage<Integer> deleteUnknownSize(UUID id) {
    return deleteFrom(id, 0, 0, 0);
  }

  private CompletionStage<Integer> deleteFrom(UUID id, int idx, int missingInRow, int deleted) {
    if (missingInRow > parallelism) return CompletableFuture.completedFuture(deleted);
    return session.executeAsync(select.bind(id, idx)).thenCompose(rs -> {
      Optional<Row> row = Optional.ofNullable(rs.one());
      if (row.isEmpty()) return deleteFrom(id, idx + 1, missingInRow + 1, deleted);
      return session.executeAsync(delete.bind(id, idx))
          .thenCompose(x -> deleteFrom(id, idx + 1, 0, deleted + 1));
    });
  }
}
