package dev.meridian.api.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.api.TestCalls;
import dev.meridian.persistence.ObjectMeta;
import dev.meridian.persistence.ObjectVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.junit.jupiter.api.Test;

/** GET and HEAD send the Content-Type a PUT stored, spelled exactly as the client sent it, as S3 does. */
class ObjectHeadersTest {

  private static String rendered(String stored) {
    HttpEntity entity = HttpEntities.create(ObjectHeaders.verbatim(stored), "x".getBytes(StandardCharsets.UTF_8));
    return entity.getContentType().toString();
  }

  @Test
  void storedSpellingsRenderUnchanged() {
    for (String ct : new String[] {"text/plain; charset=utf-8", "text/html;charset=ISO-8859-1", "text/plain",
        "application/json", "Application/XML", "multipart/form-data; boundary=a/b", "application/x-menu; v=\"1; 2\""}) {
      assertEquals(ct, rendered(ct));
    }
  }

  private static boolean sendsChecksum(String rawQuery, String... headers) {
    ObjectMeta meta = new ObjectMeta(null, null, null, null, null, null, Map.of(), ObjectMeta.STANDARD,
        Map.of("CRC32", "iIwxTA=="), Map.of());
    ObjectVersion v = new ObjectVersion("k", "null", 1, false, 19, "etag", 0L, null, meta);
    return ObjectHeaders.responseHeaders(TestCalls.call("GET", "b", "k", rawQuery, headers), v, false).stream()
        .anyMatch(h -> h.name().equals("x-amz-checksum-crc32"));
  }

  @Test
  void theWholeObjectsChecksumGoesOnlyWithTheWholeObject() {
    assertTrue(sendsChecksum("", "x-amz-checksum-mode", "ENABLED"));
    assertFalse(sendsChecksum(""));
    assertFalse(sendsChecksum("", "x-amz-checksum-mode", "ENABLED", "Range", "bytes=6-11"));
    assertFalse(sendsChecksum("partNumber=1", "x-amz-checksum-mode", "ENABLED"));
  }

  @Test
  void aValueWithoutAMediaTypeFallsBackToParsing() {
    assertEquals("application/octet-stream", rendered("nonsense"));
  }
}
