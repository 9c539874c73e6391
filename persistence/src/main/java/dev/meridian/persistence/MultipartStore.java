package dev.meridian.persistence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Multipart uploads in progress: the upload (key, initiation time, the metadata given at creation) and
 * its parts (each a blob). Written by the node that serves the request; a completed upload becomes one
 * version whose blob is a manifest of the part blobs, committed through the partition actor like any PUT.
 */
public final class MultipartStore {

  /** An upload in progress; {@code meta} is what CreateMultipartUpload asked to store on the object. */
  public record Upload(String bucket, String key, String uploadId, long initiatedMillis, ObjectMeta meta,
      String checksumAlgorithm) {}

  /** One uploaded part; {@code checksum} is the part's flexible checksum (base64), when one was sent. */
  public record Part(int number, String etag, long size, BlobRef blob, long lastModifiedMillis, String checksum) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .registerModule(new BlackbirdModule());

  private final CqlSession session;
  private final PreparedStatement insertUpload;
  private final PreparedStatement selectUpload;
  private final PreparedStatement deleteUpload;
  private final PreparedStatement listUploads;
  private final PreparedStatement scanUploads;
  private final PreparedStatement insertPart;
  private final PreparedStatement selectPart;
  private final PreparedStatement selectParts;
  private final PreparedStatement deleteParts;

  public MultipartStore(CqlSession session, String ks) {
    this.session = session;
    insertUpload = session.prepare("INSERT INTO " + ks + ".uploads (bucket, key, upload_id, initiated, info) VALUES (?, ?, ?, ?, ?)");
    selectUpload = session.prepare("SELECT info FROM " + ks + ".uploads WHERE bucket = ? AND key = ? AND upload_id = ?");
    deleteUpload = session.prepare("DELETE FROM " + ks + ".uploads WHERE bucket = ? AND key = ? AND upload_id = ?");
    listUploads = session.prepare("SELECT info FROM " + ks + ".uploads WHERE bucket = ?");
    scanUploads = session.prepare("SELECT initiated, info FROM " + ks + ".uploads");
    insertPart = session.prepare("INSERT INTO " + ks + ".upload_parts (upload_id, part, info) VALUES (?, ?, ?)");
    selectPart = session.prepare("SELECT info FROM " + ks + ".upload_parts WHERE upload_id = ? AND part = ?");
    selectParts = session.prepare("SELECT info FROM " + ks + ".upload_parts WHERE upload_id = ?");
    deleteParts = session.prepare("DELETE FROM " + ks + ".upload_parts WHERE upload_id = ?");
  }

  public CompletionStage<Void> createUpload(Upload u) {
    return session.executeAsync(insertUpload.bind(u.bucket(), u.key(), u.uploadId(),
        Instant.ofEpochMilli(u.initiatedMillis()), encode(u))).thenApply(rs -> null);
  }

  public CompletionStage<Optional<Upload>> upload(String bucket, String key, String uploadId) {
    return session.executeAsync(selectUpload.bind(bucket, key, uploadId))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(r -> decode(r.getString(0), Upload.class)));
  }

  /** Every upload in progress in a bucket, in key order, then initiation order. */
  public CompletionStage<List<Upload>> uploads(String bucket) {
    return session.executeAsync(listUploads.bind(bucket)).thenCompose(rs -> Pages.collect(rs, r -> decode(r.getString(0), Upload.class)));
  }

  /**
   * Up to {@code limit} uploads of any bucket initiated before {@code cutoff}, by a paged scan of the
   * region's uploads (a small table: uploads in progress only), for the expiry of abandoned uploads.
   */
  public CompletionStage<List<Upload>> initiatedBefore(Instant cutoff, int limit) {
    return session.executeAsync(scanUploads.bind()).thenCompose(rs -> scanBefore(rs, cutoff, limit, new ArrayList<>()));
  }

  private CompletionStage<List<Upload>> scanBefore(AsyncResultSet rs, Instant cutoff, int limit, List<Upload> acc) {
    for (Row r : rs.currentPage()) {
      if (acc.size() >= limit) return CompletableFuture.completedFuture(acc);
      if (r.getInstant(0).isBefore(cutoff)) acc.add(decode(r.getString(1), Upload.class));
    }
    return rs.hasMorePages() && acc.size() < limit
        ? rs.fetchNextPage().thenCompose(next -> scanBefore(next, cutoff, limit, acc))
        : CompletableFuture.completedFuture(acc);
  }

  /**
   * Ends an upload (completed, aborted or expired): removes it and its part rows and schedules the blobs
   * in {@code collect} (the parts not used by a completed object, or all of them) for collection now.
   */
  public CompletionStage<Void> finish(Upload u, List<BlobRef> collect, BlobGc gc) {
    Instant now = Instant.now();
    CompletionStage<Void> all = removeUpload(u);
    for (BlobRef b : collect) all = all.thenCompose(y -> gc.scheduleDelete(b, now));
    return all;
  }

  /** Aborts up to {@code limit} uploads initiated before {@code cutoff}; completes with how many. */
  public CompletionStage<Integer> expire(Instant cutoff, int limit, BlobGc gc) {
    return initiatedBefore(cutoff, limit).thenCompose(old -> {
      CompletionStage<Void> all = CompletableFuture.completedFuture(null);
      for (Upload u : old) {
        all = all.thenCompose(x -> parts(u.uploadId()))
            .thenCompose(parts -> finish(u, parts.stream().map(Part::blob).toList(), gc));
      }
      return all.thenApply(x -> old.size());
    });
  }

  /** Removes an upload and its part rows (not the part blobs: the caller hands them on or collects them). */
  public CompletionStage<Void> removeUpload(Upload u) {
    return session.executeAsync(deleteUpload.bind(u.bucket(), u.key(), u.uploadId()))
        .thenCompose(x -> session.executeAsync(deleteParts.bind(u.uploadId())))
        .thenApply(rs -> null);
  }

  public CompletionStage<Void> putPart(String uploadId, Part part) {
    return session.executeAsync(insertPart.bind(uploadId, part.number(), encode(part))).thenApply(rs -> null);
  }

  public CompletionStage<Optional<Part>> part(String uploadId, int number) {
    return session.executeAsync(selectPart.bind(uploadId, number))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(r -> decode(r.getString(0), Part.class)));
  }

  /** The parts of an upload in part-number order. */
  public CompletionStage<List<Part>> parts(String uploadId) {
    return session.executeAsync(selectParts.bind(uploadId))
        .thenCompose(rs -> Pages.collect(rs, r -> decode(r.getString(0), Part.class)));
  }

  private static String encode(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T decode(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt multipart row: " + json, e);
    }
  }
}
