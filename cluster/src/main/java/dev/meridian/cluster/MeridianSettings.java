package dev.meridian.cluster;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * The {@code meridian} configuration block, read once at start-up. Each key is documented in this
 * module's {@code reference.conf}.
 */
public record MeridianSettings(
    String region,
    List<String> regions,
    String accountId,
    String regionKeyspace,
    String globalKeyspace,
    String regionReplication,
    String globalReplication,
    boolean schemaAutocreate,
    int chunkSize,
    int inlineMaxSize,
    long versionCacheSize,
    long keyFilterSize,
    long chunkCacheSize,
    int writeParallelism,
    int partitionsPerBucket,
    int tagSlices,
    Duration gcInterval,
    Duration uploadGrace,
    Duration abandonedUploadExpiry,
    Duration deleteGrace,
    Duration askTimeout,
    Duration streamTimeout) {

  public static MeridianSettings from(Config root) {
    Config c = root.getConfig("meridian");
    String region = c.getString("region");
    return new MeridianSettings(
        region,
        c.getStringList("regions"),
        c.getString("account-id"),
        regionKeyspace(c.getString("storage.keyspace-prefix"), region),
        c.getString("storage.global-keyspace"),
        c.getString("storage.region-replication"),
        c.getString("storage.global-replication"),
        c.getBoolean("storage.schema-autocreate"),
        (int) c.getBytes("storage.chunk-size").longValue(),
        (int) c.getBytes("storage.inline-max-size").longValue(),
        c.getBytes("storage.version-cache-size"),
        c.getBytes("storage.key-filter-size"),
        c.getBytes("storage.chunk-cache-size"),
        c.getInt("storage.write-parallelism"),
        c.getInt("storage.partitions-per-bucket"),
        c.getInt("storage.tag-slices"),
        c.getDuration("storage.gc-interval"),
        c.getDuration("storage.upload-grace"),
        c.getDuration("storage.abandoned-upload-expiry"),
        c.getDuration("storage.delete-grace"),
        c.getDuration("ask-timeout"),
        c.getDuration("stream-timeout"));
  }

  /** A region's keyspace: the prefix and the region name with dashes as underscores. */
  public static String regionKeyspace(String prefix, String region) {
    return prefix + "_" + region.replace('-', '_');
  }
}
