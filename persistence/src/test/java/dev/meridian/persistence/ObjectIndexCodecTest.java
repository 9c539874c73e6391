package dev.meridian.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ObjectIndexCodecTest {

  private static ObjectVersion version(BlobRef blob) {
    return new ObjectVersion("k", "null", 7, false, blob.size(), "etag", 1L, blob, ObjectMeta.empty());
  }

  @Test
  void inlineBytesStayOutOfTheInfoColumnButTheRowStillSaysInline() {
    byte[] bytes = "hello inline".getBytes(StandardCharsets.UTF_8);
    String info = ObjectIndex.encode(version(BlobRef.inline(bytes)));
    assertFalse(info.contains("\"data\""), info);

    // What a listing decodes (info only): an inline blob without its bytes, never mistaken for chunks.
    BlobRef listed = ObjectIndex.decode(info).blob();
    assertTrue(listed.isInline());
    assertNull(listed.data());
    assertEquals(bytes.length, listed.size());
  }

  @Test
  void chunkedAndManifestBlobsAreNotInline() {
    BlobRef chunked = ObjectIndex.decode(ObjectIndex.encode(version(new BlobRef(UUID.randomUUID(), 0, 524_288)))).blob();
    assertFalse(chunked.isInline());
    assertFalse(BlobRef.manifest(UUID.randomUUID(), 10, 2).isInline());
  }
}
