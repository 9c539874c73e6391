package dev.meridian.chaos.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bodies are unique per request and reproducible; ETags are computed as S3 computes them. */
class BodiesTest {

  @Test
  void bodiesAreReproducibleAndUniquePerRequest() {
    assertArrayEquals(Bodies.body(1, 7, "b", "k", 100), Bodies.body(1, 7, "b", "k", 100));
    assertNotEquals(Bodies.sha256(Bodies.body(1, 7, "b", "k", 100)), Bodies.sha256(Bodies.body(1, 8, "b", "k", 100)));
    assertNotEquals(Bodies.etag(Bodies.body(1, 7, "b", "k", 1)), Bodies.etag(Bodies.body(1, 8, "b", "k", 1)));
  }

  @Test
  void etagsAreS3s() {
    assertEquals("d41d8cd98f00b204e9800998ecf8427e", Bodies.etag(new byte[0]));
    // MD5 of the concatenated binary MD5s of "a" and "b", then the part count.
    assertEquals("5f3ef4d5ba0e8b9a6e2a1b19e1d5e0d7-2".length(), Bodies.multipartEtag(List.of("a".getBytes(), "b".getBytes())).length());
    assertEquals(Bodies.etag(concat(md5("a"), md5("b"))) + "-2", Bodies.multipartEtag(List.of("a".getBytes(), "b".getBytes())));
    assertEquals("abc", Bodies.unquote("\"abc\""));
  }

  private static byte[] md5(String s) {
    return java.util.HexFormat.of().parseHex(Bodies.etag(s.getBytes()));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
