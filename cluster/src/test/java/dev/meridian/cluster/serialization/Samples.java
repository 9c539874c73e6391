package dev.meridian.cluster.serialization;

import dev.meridian.cluster.bucket.BucketInfo;
import dev.meridian.cluster.bucket.CorsRule;
import dev.meridian.cluster.bucket.ReplicationConfig;
import dev.meridian.cluster.bucket.Versioning;
import dev.meridian.persistence.BlobRef;
import dev.meridian.persistence.ObjectMeta;
import dev.meridian.persistence.ObjectVersion;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Realistic values for serialization round trips: every field set, odd characters included. */
final class Samples {

  private Samples() {}

  static final BucketInfo BUCKET = new BucketInfo("photos-\u00e9t\u00e9", "us-west-2", "000000000000",
      1_764_230_400_123L, UUID.fromString("0b7f4c6e-8d1a-4c3e-9f2b-5a6d7e8f9a0b"), Versioning.ENABLED, 8,
      new ReplicationConfig("arn:aws:iam::000000000000:role/replication", List.of(new ReplicationConfig.Rule("r1", 1,
          true, true, "logs/", Map.of("team", "a"), false, null, null, null,
          new ReplicationConfig.Destination("photos-copy", null, "STANDARD", null, 15, 15)))),
      Map.of("team", "a", "cost-center", "42"), "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
      List.of(new CorsRule("r1", List.of("https://*.example.com"), List.of("GET", "PUT"), List.of("*"),
          List.of("ETag"), 3000)));

  static final ObjectMeta META = new ObjectMeta("image/jpeg", "gzip", "attachment; filename=\"cat.jpg\"", "en",
      "max-age=60", "Thu, 01 Dec 2026 16:00:00 GMT", Map.of("color", "blue", "\u00fcmlaut", "\u65e5\u672c"),
      "STANDARD", Map.of("CRC32", "yZRlqg=="), Map.of("team", "a b+c"));

  static final BlobRef BLOB = new BlobRef(UUID.fromString("11111111-2222-4333-8444-555555555555"), 1_048_577, 524_288);

  static final ObjectVersion VERSION = new ObjectVersion("photos/2024/cat \uD83D\uDE00.jpg",
      "000644c1f2a3b4c5AbCdEfGhIjKlMnOp", 0x000644c1f2a3b4c5L, false, 1_048_577,
      "0123456789abcdef0123456789abcdef", 1_764_230_400_456L, BLOB, META);

  static final ObjectVersion NULL_VERSION = new ObjectVersion("photos/2024/cat \uD83D\uDE00.jpg",
      ObjectVersion.NULL_VERSION, 0x000644c1f2a3b4c0L, false, 0, "d41d8cd98f00b204e9800998ecf8427e",
      1_764_230_400_000L, new BlobRef(UUID.fromString("21111111-2222-4333-8444-555555555555"), 0, 524_288),
      ObjectMeta.empty());

  /** A small object whose bytes travel with the version (an inline blob). */
  static final ObjectVersion INLINE_VERSION = new ObjectVersion("notes/todo.txt", "000644c1f2a3b4c7AbCdEfGhIjKlMnOp",
      0x000644c1f2a3b4c7L, false, 5, "5d41402abc4b2a76b9719d911017c592", 1_764_230_402_000L,
      new BlobRef(UUID.fromString("31111111-2222-4333-8444-555555555555"), 5, 0, 0, "hello".getBytes()), META);

  static final ObjectVersion DELETE_MARKER = new ObjectVersion("photos/2024/cat \uD83D\uDE00.jpg",
      "000644c1f2a3b4c6QrStUvWxYz012345", 0x000644c1f2a3b4c6L, true, 0, null, 1_764_230_401_000L, null, null);
}
