package dev.meridian.cluster.object;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of keys that answers "certainly not here" or "maybe": Bloom filters (Guava's), never a false
 * "not here" for a key that was added. It grows as keys come, without knowing their number first: when
 * the newest filter holds as many keys as it was made for, a filter twice its size is added (a scalable
 * Bloom filter), and a key is "maybe" if any filter has it. Each filter's false-positive rate is
 * {@link #FPP}, so the twelve of two million keys answer "maybe" wrongly for about 1% of keys.
 * Past {@link #MAX_KEYS} it gives up and answers "maybe" for every key, holding no memory.
 *
 * <p>Thread-safe: a partition adds its writes' keys while a scan of its index adds the keys it finds.
 */
final class KeyFilter {

  static final double FPP = 0.001;
  /** Keys the first filter is made for (about 1 KiB); a partition that stays small stays cheap. */
  static final int FIRST = 512;
  /** Keys held at most (about 4 MiB of filters); after that every key is "maybe". */
  static final long MAX_KEYS = 2L << 20;

  private final long maxKeys;
  private final List<BloomFilter<CharSequence>> filters = new ArrayList<>();
  private long capacity; // of all the filters
  private long lastCapacity;
  private long inLast;
  private boolean saturated;

  KeyFilter() {
    this(MAX_KEYS);
  }

  KeyFilter(long maxKeys) {
    this.maxKeys = maxKeys;
  }

  synchronized void add(String key) {
    if (saturated || mightContain(key)) return;
    if (filters.isEmpty() || inLast >= lastCapacity) {
      lastCapacity = filters.isEmpty() ? FIRST : lastCapacity * 2;
      capacity += lastCapacity;
      if (capacity > maxKeys) {
        saturated = true;
        filters.clear();
        return;
      }
      filters.add(BloomFilter.create(Funnels.stringFunnel(StandardCharsets.UTF_8), lastCapacity, FPP));
      inLast = 0;
    }
    filters.get(filters.size() - 1).put(key);
    inLast++;
  }

  /** False only when {@code key} was certainly never added. */
  synchronized boolean mightContain(String key) {
    if (saturated) return true;
    for (BloomFilter<CharSequence> f : filters) {
      if (f.mightContain(key)) return true;
    }
    return false;
  }

  /** How many filters it holds (for tests). */
  synchronized int filters() {
    return filters.size();
  }
}
