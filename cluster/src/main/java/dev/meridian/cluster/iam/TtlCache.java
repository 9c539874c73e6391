package dev.meridian.cluster.iam;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A small asynchronous cache whose entries expire after a fixed time: concurrent readers of one key share
 * one load, a failed load is not kept, and {@code fresh} reads bypass and refresh the entry. Bounded
 * crudely: past {@code maxEntries} it starts over (IAM has few entities; this only stops unbounded growth).
 */
final class TtlCache<K, V> {

  private record Entry<V>(CompletableFuture<V> value, long expiresNanos) {}

  private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
  private final long ttlNanos;
  private final int maxEntries;

  TtlCache(Duration ttl, int maxEntries) {
    this.ttlNanos = ttl.toNanos();
    this.maxEntries = maxEntries;
  }

  CompletionStage<V> get(K key, boolean fresh, Function<K, CompletionStage<V>> load) {
    long now = System.nanoTime();
    Entry<V> e = entries.get(key);
    if (!fresh && e != null && now - e.expiresNanos() < 0) return e.value();
    if (entries.size() >= maxEntries) entries.clear();
    CompletableFuture<V> loading = load.apply(key).toCompletableFuture();
    Entry<V> mine = new Entry<>(loading, now + ttlNanos);
    if (ttlNanos > 0) entries.put(key, mine);
    loading.whenComplete((v, err) -> {
      if (err != null) entries.remove(key, mine);
    });
    return loading;
  }

  void forget(K key) {
    entries.remove(key);
  }
}
