package dev.meridian.cluster.object;

import dev.meridian.persistence.ObjectIndex;
import dev.meridian.persistence.ObjectVersion;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ListObjects over a bucket's partitions: a k-way merge of one cursor per partition in UTF-8 key order,
 * with S3's prefix, delimiter (CommonPrefixes) and max-keys rules. A common prefix is found once and every
 * cursor then seeks past it, so a folder of a million keys costs one seek per partition, not a scan.
 * Reads the index directly: the partition actors keep it current before acknowledging a write.
 */
public final class Listing {

  /** One page: objects and common prefixes in order, and where the next page starts. */
  public record Page(List<ObjectVersion> contents, List<String> commonPrefixes, boolean truncated, String nextMarker) {}

  private final ObjectIndex index;

  public Listing(ObjectIndex index) {
    this.index = index;
  }

  /**
   * Lists current versions (delete markers skipped) with keys after {@code marker} (exclusive; null for
   * the start). {@code maxKeys} counts objects and common prefixes together, as S3 does.
   */
  public CompletionStage<Page> listCurrent(String bucket, int partitions, String prefix, String delimiter,
      String marker, int maxKeys) {
    String p = prefix == null ? "" : prefix;
    String start = marker != null && KeyOrder.compare(marker, p) >= 0 ? marker : null;
    List<Cursor> cursors = new ArrayList<>();
    int batch = Math.min(Math.max(maxKeys, 1) + 1, 1000);
    for (int i = 0; i < partitions; i++) {
      Cursor c = new Cursor(bucket, i, batch);
      if (start != null) c.seek(start, false);
      else c.seek(p, true);
      cursors.add(c);
    }
    Page page = new Page(new ArrayList<>(), new ArrayList<>(), false, null);
    if (maxKeys <= 0) return CompletableFuture.completedFuture(page);
    return step(cursors, p, emptyToNull(delimiter), maxKeys, page, new String[1]);
  }

  /** Merges until the page is full or the cursors run dry; goes async only to fetch a batch. */
  private CompletionStage<Page> step(List<Cursor> cursors, String prefix, String delimiter, int maxKeys,
      Page acc, String[] last) {
    while (true) {
      if (cursors.stream().anyMatch(Cursor::needsFetch)) {
        return fillAll(cursors).thenCompose(x -> step(cursors, prefix, delimiter, maxKeys, acc, last));
      }
      Cursor min = null;
      for (Cursor c : cursors) {
        if (c.head() != null && (min == null || KeyOrder.compare(c.head().key(), min.head().key()) < 0)) min = c;
      }
      if (min == null || !min.head().key().startsWith(prefix)) return CompletableFuture.completedFuture(acc);
      ObjectVersion v = min.head();
      if (v.deleteMarker()) { // not a current object; a folder of only deleted keys is not listed either
        min.pop();
        continue;
      }
      if (acc.contents().size() + acc.commonPrefixes().size() >= maxKeys) {
        return CompletableFuture.completedFuture(new Page(acc.contents(), acc.commonPrefixes(), true, last[0]));
      }
      String key = v.key();
      int at = delimiter == null ? -1 : key.indexOf(delimiter, prefix.length());
      if (at >= 0) {
        String common = key.substring(0, at + delimiter.length());
        acc.commonPrefixes().add(common);
        last[0] = common;
        String after = KeyOrder.afterPrefix(common);
        for (Cursor c : cursors) c.seek(after, true);
        continue;
      }
      min.pop();
      acc.contents().add(v);
      last[0] = key;
    }
  }

  private static CompletionStage<Void> fillAll(List<Cursor> cursors) {
    List<CompletableFuture<Void>> fills = new ArrayList<>();
    for (Cursor c : cursors) {
      if (c.needsFetch()) fills.add(c.fetch().toCompletableFuture());
    }
    return fills.isEmpty() ? CompletableFuture.completedFuture(null) : CompletableFuture.allOf(fills.toArray(CompletableFuture[]::new));
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** A partition's rows in key order, fetched a batch at a time from a position. */
  private final class Cursor {
    private final String bucket;
    private final int part;
    private final int batch;
    private final ArrayDeque<ObjectVersion> buffer = new ArrayDeque<>();
    private String from;
    private boolean inclusive;
    private boolean exhausted;

    Cursor(String bucket, int part, int batch) {
      this.bucket = bucket;
      this.part = part;
      this.batch = batch;
    }

    /** Moves to the first key at or after (inclusive) or strictly after {@code key}. */
    void seek(String key, boolean incl) {
      while (!buffer.isEmpty()) {
        int cmp = KeyOrder.compare(buffer.peekFirst().key(), key);
        if (cmp > 0 || (cmp == 0 && incl)) return;
        buffer.pollFirst();
      }
      if (exhausted) return; // nothing left after the last fetch, so nothing after a later key either
      from = key;
      inclusive = incl;
      exhausted = false;
    }

    boolean needsFetch() {
      return buffer.isEmpty() && !exhausted;
    }

    CompletionStage<Void> fetch() {
      return index.listCurrent(bucket, part, from, inclusive, batch).thenAccept(rows -> {
        buffer.addAll(rows);
        if (rows.size() < batch) exhausted = true;
        if (!rows.isEmpty()) {
          from = rows.get(rows.size() - 1).key();
          inclusive = false;
        }
      });
    }

    ObjectVersion head() {
      return buffer.peekFirst();
    }

    void pop() {
      buffer.pollFirst();
    }
  }
}
