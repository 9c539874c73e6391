package dev.meridian.replication;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.meridian.persistence.ObjectVersion;
import java.time.Duration;

/**
 * Versions this node replicated lately, by (source bucket, version id, destination bucket), each added once
 * its COMPLETED progress row was written. The projections come to a version 2-3 s after the fast path
 * delivered it (the events-by-tag delay), and skip a destination found here without reading the progress
 * rows: two Cassandra reads per version with an SRR and a CRR rule. A miss (an entry aged out or evicted,
 * a projection on another node than the fast path) costs that read, as before. Null versions are never
 * added: their id is not unique, and a later null version of a key owes its own replication.
 */
final class Delivered {

  private final Cache<String, Boolean> recent;

  Delivered(int maxEntries, Duration keep) {
    this.recent = Caffeine.newBuilder()
        .maximumSize(maxEntries)
        .expireAfterWrite(keep)
        .executor(Runnable::run) // evict on the caller's thread: no task per entry on a 2-core node
        .build();
  }

  void add(String sourceBucket, String versionId, String destination) {
    if (!ObjectVersion.NULL_VERSION.equals(versionId)) recent.put(key(sourceBucket, versionId, destination), Boolean.TRUE);
  }

  boolean contains(String sourceBucket, String versionId, String destination) {
    return recent.getIfPresent(key(sourceBucket, versionId, destination)) != null;
  }

  /** Bucket names and version ids hold no '/'. */
  private static String key(String sourceBucket, String versionId, String destination) {
    return sourceBucket + '/' + versionId + '/' + destination;
  }
}
