package dev.meridian.cluster.object;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** If-Match / If-None-Match against a stored ETag, in the shapes clients send them. */
class EtagMatchTest {

  private static final String ETAG = "900150983cd24fb0d6963f7d28e17f72"; // stored bare, as the index keeps it

  @Test
  void quotedAndBareTagsMatch() {
    assertTrue(EtagMatch.matches("\"" + ETAG + "\"", ETAG));
    assertTrue(EtagMatch.matches(ETAG, ETAG));
    assertTrue(EtagMatch.matches(ETAG, "\"" + ETAG + "\""), "a quoted stored tag matches too");
  }

  @Test
  void aListMatchesWhenAnyMemberDoes() {
    assertTrue(EtagMatch.matches("\"aaa\", \"" + ETAG + "\"", ETAG));
    assertTrue(EtagMatch.matches("\"aaa\",\"" + ETAG + "\"", ETAG));
    assertFalse(EtagMatch.matches("\"aaa\", \"bbb\"", ETAG));
  }

  @Test
  void starMatchesAnyTag() {
    assertTrue(EtagMatch.matches("*", ETAG));
    assertTrue(EtagMatch.matches("\"x\", *", ETAG));
  }

  @Test
  void weakTagsCompareByTheirValue() {
    assertTrue(EtagMatch.matches("W/\"" + ETAG + "\"", ETAG));
  }

  @Test
  void differentOrMissingTagsDoNotMatch() {
    assertFalse(EtagMatch.matches("\"" + ETAG.toUpperCase() + "\"", ETAG), "ETags are case-sensitive");
    assertFalse(EtagMatch.matches("\"" + ETAG.substring(1) + "\"", ETAG));
    assertFalse(EtagMatch.matches(null, ETAG));
    assertFalse(EtagMatch.matches("*", null), "a key with no version has no tag to match");
    assertFalse(EtagMatch.matches("", ETAG));
  }
}
