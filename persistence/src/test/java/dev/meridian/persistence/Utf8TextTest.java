package dev.meridian.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import org.junit.jupiter.api.Test;

/** The index's text codec writes the very bytes the driver's would, so rows read back the same. */
class Utf8TextTest {

  private static final ProtocolVersion V4 = ProtocolVersion.V4;

  @Test
  void encodesAsTheDriversTextCodecDoes() {
    for (String s : new String[] {"", "plain/key.txt", "ключ/鍵/🔑 with spaces", "{\"etag\":\"abc\",\"size\":4096}"}) {
      assertEquals(TypeCodecs.TEXT.encode(s, V4), Utf8Text.CODEC.encode(s, V4), s);
      assertEquals(s, TypeCodecs.TEXT.decode(Utf8Text.CODEC.encode(s, V4), V4));
    }
    assertNull(Utf8Text.CODEC.encode(null, V4));
  }
}
