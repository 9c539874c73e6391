package dev.meridian.cluster.object;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.meridian.persistence.ObjectVersion;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The current versions of recently read or written keys, one cache per node bounded by bytes (a small
 * object's inline bytes count in full), least recently used out first.
 *
 * <p>Why it is coherent: an entry belongs to one incarnation of one {@link ObjectPartition} entity (its
 * {@link #view() view}), which is the single writer of its keys' index rows and the only code
 * that reads or writes its entries. It updates an entry as it indexes a write, before it acknowledges the
 * write, so a read it answers from here sees every acknowledged write. When the entity stops (passivation,
 * a move to another node, a crash) its entries are never looked up again: the next incarnation, here or
 * elsewhere, starts with a new owner number and an empty view, and the old entries age out.
 */
public final class VersionCache {

  /** Bytes counted for an entry besides its key, inline bytes and metadata strings: the objects around them. */
  static final int ENTRY_OVERHEAD = 400;

  private record Key(long owner, String key) {}

  private final Cache<Key, ObjectVersion> cache;
  private final AtomicLong owners = new AtomicLong();

  /** A cache of at most {@code maxBytes}; 0 turns it off (every read goes to the index). */
  public VersionCache(long maxBytes) {
    this.cache = maxBytes <= 0 ? null : Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((Key k, ObjectVersion v) -> weight(v))
        .executor(Runnable::run) // evict on the caller's thread: no task per write on a 2-core node
        .build();
  }

  public boolean enabled() {
    return cache != null;
  }

  /** The view of a new partition incarnation: its entries are its own. */
  View view() {
    return new View(owners.incrementAndGet());
  }

  /**
   * One partition incarnation's entries, used from that entity only (not thread-safe). Besides hits and
   * writes it tracks the index reads in flight per key: a read that started before a write of its key
   * was indexed may return the older version after the write updated the entry, so its answer is not
   * cached (the next read fills the entry).
   */
  final class View {
    private final long owner;
    /** Keys with index reads in flight, and how many. */
    private final Map<String, Integer> reading = new HashMap<>();
    /** Keys written while a read of them was in flight. */
    private final Set<String> overtaken = new HashSet<>();

    private View(long owner) {
      this.owner = owner;
    }

    /** The key's cached current version, or null (not cached: read the index). */
    ObjectVersion get(String key) {
      return cache == null ? null : cache.getIfPresent(new Key(owner, key));
    }

    /** An index read of the key's current version starts. */
    void reading(String key) {
      reading.merge(key, 1, Integer::sum);
    }

    /** An index read ended with {@code found} (null: no version, or the read failed). */
    void read(String key, ObjectVersion found) {
      boolean stale = overtaken.contains(key);
      if (reading.merge(key, -1, Integer::sum) == 0) {
        reading.remove(key);
        overtaken.remove(key);
      }
      if (found != null && !stale && cache != null) cache.put(new Key(owner, key), found);
    }

    /** A write of the key is indexed; {@code current} is its current version now, or null when not known. */
    void written(String key, ObjectVersion current) {
      if (reading.containsKey(key)) overtaken.add(key);
      if (cache == null) return;
      if (current != null) cache.put(new Key(owner, key), current);
      else cache.invalidate(new Key(owner, key));
    }
  }

  /** Entries held (approximate; for tests and metrics). */
  public long size() {
    return cache == null ? 0 : cache.estimatedSize();
  }

  static int weight(ObjectVersion v) {
    long w = ENTRY_OVERHEAD + 2L * v.key().length();
    if (v.blob() != null && v.blob().data() != null) w += v.blob().data().length;
    if (v.meta() != null) {
      w += strings(v.meta().userMetadata()) + strings(v.meta().tags()) + strings(v.meta().checksums());
    }
    return (int) Math.min(Integer.MAX_VALUE, w);
  }

  private static long strings(Map<String, String> m) {
    long n = 0;
    for (Map.Entry<String, String> e : m.entrySet()) n += 2L * (e.getKey().length() + e.getValue().length()) + 64;
    return n;
  }
}
