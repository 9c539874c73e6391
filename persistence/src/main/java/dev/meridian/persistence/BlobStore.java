package dev.meridian.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
  private final PreparedStatement insertManifest;
  private final PreparedStatement selectManifest;
  private final PreparedStatement deleteManifest;
  /** Chunks recently read, by blob and index (null: no cache); see {@link #BlobStore}. */
  private final Cache<ChunkKey, ByteString> cache;
  private final long cacheMaxBlob;

  private record ChunkKey(UUID blob, int idx) {}

  /**
   * A store of chunks of {@code chunkSize}, {@code parallelism} in flight per transfer, and a read cache of
   * {@code cacheBytes} (0: none). Chunks never change once written (a blob id is never reused), so cached
   * chunks need no invalidation; the cache keeps the chunks of blobs of up to a sixteenth of its size, so
   * that one large download does not push out the working set of small and medium objects.
   */
  public BlobStore(CqlSession session, String keyspace, int chunkSize, int parallelism, long cacheBytes) {
    this.session = session;
    this.chunkSize = chunkSize;
    this.parallelism = parallelism;
    this.cache = cacheBytes <= 0 ? null : Caffeine.newBuilder()
        .maximumWeight(cacheBytes)
        .weigher((ChunkKey k, ByteString v) -> v.size() + 64)
        .executor(Runnable::run) // evict on the caller's thread, as VersionCache does
        .build();
    this.cacheMaxBlob = cacheBytes / 16;
    this.insert = session.prepare("INSERT INTO " + keyspace + ".blob_chunks (blob, idx, data) VALUES (?, ?, ?)");
    this.select = session.prepare("SELECT data FROM " + keyspace + ".blob_chunks WHERE blob = ? AND idx = ?");
    this.delete = session.prepare("DELETE FROM " + keyspace + ".blob_chunks WHERE blob = ? AND idx = ?");
    this.insertManifest = session.prepare("INSERT INTO " + keyspace + ".blob_manifests (manifest, idx, blob, size, chunk_size)"
        + " VALUES (?, ?, ?, ?, ?)");
    this.selectManifest = session.prepare("SELECT blob, size, chunk_size FROM " + keyspace + ".blob_manifests WHERE manifest = ?");
    this.deleteManifest = session.prepare("DELETE FROM " + keyspace + ".blob_manifests WHERE manifest = ?");
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

  /**
   * Takes a small body (at most {@code maxSize} bytes, which the caller knows from its declared length)
   * as an inline blob: its bytes travel with the version instead of being written here. A body longer
   * than it declared fails the stage rather than grow without bound.
   */
  public static CompletionStage<BlobRef> inline(Source<ByteString, ?> data, int maxSize, Materializer mat) {
    return data.<ByteString>map(b -> b).limitWeighted(maxSize, b -> (long) b.size())
        .runWith(Sink.fold(ByteString.emptyByteString(), (acc, b) -> acc.concat(b)), mat)
        .thenApply(bytes -> BlobRef.inline(bytes.toArray()));
  }

  private CompletionStage<Void> writeChunk(UUID id, int idx, ByteString chunk) {
    return session.executeAsync(insert.bind(id, idx, chunk.toByteBuffer()).setTimeout(CHUNK_TIMEOUT))
        .thenApply(rs -> null);
  }

  /**
   * Streams bytes {@code [first, last]} (inclusive) of a blob or manifest, fetching {@code parallelism}
   * chunks ahead (as many as a write has in flight): a download's rate is about that many chunks per
   * Cassandra read latency, and its memory that many chunks.
   */
  public Source<ByteString, NotUsed> read(BlobRef blob, long first, long last) {
    if (blob.size() == 0 || last < first) return Source.empty();
    if (blob.isInline()) return readInline(blob, first, last);
    if (blob.isManifest()) {
      return Source.completionStageSource(manifest(blob.id()).thenApply(parts -> readParts(parts, first, last)))
          .mapMaterializedValue(x -> NotUsed.getInstance());
    }
    int firstChunk = (int) (first / blob.chunkSize());
    int lastChunk = (int) (last / blob.chunkSize());
    return Source.range(firstChunk, lastChunk)
        .mapAsync(parallelism, idx -> readChunk(blob, idx).thenApply(bytes -> Pair.create(idx, bytes)))
        .map(p -> {
          long chunkStart = (long) p.first() * blob.chunkSize();
          ByteString bytes = p.second();
          int from = (int) Math.max(0, first - chunkStart);
          int until = (int) Math.min(bytes.size(), last - chunkStart + 1);
          return (from == 0 && until == bytes.size()) ? bytes : bytes.slice(from, until);
        });
  }

  /** Bytes {@code [first, last]} of an inline blob, which must carry its data. */
  public static Source<ByteString, NotUsed> readInline(BlobRef blob, long first, long last) {
    if (last < first) return Source.empty(); // an empty object (CopyObject reads [0, -1])
    return Source.single(inlineBytes(blob, first, last));
  }

  /** Bytes {@code [first, last]} (not empty) of an inline blob, which must carry its data; not copied. */
  public static ByteString inlineBytes(BlobRef blob, long first, long last) {
    if (blob.data() == null) throw new IllegalStateException("inline blob " + blob.id() + " read without its data");
    return ByteString.fromArrayUnsafe(blob.data(), (int) first, (int) (last - first + 1));
  }

  private CompletionStage<ByteString> readChunk(BlobRef blob, int idx) {
    UUID id = blob.id();
    ChunkKey key = cache != null && blob.size() <= cacheMaxBlob ? new ChunkKey(id, idx) : null;
    ByteString hit = key == null ? null : cache.getIfPresent(key);
    if (hit != null) return CompletableFuture.completedFuture(hit);
    return session.executeAsync(select.bind(id, idx).setTimeout(CHUNK_TIMEOUT)).thenCompose(rs -> {
      Row row = rs.one();
      if (row == null) {
        return CompletableFuture.failedFuture(new IllegalStateException("missing chunk " + idx + " of blob " + id));
      }
      ByteString bytes = ByteString.fromByteBuffer(row.getByteBuffer("data"));
      if (key != null) cache.put(key, bytes);
      return CompletableFuture.completedFuture(bytes);
    });
  }

  /** Deletes the chunks of a blob whose size is known (every part blob and the list, for a manifest). */
  public CompletionStage<Void> delete(BlobRef blob) {
    if (blob.isInline()) return CompletableFuture.completedFuture(null);
    if (blob.isManifest()) {
      return manifest(blob.id()).thenCompose(parts -> {
        CompletionStage<Void> all = CompletableFuture.completedFuture(null);
        for (BlobRef part : parts) all = all.thenCompose(x -> delete(part));
        return all;
      }).thenCompose(x -> session.executeAsync(deleteManifest.bind(blob.id()))).thenApply(rs -> null);
    }
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

  // ---- manifests of multipart objects ----

  /** Records the part blobs of a multipart object, in order, under {@code manifest}. */
  public CompletionStage<Void> writeManifest(UUID manifest, List<BlobRef> parts) {
    CompletionStage<Void> all = CompletableFuture.completedFuture(null);
    // Groups of 32 concurrent inserts one after the other: a 10,000-part manifest stays bounded in flight.
    for (int from = 0; from < parts.size(); from += 32) {
      int start = from;
      all = all.thenCompose(x -> {
        List<CompletableFuture<?>> group = new ArrayList<>();
        for (int i = start; i < Math.min(start + 32, parts.size()); i++) {
          BlobRef b = parts.get(i);
          group.add(session.executeAsync(insertManifest.bind(manifest, i, b.id(), b.size(), b.chunkSize())).toCompletableFuture());
        }
        return CompletableFuture.allOf(group.toArray(CompletableFuture[]::new));
      });
    }
    return all;
  }

  /** The part blobs of a manifest, in order. */
  public CompletionStage<List<BlobRef>> manifest(UUID manifest) {
    return session.executeAsync(selectManifest.bind(manifest))
        .thenCompose(rs -> Pages.collect(rs, r -> new BlobRef(r.getUuid(0), r.getLong(1), r.getInt(2))));
  }

  private Source<ByteString, NotUsed> readParts(List<BlobRef> parts, long first, long last) {
    List<Source<ByteString, NotUsed>> slices = new ArrayList<>();
    long offset = 0;
    for (BlobRef part : parts) {
      long start = offset;
      long end = offset + part.size() - 1;
      offset += part.size();
      if (part.size() == 0 || end < first || start > last) continue;
      slices.add(read(part, Math.max(first, start) - start, Math.min(last, end) - start));
    }
    // Concatenated lazily: a part's chunks are fetched only when the previous part is sent.
    return Source.from(slices).flatMapConcat(s -> s);
  }
}
