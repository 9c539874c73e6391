package dev.meridian.api.ops;

import static dev.meridian.api.TestCalls.call;
import static dev.meridian.api.TestCalls.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.persistence.ObjectMeta;
import dev.meridian.persistence.ObjectVersion;
import java.time.Instant;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Conditional GET/HEAD as AWS documents it: If-Match / If-Unmodified-Since fail with 412, If-None-Match /
 * If-Modified-Since answer 304, a true If-Match beats a false If-Unmodified-Since and a present If-None-Match
 * decides over If-Modified-Since. Dates have second precision.
 */
class ConditionsTest {

  private static final String ETAG = "900150983cd24fb0d6963f7d28e17f72";
  private static final String QUOTED = "\"" + ETAG + "\"";
  private static final ObjectVersion V = new ObjectVersion("k", "null", 1, false, 3, ETAG,
      Instant.parse("2026-11-27T12:00:00.500Z").toEpochMilli(), null, ObjectMeta.empty());
  private static final String BEFORE = "Fri, 27 Nov 2026 11:00:00 GMT";
  private static final String SAME_SECOND = "Fri, 27 Nov 2026 12:00:00 GMT";
  private static final String AFTER = "Fri, 27 Nov 2026 13:00:00 GMT";

  private static HttpResponse check(String... headers) {
    return Conditions.check(call("GET", "b", "k", null, headers), V);
  }

  private static void assertPreconditionFailed(String condition, String... headers) {
    S3Exception e = assertThrows(S3Exception.class, () -> check(headers));
    assertEquals(S3Error.PreconditionFailed, e.error);
    assertEquals(412, e.error.status);
    assertEquals(condition, e.extra.get("Condition"));
  }

  private static void assertNotModified(String... headers) {
    HttpResponse r = check(headers);
    assertEquals(304, r == null ? 200 : r.status().intValue(), "expected 304 Not Modified");
    assertEquals(QUOTED, header(r, "ETag"));
    assertEquals("Fri, 27 Nov 2026 12:00:00 GMT", header(r, "Last-Modified"));
  }

  @Test
  void noConditionsReadTheObject() {
    assertNull(check());
  }

  @Test
  void ifMatch() {
    assertNull(check("If-Match", QUOTED));
    assertNull(check("If-Match", "*"));
    assertNull(check("If-Match", "\"other\", " + QUOTED));
    assertPreconditionFailed("If-Match", "If-Match", "\"other\"");
  }

  @Test
  void ifNoneMatch() {
    assertNotModified("If-None-Match", QUOTED);
    assertNotModified("If-None-Match", "*");
    assertNull(check("If-None-Match", "\"other\""));
  }

  @Test
  void ifModifiedSinceHasSecondPrecision() {
    assertNull(check("If-Modified-Since", BEFORE));
    assertNotModified("If-Modified-Since", SAME_SECOND);
    assertNotModified("If-Modified-Since", AFTER);
  }

  @Test
  void ifUnmodifiedSinceHasSecondPrecision() {
    assertPreconditionFailed("If-Unmodified-Since", "If-Unmodified-Since", BEFORE);
    assertNull(check("If-Unmodified-Since", SAME_SECOND));
    assertNull(check("If-Unmodified-Since", AFTER));
  }

  @Test
  void aTrueIfMatchOverridesAFalseIfUnmodifiedSince() {
    assertNull(check("If-Match", QUOTED, "If-Unmodified-Since", BEFORE));
  }

  @Test
  void aFalseIfNoneMatchAnswers304EvenIfModifiedSince() {
    assertNotModified("If-None-Match", QUOTED, "If-Modified-Since", BEFORE);
  }

  @Test
  void aTrueIfNoneMatchReadsEvenIfNotModifiedSince() {
    assertNull(check("If-None-Match", "\"other\"", "If-Modified-Since", AFTER));
  }

  @Test
  void aFailedIfMatchWinsOverNotModified() {
    assertPreconditionFailed("If-Match", "If-Match", "\"other\"", "If-None-Match", QUOTED);
  }

  @Test
  void unparseableDatesAreIgnored() {
    assertNull(check("If-Modified-Since", "yesterday"));
    assertNull(check("If-Unmodified-Since", "not a date"));
  }

  @Test
  void isoDatesAreAcceptedToo() {
    assertNotModified("If-Modified-Since", "2026-11-27T12:30:00Z");
  }
}
