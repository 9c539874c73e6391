package dev.meridian.cluster.object;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Where a delimited listing resumes: a page that ends on a common prefix returns it as the marker, and the
 * next page must start after every key under it (boto3's paginator otherwise saw {@code b/} on two pages).
 */
class ListingTest {

  @Test
  void aMarkerEndingAtTheFirstDelimiterAfterThePrefixIsACommonPrefix() {
    assertTrue(Listing.isCommonPrefix("b/", "", "/"));
    assertTrue(Listing.isCommonPrefix("photos/2024/", "photos/", "/"));
    assertTrue(Listing.isCommonPrefix("a--", "", "--"));
    assertTrue(Listing.isCommonPrefix("pre/x|", "pre/", "|"));
  }

  @Test
  void keysAndMarkersOutsideThePrefixAreNot() {
    assertFalse(Listing.isCommonPrefix("b/1.txt", "", "/"), "a key under a prefix");
    assertFalse(Listing.isCommonPrefix("b/c/", "", "/"), "rolls up into b/, which is the common prefix");
    assertFalse(Listing.isCommonPrefix("b/", "", null), "no delimiter");
    assertFalse(Listing.isCommonPrefix("b/", "", ""), "empty delimiter");
    assertFalse(Listing.isCommonPrefix("photos/", "photos/", "/"), "the prefix itself is a key of the listing");
    assertFalse(Listing.isCommonPrefix("other/", "photos/", "/"), "outside the prefix");
  }
}
