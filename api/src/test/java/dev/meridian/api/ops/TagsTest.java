package dev.meridian.api.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.api.xml.S3Xml;
import dev.meridian.api.xml.TaggingXml;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tag sets from the x-amz-tagging header and from Tagging documents, with S3's limits. */
class TagsTest {

  @Test
  void headerIsAUrlEncodedQueryString() {
    assertEquals(Map.of("team", "a b", "k=v", "x&y", "empty", ""),
        Tags.fromHeader("team=a%20b&k%3Dv=x%26y&empty="));
    assertEquals(Map.of(), Tags.fromHeader(null));
    assertEquals(Map.of("solo", ""), Tags.fromHeader("solo"));
  }

  @Test
  void documentIsParsedInOrder() {
    String xml = "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>"
        + "<Tag><Key>b</Key><Value>2</Value></Tag><Tag><Key>a</Key><Value></Value></Tag></TagSet></Tagging>";
    Map<String, String> tags = Tags.fromXml(doc(xml), Tags.MAX_OBJECT_TAGS);
    assertEquals(List.of("b", "a"), List.copyOf(tags.keySet()));
    assertEquals("", tags.get("a"));
    assertEquals(Map.of(), Tags.fromXml(doc("<Tagging><TagSet></TagSet></Tagging>"), Tags.MAX_OBJECT_TAGS));
  }

  @Test
  void limitsAreS3s() {
    assertError(S3Error.InvalidTag, () -> Tags.fromHeader("a=1&a=2"));
    assertError(S3Error.InvalidTag, () -> Tags.fromHeader("aws:reserved=1"));
    assertError(S3Error.InvalidTag, () -> Tags.fromHeader("k".repeat(129) + "=v"));
    assertError(S3Error.InvalidTag, () -> Tags.fromHeader("k=" + "v".repeat(257)));
    StringBuilder eleven = new StringBuilder();
    for (int i = 0; i < 11; i++) eleven.append(i == 0 ? "" : "&").append("k").append(i).append("=v");
    assertError(S3Error.BadRequest, () -> Tags.fromHeader(eleven.toString()));
    assertError(S3Error.MalformedXML, () -> Tags.fromXml(doc("<Tagging></Tagging>"), Tags.MAX_BUCKET_TAGS));
    assertError(S3Error.MalformedXML, () -> Tags.fromXml(doc("<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>"),
        Tags.MAX_BUCKET_TAGS));
  }

  private static TaggingXml.Tagging doc(String xml) {
    return S3Xml.read(xml.getBytes(StandardCharsets.UTF_8), TaggingXml.Tagging.class);
  }

  private static void assertError(S3Error expected, org.junit.jupiter.api.function.Executable call) {
    assertEquals(expected, assertThrows(S3Exception.class, call).error);
  }
}
