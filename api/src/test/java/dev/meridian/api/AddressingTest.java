package dev.meridian.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meridian.api.Addressing.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which bucket and key a request names, from the raw request target as clients send it. */
class AddressingTest {

  private static final List<String> DOMAINS = List.of("s3.localhost");
  private static final String HOST = "127.0.0.1:9000";

  private static Target path(String rawPath) {
    return Addressing.target(rawPath, HOST, DOMAINS);
  }

  @Test
  void pathStyleNamesServiceBucketAndKey() {
    assertEquals(new Target(null, null), path("/"));
    assertEquals(new Target(null, null), path(""));
    assertEquals(new Target("photos", null), path("/photos"));
    assertEquals(new Target("photos", null), path("/photos/"));
    assertEquals(new Target("photos", "2024/cat.jpg"), path("/photos/2024/cat.jpg"));
  }

  @Test
  void keysKeepSlashesDotsAndTrailingSlashesVerbatim() {
    assertEquals(new Target("b", "/x//y/"), path("/b//x//y/"));
    assertEquals(new Target("b", "a/./../c"), path("/b/a/./../c"));
    assertEquals(new Target("b", "dir/"), path("/b/dir/"));
  }

  @Test
  void virtualHostStyleTakesTheBucketFromTheHostWithOrWithoutPort() {
    assertEquals(new Target("photos", "2024/cat.jpg"), Addressing.target("/2024/cat.jpg", "photos.s3.localhost:9000", DOMAINS));
    assertEquals(new Target("photos", "k"), Addressing.target("/k", "photos.s3.localhost", DOMAINS));
    assertEquals(new Target("photos", null), Addressing.target("/", "photos.s3.localhost:9000", DOMAINS));
    assertEquals(new Target("my.dotted.bucket", "k"), Addressing.target("/k", "my.dotted.bucket.s3.localhost:80", DOMAINS));
    assertEquals(new Target("photos", "k"), Addressing.target("/k", "Photos.S3.LocalHost:9000", DOMAINS), "hosts are case-insensitive");
  }

  @Test
  void theBareDomainAndOtherHostsArePathStyle() {
    assertEquals(new Target("b", "k"), Addressing.target("/b/k", "s3.localhost:9000", DOMAINS));
    assertEquals(new Target("b", "k"), Addressing.target("/b/k", "localhost:9000", DOMAINS));
    assertEquals(new Target("b", "k"), Addressing.target("/b/k", "[::1]:9000", DOMAINS));
    assertEquals(new Target("b", "k"), Addressing.target("/b/k", null, DOMAINS));
  }

  @Test
  void percentEncodingInThePathIsDecodedAfterSplittingNothing() {
    // %2F is a slash inside the key: S3 keys have no hierarchy, so it is simply part of the key.
    assertEquals(new Target("b", "a/b"), path("/b/a%2Fb"));
    assertEquals(new Target("b", "with space.txt"), path("/b/with%20space.txt"));
    assertEquals(new Target("b", "100%"), path("/b/100%25"));
    assertEquals(new Target("b", "\u65e5\u672c/\u00fc.txt"), path("/b/%E6%97%A5%E6%9C%AC/%C3%BC.txt"));
    assertEquals(new Target("b", "emoji\uD83D\uDE00"), path("/b/emoji%F0%9F%98%80"));
  }

  @Test
  void plusIsLiteralInThePathAndASpaceInTheQuery() {
    assertEquals(new Target("b", "a+b"), path("/b/a+b"));
    assertEquals(new Target("b", "a+b"), path("/b/a%2Bb"));
    Map<String, List<String>> q = Addressing.query("prefix=a+b&start-after=x%2By");
    assertEquals(List.of("a b"), q.get("prefix"));
    assertEquals(List.of("x+y"), q.get("start-after"));
  }

  @Test
  void queryKeepsOrderRepeatsAndValuelessSubresources() {
    Map<String, List<String>> q = Addressing.query("versioning&list-type=2&prefix=p%2F&x=1&x=2&empty=");
    assertEquals(List.of("versioning", "list-type", "prefix", "x", "empty"), List.copyOf(q.keySet()));
    assertEquals(List.of(""), q.get("versioning"));
    assertEquals(List.of("p/"), q.get("prefix"));
    assertEquals(List.of("1", "2"), q.get("x"));
    assertEquals(List.of(""), q.get("empty"));
    assertEquals(Map.of(), Addressing.query(null));
    assertEquals(Map.of(), Addressing.query(""));
  }

  @Test
  void malformedPercentEscapesAreInvalidUri() {
    for (String bad : List.of("/b/%", "/b/%4", "/b/%zz", "/b/a%G1", "/b/%%41")) {
      S3Exception e = assertThrows(S3Exception.class, () -> path(bad), bad);
      assertEquals(S3Error.InvalidURI, e.error, bad);
      assertEquals(400, e.error.status);
    }
    assertEquals(S3Error.InvalidURI, assertThrows(S3Exception.class, () -> Addressing.query("prefix=%E")).error);
  }

  @Test
  void urlEncodingForListingsKeepsSlashesAndUnreserved() {
    assertEquals("a/b%20c%2B%25%E6%97%A5-_.~", Addressing.urlEncode("a/b c+%\u65e5-_.~"));
  }
}
