package dev.meridian.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The key/version index of one region: per bucket partition, the latest version of each key
 * ({@code object_current}) and every version ({@code object_versions}). The partition actor that owns a
 * {@code (bucket, part)} is its only writer and updates it before replying, which gives read-after-write
 * and list-after-write; it can be rebuilt from the partition's events. Reads go straight to Cassandra.
 */
public final class ObjectIndex {

  /** An inline blob's bytes go to the {@code data} column, not into {@code info} (see {@link BlobRef}). */
  @JsonIgnoreProperties("data")
  private abstract static class WithoutData {}

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .addMixIn(BlobRef.class, WithoutData.class)
      .registerModule(new BlackbirdModule());

  /**
   * The codec of a {@code key IN ?} list, given when binding: the driver otherwise infers a collection's
   * codec from its elements on every bind, through reflection on generic types (a third of the node's
   * cost of this read, in a profile of 4 KiB PUTs).
   */
  private static final TypeCodec<List<String>> KEYS = TypeCodecs.listOf(Utf8Text.CODEC);

  private final CqlSession session;
  private final PreparedStatement insertCurrent;
  private final PreparedStatement insertVersion;
  private final PreparedStatement deleteCurrent;
  private final PreparedStatement deleteVersion;
  private final PreparedStatement selectCurrent;
  private final PreparedStatement selectVersionsOfKey;
  private final PreparedStatement scanVersionsOfKeys;
  private final PreparedStatement selectVersion;
  private final PreparedStatement listCurrentAfter;
  private final PreparedStatement listCurrentFrom;
  private final PreparedStatement listVersionsAfterKey;
  private final PreparedStatement listVersionsFromKey;
  private final PreparedStatement listVersionsOfKeyFrom;
  private final PreparedStatement anyVersion;
  private final PreparedStatement keysOfPart;

