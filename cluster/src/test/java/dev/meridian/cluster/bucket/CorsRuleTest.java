package dev.meridian.cluster.bucket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which browser requests a bucket's CORS rules allow, as S3 evaluates them. */
class CorsRuleTest {

  private static final CorsRule SITE = new CorsRule("site", List.of("https://*.example.com"), List.of("GET", "PUT"),
      List.of("x-amz-*", "Content-Type"), List.of("ETag"), 600);
  private static final CorsRule ANYONE_READS = new CorsRule("public", List.of("*"), List.of("GET", "HEAD"), List.of(),
      List.of(), null);

  @Test
  void originsMatchLiterallyOrAroundOneWildcard() {
    assertTrue(SITE.allows("https://app.example.com", "GET", List.of()));
    assertTrue(SITE.allows("https://a.b.example.com", "PUT", List.of()));
    assertFalse(SITE.allows("http://app.example.com", "GET", List.of()), "scheme is part of the origin");
    assertFalse(SITE.allows("https://example.com.evil.org", "GET", List.of()));
    assertFalse(SITE.allows(null, "GET", List.of()));
  }

  @Test
  void methodsMustBeListed() {
    assertFalse(SITE.allows("https://app.example.com", "DELETE", List.of()));
    assertTrue(ANYONE_READS.allows("http://anything", "HEAD", List.of()));
  }

  @Test
  void everyRequestedHeaderMustMatchAnAllowedOneIgnoringCase() {
    assertTrue(SITE.allows("https://app.example.com", "PUT", List.of("x-amz-meta-color", "content-type")));
    assertTrue(SITE.allows("https://app.example.com", "PUT", List.of("X-Amz-Date")));
    assertFalse(SITE.allows("https://app.example.com", "PUT", List.of("x-amz-date", "authorization")));
    assertFalse(ANYONE_READS.allows("http://x", "GET", List.of("range")), "no AllowedHeader: no header may be asked for");
  }

  @Test
  void theFirstMatchingRuleWins() {
    List<CorsRule> rules = List.of(SITE, ANYONE_READS);
    assertEquals(SITE, CorsRule.firstMatch(rules, "https://app.example.com", "GET", List.of()));
    assertEquals(ANYONE_READS, CorsRule.firstMatch(rules, "https://other.org", "GET", List.of()));
    assertNull(CorsRule.firstMatch(rules, "https://other.org", "PUT", List.of()));
    assertTrue(ANYONE_READS.anyOrigin());
    assertFalse(SITE.anyOrigin());
  }
}
