package dev.meridian.bench;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Watches a destination bucket for the keys an open-loop writer acknowledged and records, per key, the
 * time from the PUT's acknowledgement to the key being listed in the destination. Keys are
 * {@code prefix + zero-padded sequence}, so one ListObjectsV2 from the lowest key not yet seen returns the
 * new arrivals; replicas may arrive out of order (one stream per tag slice), which the seen-set absorbs.
 * The resolution is the poll interval plus a LIST's latency: lags are upper bounds by that much.
 */
final class LagWatcher {

  /**
   * Keys per LIST: small pages, because the watcher's listings load the server it measures (Meridian reads
   * about a page of index rows from every partition of the bucket per LIST).
   */
  static final int PAGE = 200;

  private final S3AsyncClient s3;
  private final String bucket;
  private final String prefix;
  private final Map<Long, Long> acks;
  private final Set<Long> failed;
  private final BitSet seen = new BitSet();
  private final Map<Long, Long> seenAt = new ConcurrentHashMap<>();
  private final List<Double> lagsMs = new ArrayList<>();
  private long low;
  private long seenBeforeAck;
  private long listErrors;

  LagWatcher(S3AsyncClient s3, String bucket, String prefix, Map<Long, Long> acks, Set<Long> failed) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
    this.acks = acks;
    this.failed = failed;
  }

  static String key(String prefix, long seq) {
    return prefix + String.format("%09d", seq);
  }

  /** One poll: lists from the lowest unseen key and records what is new; returns how many keys were new. */
  synchronized int poll() {
    int fresh = 0;
    advance();
    String after = low == 0 ? null : key(prefix, low - 1);
    for (int page = 0; page < 100; page++) {
      ListObjectsV2Response r;
      try {
        String a = after;
        r = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(PAGE).startAfter(a)).join();
      } catch (RuntimeException e) {
        listErrors++;
        return fresh;
      }
      long now = System.nanoTime();
      for (S3Object o : r.contents()) {
        long seq;
        try {
          seq = Long.parseLong(o.key().substring(prefix.length()));
        } catch (RuntimeException e) {
          continue;
        }
        if (seen.get((int) seq)) continue;
        seen.set((int) seq);
        fresh++;
        seenAt.put(seq, now);
        Long ack = acks.get(seq);
        if (ack == null) {
          // Not (yet) acknowledged: a PUT still in flight or one that failed on the client's side (a
          // timeout) after the server stored it. No lag can be measured; counted apart.
          seenBeforeAck++;
        } else {
          lagsMs.add(Math.max(0, now - ack) / 1e6);
        }
      }
      if (!Boolean.TRUE.equals(r.isTruncated()) || r.contents().isEmpty()) break;
      after = r.contents().get(r.contents().size() - 1).key();
    }
    advance();
    return fresh;
  }

  private void advance() {
    while (seen.get((int) low) || failed.contains(low)) low++;
  }

  /** Acknowledged keys with a sequence number below {@code bound} not seen yet. */
  synchronized long unseenBelow(long bound, LongPredicate acked) {
    long n = 0;
    for (long s = low; s < bound; s++) if (!seen.get((int) s) && acked.test(s)) n++;
    return n;
  }

  synchronized long seenCount() {
    return seen.cardinality();
  }

  /** When a key was first seen (System.nanoTime), or null. */
  Long seenAt(long seq) {
    return seenAt.get(seq);
  }

  synchronized List<Double> lags() {
    return new ArrayList<>(lagsMs);
  }

  synchronized long seenBeforeAck() {
    return seenBeforeAck;
  }

  synchronized long listErrors() {
    return listErrors;
  }
}
