package dev.meridian.persistence;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.UUID;

/**
 * Where an object's bytes live: a blob id in the region's {@code blob_chunks} table, cut into chunks of
 * {@code chunkSize} bytes (the last one shorter). An empty object has a blob of size 0 and no chunks.
 * A multipart object is a manifest instead ({@code parts > 0}): {@code id} names the rows of
 * {@code blob_manifests} that list its part blobs in order.
 */
public record BlobRef(UUID id, long size, int chunkSize, int parts) {

  public BlobRef(UUID id, long size, int chunkSize) {
    this(id, size, chunkSize, 0);
  }

  public static BlobRef manifest(UUID id, long size, int parts) {
    return new BlobRef(id, size, 0, parts);
  }

  @JsonIgnore
  public boolean isManifest() {
    return parts > 0;
  }

  public int chunkCount() {
    return (int) ((size + chunkSize - 1) / chunkSize);
  }
}
