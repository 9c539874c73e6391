package dev.meridian.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link BucketService#partitionOf} decides which partition entity and which index rows hold a key. It must
 * never change for existing buckets (their data would become unreachable), so these are fixed values: if
 * this test fails, the change needs a migration, not a new expected value.
 */
class BucketServicePartitionTest {

  @Test
  void knownKeysStayInTheirPartitions() {
    // CRC32 of the UTF-8 bytes, modulo the bucket's partition count.
    assertEquals(0, BucketService.partitionOf("", 8));
    assertEquals(3, BucketService.partitionOf("a", 8));
    assertEquals(4, BucketService.partitionOf("a", 7));
    assertEquals(0, BucketService.partitionOf("photos/2024/cat.jpg", 8));
    assertEquals(8, BucketService.partitionOf("photos/2024/cat.jpg", 16));
    assertEquals(3, BucketService.partitionOf("\u65e5\u672c\u8a9e.txt", 8));
    assertEquals(11, BucketService.partitionOf("emoji\uD83D\uDE00", 16));
    assertEquals(4, BucketService.partitionOf("key-0", 8));
    assertEquals(2, BucketService.partitionOf("key-1", 8));
    assertEquals(0, BucketService.partitionOf("key-2", 8));
    assertEquals(6, BucketService.partitionOf("key-3", 8));
  }

  @Test
  void everyKeyLandsInRangeAndOnePartitionTakesAll() {
    for (int i = 0; i < 2000; i++) {
      String key = "k/" + i + "/\u00e9" + Integer.toHexString(i * 7919);
      int p = BucketService.partitionOf(key, 8);
      assertTrue(p >= 0 && p < 8, key + " -> " + p);
      assertEquals(0, BucketService.partitionOf(key, 1));
    }
  }

  @Test
  void keysSpreadOverAllPartitions() {
    int[] counts = new int[8];
    for (int i = 0; i < 800; i++) counts[BucketService.partitionOf("object-" + i, 8)]++;
    for (int p = 0; p < 8; p++) assertTrue(counts[p] > 50, "partition " + p + " got " + counts[p] + " of 800");
  }
}
