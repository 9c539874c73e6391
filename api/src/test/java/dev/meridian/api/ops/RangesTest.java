package dev.meridian.api.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.api.ops.Ranges.Range;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GetObject's Range header: which bytes a client gets back, and when it gets 416 instead. */
class RangesTest {

  private static final long SIZE = 100;

  @Test
  void closedRangesAreInclusiveAndClippedToTheObject() {
    assertEquals(new Range(0, 9), Ranges.parse("bytes=0-9", SIZE));
    assertEquals(new Range(10, 10), Ranges.parse("bytes=10-10", SIZE));
    assertEquals(new Range(50, 99), Ranges.parse("bytes=50-1000", SIZE));
    assertEquals(new Range(99, 99), Ranges.parse("bytes=99-99", SIZE));
    assertEquals(new Range(0, 9), Ranges.parse(" bytes=0-9 ", SIZE));
  }

  @Test
  void openRangesRunToTheEnd() {
    assertEquals(new Range(90, 99), Ranges.parse("bytes=90-", SIZE));
    assertEquals(new Range(0, 99), Ranges.parse("bytes=0-", SIZE));
  }

  @Test
  void suffixRangesAreTheLastNBytes() {
    assertEquals(new Range(90, 99), Ranges.parse("bytes=-10", SIZE));
    assertEquals(new Range(0, 99), Ranges.parse("bytes=-100", SIZE));
    assertEquals(new Range(0, 99), Ranges.parse("bytes=-1000", SIZE), "a suffix longer than the object is all of it");
  }

  @Test
  void rangesStartingPastTheEndAre416WithTheObjectSize() {
    for (String h : List.of("bytes=100-200", "bytes=5000-5001", "bytes=-0")) {
      S3Exception e = assertThrows(S3Exception.class, () -> Ranges.parse(h, SIZE), h);
      assertEquals(S3Error.InvalidRange, e.error, h);
      assertEquals(416, e.error.status);
      assertEquals("bytes */100", e.headers.get("Content-Range"), h);
      assertEquals("100", e.extra.get("ActualObjectSize"));
    }
  }

  /** A resumed download of a complete file asks for {@code bytes=<size>-}: S3 answers 416, not the whole object. */
  @Test
  void openRangesStartingAtTheEndAre416() {
    for (String h : List.of("bytes=100-", "bytes=150-")) {
      S3Exception e = assertThrows(S3Exception.class, () -> Ranges.parse(h, SIZE), h);
      assertEquals("bytes */100", e.headers.get("Content-Range"), h);
    }
    S3Exception empty = assertThrows(S3Exception.class, () -> Ranges.parse("bytes=0-", 0));
    assertEquals("bytes */0", empty.headers.get("Content-Range"));
  }

  @Test
  void anyClosedOrSuffixRangeOfAnEmptyObjectIs416() {
    for (String h : List.of("bytes=0-0", "bytes=0-10", "bytes=-1")) {
      S3Exception e = assertThrows(S3Exception.class, () -> Ranges.parse(h, 0), h);
      assertEquals("bytes */0", e.headers.get("Content-Range"), h);
    }
  }

  @Test
  void headersS3IgnoresGetTheWholeObject() {
    assertNull(Ranges.parse(null, SIZE));
    assertNull(Ranges.parse("bytes=0-1,5-6", SIZE), "multiple ranges");
    assertNull(Ranges.parse("bytes=9-5", SIZE), "last before first");
    assertNull(Ranges.parse("items=0-9", SIZE), "other unit");
    assertNull(Ranges.parse("bytes=a-b", SIZE));
    assertNull(Ranges.parse("bytes=5", SIZE));
    assertNull(Ranges.parse("bytes=-", SIZE));
  }
}
