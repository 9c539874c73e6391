package dev.meridian.persistence;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * Where an object's bytes live: a blob id in the region's {@code blob_chunks} table, cut into chunks of
 * {@code chunkSize} bytes (the last one shorter). An empty object has a blob of size 0 and no chunks.
 * A multipart object is a manifest instead ({@code parts > 0}): {@code id} names the rows of
 * {@code blob_manifests} that list its part blobs in order.
 *
 * <p>A small object is <em>inline</em> instead ({@code chunkSize} 0, not a manifest): its bytes are
 * {@code data}, carried by the event that adds the version and by the index row, so writing it costs no
 * chunk write and no collector entry, reading it no chunk read, and replicating it no byte stream. The
 * index keeps {@code data} in a column of its own, so that listings do not read it; there {@code data}
 * is null while {@link #isInline()} still tells what the blob is.
 */
public record BlobRef(UUID id, long size, int chunkSize, int parts, byte[] data) {

  public BlobRef(UUID id, long size, int chunkSize) {
    this(id, size, chunkSize, 0, null);
  }

  public BlobRef(UUID id, long size, int chunkSize, int parts) {
    this(id, size, chunkSize, parts, null);
  }

  public static BlobRef manifest(UUID id, long size, int parts) {
    return new BlobRef(id, size, 0, parts, null);
  }

  public static BlobRef inline(byte[] data) {
    return new BlobRef(UUID.randomUUID(), data.length, 0, 0, data);
  }

  @JsonIgnore
  public boolean isManifest() {
    return parts > 0;
  }

  @JsonIgnore
  public boolean isInline() {
    return chunkSize == 0 && parts == 0;
  }

  /** This inline blob with its bytes (read from the index's own column). */
  public BlobRef withData(byte[] bytes) {
    return new BlobRef(id, size, chunkSize, parts, bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlobRef b && id.equals(b.id) && size == b.size && chunkSize == b.chunkSize && parts == b.parts
        && Arrays.equals(data, b.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, size, chunkSize, parts) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "BlobRef[id=" + id + ", size=" + size + ", chunkSize=" + chunkSize + ", parts=" + parts
        + (data != null ? ", data=" + data.length + " bytes" : "") + "]";
  }

  public int chunkCount() {
    return (int) ((size + chunkSize - 1) / chunkSize);
  }
}