  public ObjectIndex(CqlSession session, String ks) {
    this.session = session;
    String cols = "bucket, part, key, seq, version_id, delete_marker, info, data";
    insertCurrent = session.prepare("INSERT INTO " + ks + ".object_current (" + cols + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insertVersion = session.prepare("INSERT INTO " + ks + ".object_versions (" + cols + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    deleteCurrent = session.prepare("DELETE FROM " + ks + ".object_current WHERE bucket = ? AND part = ? AND key = ?");
    deleteVersion = session.prepare("DELETE FROM " + ks + ".object_versions"
        + " WHERE bucket = ? AND part = ? AND key = ? AND seq = ? AND version_id = ?");
    selectCurrent = session.prepare("SELECT info, data FROM " + ks + ".object_current WHERE bucket = ? AND part = ? AND key = ?");
    selectVersionsOfKey = session.prepare("SELECT info, data FROM " + ks + ".object_versions"
        + " WHERE bucket = ? AND part = ? AND key = ? LIMIT ?");
    scanVersionsOfKeys = session.prepare("SELECT info FROM " + ks + ".object_versions"
        + " WHERE bucket = ? AND part = ? AND key IN ?");
    selectVersion = session.prepare("SELECT info, data FROM " + ks + ".object_versions"
        + " WHERE bucket = ? AND part = ? AND key = ? AND seq = ? AND version_id = ?");
    listCurrentAfter = session.prepare("SELECT info FROM " + ks + ".object_current"
        + " WHERE bucket = ? AND part = ? AND key > ? LIMIT ?");
    listCurrentFrom = session.prepare("SELECT info FROM " + ks + ".object_current"
        + " WHERE bucket = ? AND part = ? AND key >= ? LIMIT ?");
    listVersionsAfterKey = session.prepare("SELECT info FROM " + ks + ".object_versions"
        + " WHERE bucket = ? AND part = ? AND key > ? LIMIT ?");
    listVersionsFromKey = session.prepare("SELECT info FROM " + ks + ".object_versions"
        + " WHERE bucket = ? AND part = ? AND key >= ? LIMIT ?");
    listVersionsOfKeyFrom = session.prepare("SELECT info FROM " + ks + ".object_versions"
        + " WHERE bucket = ? AND part = ? AND key = ? AND seq <= ? LIMIT ?");
    anyVersion = session.prepare("SELECT key FROM " + ks + ".object_versions WHERE bucket = ? AND part = ? LIMIT 1");
    keysOfPart = session.prepare("SELECT key FROM " + ks + ".object_versions WHERE bucket = ? AND part = ? GROUP BY key");
  }

  // ---- writes (the partition actor only) ----

  /** The rows of one index partition {@code (bucket, part)} that an event changes, to be written together. */
  public Writes writes(String bucket, int part) {
    return new Writes(bucket, part);
  }

  /**
   * Rows of one {@code (bucket, part)} written in one request: the index tables and the replication
   * progress rows share that partition key, so Cassandra applies an unlogged batch of them as a single
   * mutation (one commit log entry, no batch log), not as one request per row.
   */
  public final class Writes {
    private final String bucket;
    private final int part;
    private final List<BatchableStatement<?>> statements = new ArrayList<>();
    private ObjectVersion encodedVersion;
    private String encoded;

    private Writes(String bucket, int part) {
      this.bucket = bucket;
      this.part = part;
    }

    public Writes putVersion(ObjectVersion v) {
      return add(row(insertVersion, v));
    }

    public Writes putCurrent(ObjectVersion v) {
      return add(row(insertCurrent, v));
    }

    /** A version's row, its text bound with {@link Utf8Text} (no codec inferred from each value). */
    private BoundStatement row(PreparedStatement insert, ObjectVersion v) {
      return insert.boundStatementBuilder()
          .set(0, bucket, Utf8Text.CODEC)
          .setInt(1, part)
          .set(2, v.key(), Utf8Text.CODEC)
          .setLong(3, v.seq())
          .set(4, v.versionId(), Utf8Text.CODEC)
          .setBoolean(5, v.deleteMarker())
          .set(6, info(v), Utf8Text.CODEC)
          .setByteBuffer(7, data(v))
          .build();
    }

    /** The info column of a version, encoded once when it goes to both tables. */
    private String info(ObjectVersion v) {
      if (v != encodedVersion) {
        encoded = encode(v);
        encodedVersion = v;
      }
      return encoded;
    }

    public Writes removeVersion(String key, long seq, String versionId) {
      return add(deleteVersion.bind(bucket, part, key, seq, versionId));
    }

    public Writes removeCurrent(String key) {
      return add(deleteCurrent.bind(bucket, part, key));
    }

    /** Another row with the partition key {@code (bucket, part)} (a replication progress row). */
    public Writes add(BatchableStatement<?> statement) {
      statements.add(statement);
      return this;
    }

    public CompletionStage<Void> execute() {
      if (statements.isEmpty()) return CompletableFuture.completedFuture(null);
      return exec(statements.size() == 1 ? statements.get(0)
          : BatchStatement.newInstance(DefaultBatchType.UNLOGGED, statements));
    }
  }

  // ---- reads ----

  public CompletionStage<Optional<ObjectVersion>> current(String bucket, int part, String key) {
    return session.executeAsync(selectCurrent.bind(bucket, part, key)).thenApply(rs -> first(rs));
  }

  /** The newest version of a key in its history (which may differ from the current row mid-update). */
  public CompletionStage<Optional<ObjectVersion>> newestVersion(String bucket, int part, String key) {
    return session.executeAsync(selectVersionsOfKey.bind(bucket, part, key, 1)).thenApply(rs -> first(rs));
  }

  /** A version by id; the null version is found by scanning the key's history. */
  public CompletionStage<Optional<ObjectVersion>> version(String bucket, int part, String key, String versionId) {
    if (ObjectVersion.NULL_VERSION.equals(versionId)) return nullVersion(bucket, part, key);
    var seq = VersionIds.seqOf(versionId);
    if (seq.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
    return session.executeAsync(selectVersion.bind(bucket, part, key, seq.getAsLong(), versionId))
        .thenApply(rs -> first(rs));
  }

  /**
   * The null version of a key: its history is scanned without the inline bytes (a key may have many
   * versions), and an inline null version is then read again with them.
   */
  public CompletionStage<Optional<ObjectVersion>> nullVersion(String bucket, int part, String key) {
    return nullVersionsWithoutData(bucket, part, List.of(key)).thenApply(found -> Optional.ofNullable(found.get(key)))
        .thenCompose(found -> found.isPresent() && found.get().blob() != null && found.get().blob().isInline()
            ? session.executeAsync(selectVersion.bind(bucket, part, key, found.get().seq(), ObjectVersion.NULL_VERSION))
                .thenApply(ObjectIndex::first)
            : CompletableFuture.completedFuture(found));
  }

  /**
   * The null versions of several keys of one partition, in one read, without their inline bytes (enough
   * to replace or remove a version; never to write its row again). Keys without one are not in the map.
   */
  public CompletionStage<Map<String, ObjectVersion>> nullVersionsWithoutData(String bucket, int part, List<String> keys) {
    return session.executeAsync(scanVersionsOfKeys.bind(bucket, part).set(2, keys, KEYS))
        .thenCompose(rs -> {
          Map<String, ObjectVersion> found = new HashMap<>();
          return Pages.forEachRow(rs, row -> {
            ObjectVersion v = decode(row.getString(0));
            if (v.isNullVersion()) found.putIfAbsent(v.key(), v);
          }).thenApply(x -> found);
        });
  }

  /** Up to {@code limit} current rows with keys after {@code key} (or from it, when inclusive). */
  public CompletionStage<List<ObjectVersion>> listCurrent(String bucket, int part, String key, boolean inclusive, int limit) {
    PreparedStatement ps = inclusive ? listCurrentFrom : listCurrentAfter;
    return session.executeAsync(ps.bind(bucket, part, key, limit)).thenApply(ObjectIndex::page);
  }

  /** Up to {@code limit} versions of keys after {@code key} (or from it, when inclusive), in index order. */
  public CompletionStage<List<ObjectVersion>> listVersionsFromKey(String bucket, int part, String key, boolean inclusive,
      int limit) {
    PreparedStatement ps = inclusive ? listVersionsFromKey : listVersionsAfterKey;
    return session.executeAsync(ps.bind(bucket, part, key, limit)).thenApply(ObjectIndex::page);
  }

  /** Up to {@code limit} versions of one key from {@code seq} downwards (ties included). */
  public CompletionStage<List<ObjectVersion>> listVersionsOfKey(String bucket, int part, String key, long seq, int limit) {
    return session.executeAsync(listVersionsOfKeyFrom.bind(bucket, part, key, seq, limit)).thenApply(ObjectIndex::page);
  }

  /**
   * Every key with a version in the partition, once each, given to {@code each} page by page (on the
   * driver's threads); completes after the last page.
   */
  public CompletionStage<Void> forEachKey(String bucket, int part, Consumer<String> each) {
    return session.executeAsync(keysOfPart.bind(bucket, part))
        .thenCompose(rs -> Pages.forEachRow(rs, row -> each.accept(row.getString(0))));
  }

  public CompletionStage<Boolean> isEmpty(String bucket, int part) {
    return session.executeAsync(anyVersion.bind(bucket, part)).thenApply(rs -> rs.one() == null);
  }

  // ---- codec ----

  private CompletionStage<Void> exec(com.datastax.oss.driver.api.core.cql.Statement<?> st) {
    return session.executeAsync(st).thenApply(rs -> null);
  }

  private static Optional<ObjectVersion> first(AsyncResultSet rs) {
    Row row = rs.one();
    return row == null ? Optional.empty() : Optional.of(decode(row));
  }

  private static List<ObjectVersion> page(AsyncResultSet rs) {
    // LIMIT is at most a page (5000 by default), so the first page holds every row asked for.
    List<ObjectVersion> out = new ArrayList<>();
    for (Row row : rs.currentPage()) out.add(decode(row.getString(0)));
    return out;
  }

  /** The data column of a row; an inline version read without its bytes (a listing's) is never written. */
  private static ByteBuffer data(ObjectVersion v) {
    if (v.blob() == null || !v.blob().isInline()) return null;
    if (v.blob().data() == null) throw new IllegalStateException("inline version " + v.key() + "/" + v.versionId() + " without its bytes");
    return ByteBuffer.wrap(v.blob().data());
  }

  /** A row of a query that selects {@code info, data}: the version with its inline bytes, if any. */
  private static ObjectVersion decode(Row row) {
    ObjectVersion v = decode(row.getString(0));
    ByteBuffer data = row.getByteBuffer(1);
    if (data == null || v.blob() == null) return v;
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    return v.withBlob(v.blob().withData(bytes));
  }

  static String encode(ObjectVersion v) {
    try {
      return JSON.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectVersion decode(String json) {
    try {
      return JSON.readValue(json, ObjectVersion.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt index row: " + json, e);
    }
  }
}
