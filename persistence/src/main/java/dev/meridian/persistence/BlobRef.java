package dev.meridian.persistence;

import java.util.UUID;

/**
 * Where an object's bytes live: a blob id in the region's {@code blob_chunks} table, cut into chunks of
 * {@code chunkSize} bytes (the last one shorter). An empty object has a blob of size 0 and no chunks.
 */
public record BlobRef(UUID id, long size, int chunkSize) {

  public int chunkCount() {
    return (int) ((size + chunkSize - 1) / chunkSize);
  }
}
