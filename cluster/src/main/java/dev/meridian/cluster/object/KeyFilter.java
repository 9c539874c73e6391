package dev.meridian.cluster.object;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A set of keys that answers "certainly not here" or "maybe": Bloom filters (Guava's), never a false
 * "not here" for a key that was added. It grows as keys come, without knowing their number first: when
 * the newest filter holds as many keys as it was made for, a filter twice its size is added (a scalable
 * Bloom filter), and a key is "maybe" if any filter has it. Each filter's false-positive rate is
 * {@link #FPP}, so the dozen filters of two million keys answer "maybe" wrongly for about 1% of keys.
 *
 * <p>The filters of a node's partitions share one {@link Budget} of memory: when a filter cannot grow
 * within it, it drops its filters and answers "maybe" for every key from then on (costing only the reads
 * it would have saved), so the memory of a node stays bounded whatever the number of keys.
 *
 * <p>Thread-safe: a partition adds its writes' keys while a scan of its index adds the keys it finds.
 */
public final class KeyFilter {

  static final double FPP = 0.001;
  /** Keys the first filter is made for (about 1 KiB); a partition that stays small stays cheap. */
  static final int FIRST = 512;

  /** The memory that the key filters of a node may hold together, in bytes. */
  public static final class Budget {
    private final long total;
    private final AtomicLong free;

    public Budget(long bytes) {
      this.total = bytes;
      this.free = new AtomicLong(bytes);
    }

    boolean enabled() {
      return total > 0;
    }

    private boolean take(long bytes) {
      for (long f = free.get(); f >= bytes; f = free.get()) {
        if (free.compareAndSet(f, f - bytes)) return true;
      }
      return false;
    }

    private void give(long bytes) {
      free.addAndGet(bytes);
    }

    /** Bytes held by filters now. */
    long used() {
      return total - free.get();
    }
  }

  private final Budget budget;
  private final List<BloomFilter<CharSequence>> filters = new ArrayList<>();
  private long held; // bytes taken from the budget
  private long lastCapacity;
  private long inLast;
  private boolean saturated;

  KeyFilter(Budget budget) {
    this.budget = budget;
  }

  synchronized void add(String key) {
    if (saturated || mightContain(key)) return;
    if (filters.isEmpty() || inLast >= lastCapacity) {
      long capacity = filters.isEmpty() ? FIRST : lastCapacity * 2;
      long bytes = bytes(capacity);
      if (!budget.take(bytes)) {
        release();
        return;
      }
      held += bytes;
      lastCapacity = capacity;
      filters.add(BloomFilter.create(Funnels.stringFunnel(StandardCharsets.UTF_8), capacity, FPP));
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

  /** Gives the memory back to the budget; every key is "maybe" from now on. */
  synchronized void release() {
    saturated = true;
    filters.clear();
    budget.give(held);
    held = 0;
  }

  /** How many filters it holds (for tests). */
  synchronized int filters() {
    return filters.size();
  }

  /** The memory of a Guava Bloom filter for {@code capacity} keys at {@link #FPP}: its bits, in 64-bit words. */
  static long bytes(long capacity) {
    long bits = (long) (-capacity * Math.log(FPP) / (Math.log(2) * Math.log(2)));
    return (bits + 63) / 64 * 8 + 64;
  }
}
