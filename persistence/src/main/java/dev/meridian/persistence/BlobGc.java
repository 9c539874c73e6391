package dev.meridian.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects blobs nobody references. Two kinds of entries: an upload registers its blob before the first
 * chunk with a far due time and the target key, and the partition actor clears the entry when the version
 * that references it is indexed (so a crash or a dropped connection leaves an entry, and the sweep deletes
 * the chunks unless the key turns out to reference the blob after all); a version that is removed or
 * replaced schedules its blob for deletion after a grace period, so reads already streaming it finish.
 */
public final class BlobGc {

  private static final Logger log = LoggerFactory.getLogger(BlobGc.class);
  private static final int SHARDS = 16;

  private final CqlSession session;
  private final PreparedStatement insert;
  private final PreparedStatement remove;
  private final PreparedStatement selectShard;

  public BlobGc(CqlSession session, String ks) {
    this.session = session;
    insert = session.prepare("INSERT INTO " + ks + ".blob_gc (shard, blob, due, size, chunk_size, parts, bucket, part, key)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    remove = session.prepare("DELETE FROM " + ks + ".blob_gc WHERE shard = ? AND blob = ?");
    selectShard = session.prepare("SELECT blob, due, size, chunk_size, parts, bucket, part, key FROM " + ks
        + ".blob_gc WHERE shard = ?");
  }

  private static int shard(UUID blob) {
    return Math.floorMod(blob.hashCode(), SHARDS);
  }

  /** Registers an upload about to write {@code blob} for a key; collected after {@code due} unless cleared. */
  public CompletionStage<Void> uploadStarted(UUID blob, String bucket, int part, String key, Instant due) {
    return session.executeAsync(insert.bind(shard(blob), blob, due, null, null, null, bucket, part, key)).thenApply(rs -> null);
  }

  /** The blob is now referenced by an indexed version (or was deleted): forget the entry. */
  public CompletionStage<Void> clear(UUID blob) {
    return session.executeAsync(remove.bind(shard(blob), blob)).thenApply(rs -> null);
  }

  /** Schedules the chunks of a no-longer-referenced blob for deletion at {@code due}. */
  public CompletionStage<Void> scheduleDelete(BlobRef blob, Instant due) {
    if (blob == null || blob.size() == 0 || blob.isInline()) return CompletableFuture.completedFuture(null);
    return session.executeAsync(insert.bind(shard(blob.id()), blob.id(), due, blob.size(), blob.chunkSize(), blob.parts(), null, null, null))
        .thenApply(rs -> null);
  }

  /** Deletes every blob whose entry is due; completes with the number of blobs collected. */
  public CompletionStage<Integer> sweep(Instant now, ObjectIndex index, BlobStore blobs) {
    List<CompletableFuture<Integer>> shards = new ArrayList<>();
    for (int s = 0; s < SHARDS; s++) {
      shards.add(session.executeAsync(selectShard.bind(s)).toCompletableFuture().thenCompose(rs -> {
        CompletionStage<Integer> acc = CompletableFuture.completedFuture(0);
        for (Row row : rs.currentPage()) {
          if (row.getInstant("due").isAfter(now)) continue;
          acc = acc.thenCompose(n -> collect(row, index, blobs).thenApply(c -> n + c));
        }
        return acc;
      }));
    }
    return CompletableFuture.allOf(shards.toArray(CompletableFuture[]::new))
        .thenApply(x -> shards.stream().mapToInt(CompletableFuture::join).sum());
  }

  private CompletionStage<Integer> collect(Row row, ObjectIndex index, BlobStore blobs) {
    UUID blob = row.getUuid("blob");
    String key = row.getString("key");
    CompletionStage<Integer> deleted;
    if (key == null) {
      deleted = blobs.delete(new BlobRef(blob, row.getLong("size"), row.getInt("chunk_size"), row.getInt("parts")))
          .thenApply(x -> 1);
    } else {
      // An upload that never cleared its entry: keep the blob if its version made it into the index.
      deleted = referenced(index, row.getString("bucket"), row.getInt("part"), key, blob).thenCompose(ref -> ref
          ? CompletableFuture.completedFuture(0)
          : blobs.deleteUnknownSize(blob).thenApply(n -> 1));
    }
    return deleted.thenCompose(n -> clear(blob).thenApply(x -> n)).exceptionally(e -> {
      log.warn("blob gc of {} failed, will retry: {}", blob, e.toString());
      return 0;
    });
  }

  private static CompletionStage<Boolean> referenced(ObjectIndex index, String bucket, int part, String key, UUID blob) {
    return index.listVersionsOfKey(bucket, part, key, Long.MAX_VALUE, 1000)
        .thenApply(vs -> vs.stream().anyMatch(v -> v.blob() != null && blob.equals(v.blob().id())));
  }
}
