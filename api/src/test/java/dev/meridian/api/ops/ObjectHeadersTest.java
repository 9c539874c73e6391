package dev.meridian.api.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
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

  @Test
  void aValueWithoutAMediaTypeFallsBackToParsing() {
    assertEquals("application/octet-stream", rendered("nonsense"));
  }
}
