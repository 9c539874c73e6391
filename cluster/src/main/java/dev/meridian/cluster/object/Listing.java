package dev.meridian.cluster.object;

import dev.meridian.persistence.ObjectIndex;
import dev.meridian.persistence.ObjectVersion;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ListObjects and ListObjectVersions over a bucket's partitions: a k-way merge of one cursor per
 * partition in UTF-8 key order, with S3's prefix, delimiter (CommonPrefixes) and max-keys rules. A common
 * prefix is found once and every cursor then seeks past it, so a folder of a million keys costs one seek
 * per partition, not a scan. All versions of a key live in one partition, so they arrive together and
 * newest first. Reads the index directly: the partition actors keep it current before they acknowledge.
 */
public final class Listing {

  /** One page of current objects: objects and common prefixes in order, and where the next page starts. */
  public record Page(List<ObjectVersion> contents, List<String> commonPrefixes, boolean truncated, String nextMarker) {}

  /** A version in a version listing, with whether it is the key's latest. */
  public record Entry(ObjectVersion version, boolean latest) {}

  /** One page of versions and delete markers; the next page starts after (nextKeyMarker, nextVersionIdMarker). */
  public record VersionsPage(List<Entry> entries, List<String> commonPrefixes, boolean truncated,
      String nextKeyMarker, String nextVersionIdMarker) {}

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
    Merge m = new Merge(bucket, partitions, prefix, delimiter, maxKeys, false);
    m.start(marker, null);
    return m.run().thenApply(x -> new Page(
        m.entries.stream().map(Entry::version).toList(), m.prefixes, m.truncated, m.lastKey));
  }

  /**
   * Lists every version and delete marker, keys in order and each key's versions newest first, starting
   * after {@code keyMarker} (and, within that key, after {@code versionIdMarker} when given).
   */
  public CompletionStage<VersionsPage> listVersions(String bucket, int partitions, String prefix, String delimiter,
      String keyMarker, String versionIdMarker, int maxKeys) {
    Merge m = new Merge(bucket, partitions, prefix, delimiter, maxKeys, true);
    m.start(keyMarker, versionIdMarker);
    return m.run().thenApply(x -> new VersionsPage(m.entries, m.prefixes, m.truncated, m.lastKey, m.lastVersionId));
  }

  /**
   * Whether a marker (NextMarker, a continuation token's key, a NextKeyMarker) is a common prefix of this
   * listing rather than a key: it starts with the prefix and its first delimiter after the prefix ends it.
   * S3 then resumes after every key under that prefix, so a folder is never listed on two pages.
   */
  static boolean isCommonPrefix(String marker, String prefix, String delimiter) {
    if (delimiter == null || delimiter.isEmpty() || !marker.startsWith(prefix) || !marker.endsWith(delimiter)) return false;
    return marker.indexOf(delimiter, prefix.length()) == marker.length() - delimiter.length();
  }

  /** One listing in progress. */
  private final class Merge {
    final String prefix;
    final String delimiter;
    final int maxKeys;
    final boolean versions;
    final List<Cursor> cursors = new ArrayList<>();
    final List<Entry> entries = new ArrayList<>();
    final List<String> prefixes = new ArrayList<>();
    boolean truncated;
    String lastKey;
    String lastVersionId;
    /** Versions of the marker key up to and including this version id are skipped. */
    String skipKey;
    String skipThroughVersion;
    String previousKey;

    Merge(String bucket, int partitions, String prefix, String delimiter, int maxKeys, boolean versions) {
      this.prefix = prefix == null ? "" : prefix;
      this.delimiter = delimiter == null || delimiter.isEmpty() ? null : delimiter;
      this.maxKeys = maxKeys;
      this.versions = versions;
      // Keys hash evenly over the partitions, so a page takes about maxKeys / partitions rows from each:
      // fetch twice that (a cursor that runs dry fetches again), not a whole page from every partition.
      int page = Math.min(Math.max(maxKeys, 1) + 1, 1000);
      int batch = Math.min(page, Math.max(64, 2 * page / Math.max(1, partitions) + 16));
      for (int i = 0; i < partitions; i++) cursors.add(new Cursor(bucket, i, batch, versions));
    }

    void start(String marker, String versionIdMarker) {
      boolean afterMarker = marker != null && !marker.isEmpty() && KeyOrder.compare(marker, prefix) >= 0;
      if (afterMarker && versions && versionIdMarker != null && !versionIdMarker.isEmpty()) {
        skipKey = marker;
        skipThroughVersion = versionIdMarker;
        cursors.forEach(c -> c.seek(marker, true));
      } else if (afterMarker) {
        // A page that ends on a common prefix continues from it: skip every key that rolls up into it.
        String after = isCommonPrefix(marker, prefix, delimiter) ? KeyOrder.afterPrefix(marker) : null;
        if (after != null) cursors.forEach(c -> c.seek(after, true));
        else cursors.forEach(c -> c.seek(marker, false));
      } else {
        cursors.forEach(c -> c.seek(prefix, true));
      }
    }

    CompletionStage<Void> run() {
      if (maxKeys <= 0) return CompletableFuture.completedFuture(null);
      return step();
    }

    /** Merges until the page is full or the cursors run dry; goes async only to fetch a batch. */
    private CompletionStage<Void> step() {
      while (true) {
        if (cursors.stream().anyMatch(Cursor::needsFetch)) return fillAll().thenCompose(x -> step());
        Cursor min = null;
        for (Cursor c : cursors) {
          if (c.head() != null && (min == null || KeyOrder.compare(c.head().key(), min.head().key()) < 0)) min = c;
        }
        if (min == null || !min.head().key().startsWith(prefix)) return CompletableFuture.completedFuture(null);
        ObjectVersion v = min.head();
        if (skipKey != null && v.key().equals(skipKey)) {
          min.pop();
          previousKey = v.key();
          if (v.versionId().equals(skipThroughVersion)) skipKey = null;
          continue;
        }
        if (!versions && v.deleteMarker()) { // not a current object; a folder of only deleted keys is not listed
          min.pop();
          continue;
        }
        if (entries.size() + prefixes.size() >= maxKeys) {
          truncated = true;
          return CompletableFuture.completedFuture(null);
        }
        int at = delimiter == null ? -1 : v.key().indexOf(delimiter, prefix.length());
        if (at >= 0) {
          String common = v.key().substring(0, at + delimiter.length());
          prefixes.add(common);
          lastKey = common;
          lastVersionId = null;
          String after = KeyOrder.afterPrefix(common);
          if (after == null) return CompletableFuture.completedFuture(null); // no key sorts after it
          for (Cursor c : cursors) c.seek(after, true);
          continue;
        }
        min.pop();
        entries.add(new Entry(v, !v.key().equals(previousKey)));
        previousKey = v.key();
        lastKey = v.key();
        lastVersionId = v.versionId();
      }
    }

    private CompletionStage<Void> fillAll() {
      List<CompletableFuture<Void>> fills = new ArrayList<>();
      for (Cursor c : cursors) {
        if (c.needsFetch()) fills.add(c.fetch().toCompletableFuture());
      }
      return CompletableFuture.allOf(fills.toArray(CompletableFuture[]::new));
    }
  }

  /** A partition's rows in key order, fetched a batch at a time from a position. */
  private final class Cursor {
    private final String bucket;
    private final int part;
    private final int batch;
    private final boolean versions;
    private final ArrayDeque<ObjectVersion> buffer = new ArrayDeque<>();
    private String from;
    private boolean inclusive;
    /** The last row fetched, when the next fetch must resume within its key (versions only). */
    private ObjectVersion after;
    private boolean exhausted;

    Cursor(String bucket, int part, int batch, boolean versions) {
      this.bucket = bucket;
      this.part = part;
      this.batch = batch;
      this.versions = versions;
    }

    /** Moves to the first row with a key at or after (inclusive) or strictly after {@code key}. */
    void seek(String key, boolean incl) {
      while (!buffer.isEmpty()) {
        int cmp = KeyOrder.compare(buffer.peekFirst().key(), key);
        if (cmp > 0 || (cmp == 0 && incl)) return;
        buffer.pollFirst();
      }
      if (exhausted) return; // nothing left after the last fetch, so nothing after a later key either
      if (after != null && KeyOrder.compare(after.key(), key) >= 0 && !(KeyOrder.compare(after.key(), key) == 0 && !incl)) {
        return; // still resuming within a key at or after the target
      }
      from = key;
      inclusive = incl;
      after = null;
    }

    boolean needsFetch() {
      return buffer.isEmpty() && !exhausted;
    }

    CompletionStage<Void> fetch() {
      CompletionStage<List<ObjectVersion>> restOfKey = after == null ? CompletableFuture.completedFuture(List.of())
          : index.listVersionsOfKey(bucket, part, after.key(), after.seq(), batch).thenApply(rows -> rows.stream()
              .filter(r -> r.seq() < after.seq() || r.versionId().compareTo(after.versionId()) > 0).toList());
      return restOfKey.thenCompose(rest -> {
        if (!rest.isEmpty()) return CompletableFuture.completedFuture(accept(rest, false));
        if (after != null) {
          from = after.key();
          inclusive = false;
          after = null;
        }
        CompletionStage<List<ObjectVersion>> rows = versions
            ? index.listVersionsFromKey(bucket, part, from, inclusive, batch)
            : index.listCurrent(bucket, part, from, inclusive, batch);
        return rows.thenApply(r -> accept(r, r.size() < batch));
      });
    }

    private Void accept(List<ObjectVersion> rows, boolean last) {
      buffer.addAll(rows);
      exhausted = last && rows.isEmpty() || (last && !versions);
      if (!rows.isEmpty()) {
        ObjectVersion tail = rows.get(rows.size() - 1);
        if (versions) {
          after = tail;
          exhausted = false;
        } else {
          from = tail.key();
          inclusive = false;
        }
      }
      return null;
    }

    ObjectVersion head() {
      return buffer.peekFirst();
    }

    void pop() {
      buffer.pollFirst();
    }
  }
}
