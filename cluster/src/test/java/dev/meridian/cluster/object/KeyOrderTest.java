package dev.meridian.cluster.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * S3 lists keys in UTF-8 byte order. These tests pin {@link KeyOrder} to that order, especially where Java's
 * UTF-16 {@code compareTo} disagrees (characters above U+FFFF against U+E000..U+FFFF).
 */
class KeyOrderTest {

  private static final String EMOJI = "\uD83D\uDE00"; // U+1F600, a surrogate pair in UTF-16
  private static final String HALFWIDTH = "\uFF61"; // U+FF61, one UTF-16 unit above the surrogates
  private static final String PRIVATE_USE = "\uE000"; // U+E000, the first code point after the surrogates

  /** The order S3 and Cassandra use: unsigned lexicographic comparison of the UTF-8 bytes. */
  private static int utf8Bytes(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void supplementaryCharactersSortAfterTheTopOfTheBasicPlane() {
    assertTrue(KeyOrder.compare(EMOJI, HALFWIDTH) > 0, "U+1F600 after U+FF61");
    assertTrue(KeyOrder.compare(EMOJI, PRIVATE_USE) > 0, "U+1F600 after U+E000");
    assertTrue(KeyOrder.compare("a/" + HALFWIDTH, "a/" + EMOJI) < 0);
    // Java's own order is the opposite, which is why KeyOrder exists.
    assertTrue(EMOJI.compareTo(HALFWIDTH) < 0);
  }

  @Test
  void sortingAgreesWithUtf8ByteOrder() {
    List<String> keys = new ArrayList<>(List.of("", "a", "a/", "a/b", "ab", "a b", "A", "Z", "~", "\u007f", "\u00e9",
        "\u00e9t\u00e9", "\u65e5\u672c", PRIVATE_USE, HALFWIDTH, "\uFFFF", EMOJI, EMOJI + "a", "\uD800\uDC00",
        "\uDBFF\uDFFF", "x" + EMOJI, "x" + HALFWIDTH, "x" + PRIVATE_USE + "y"));
    List<String> expected = new ArrayList<>(keys);
    expected.sort(KeyOrderTest::utf8Bytes);
    keys.sort(KeyOrder.UTF8);
    assertEquals(expected, keys);
  }

  @Test
  void aPrefixSortsBeforeItsExtensionsAndEqualKeysCompareEqual() {
    assertTrue(KeyOrder.compare("photos", "photos/2024") < 0);
    assertTrue(KeyOrder.compare("photos/2024", "photos") > 0);
    assertEquals(0, KeyOrder.compare("x" + EMOJI, "x" + EMOJI));
    assertEquals(0, KeyOrder.compare("", ""));
  }

  @Test
  void afterPrefixIsTheNextStringPastEveryKeyWithThePrefix() {
    assertEquals("a0", KeyOrder.afterPrefix("a/"), "'/' + 1 is '0'");
    assertEquals("photos/2025", KeyOrder.afterPrefix("photos/2024"));
    assertEquals("x\uD83D\uDE01", KeyOrder.afterPrefix("x" + EMOJI), "steps the whole code point, not a surrogate");
    assertEquals("\uD800\uDC00", KeyOrder.afterPrefix("\uFFFF"), "U+FFFF is followed by U+10000");
  }

  @Test
  void afterPrefixBoundsEveryKeyThatStartsWithThePrefix() {
    for (String prefix : List.of("a/", "dir" + EMOJI, "z" + HALFWIDTH, "\uFFFF", "%/")) {
      String after = KeyOrder.afterPrefix(prefix);
      for (String suffix : List.of("", "a", "\uFFFF", EMOJI, "\uDBFF\uDFFF\uDBFF\uDFFF")) {
        String key = prefix + suffix;
        assertTrue(utf8Bytes(key, after) < 0, () -> key + " must sort before " + after);
        assertTrue(KeyOrder.compare(key, after) < 0, () -> key + " must compare before " + after);
      }
      assertTrue(KeyOrder.compare(prefix, after) < 0);
    }
  }

  /**
   * The code point after U+D7FF is U+E000: U+D800..U+DFFF are surrogates, not characters. A lone surrogate
   * cannot be encoded as UTF-8 (Java writes '?'), so a seek to it in Cassandra lands before the prefix.
   */
  @Test
  void afterPrefixSkipsTheSurrogateRange() {
    String after = KeyOrder.afterPrefix("k\uD7FF");
    assertEquals(List.of((int) 'k', 0xE000), after.codePoints().boxed().toList(), "code points of the bound");
    assertEquals(after, new String(after.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8),
        "the bound survives a UTF-8 round trip (it is what the index query sends)");
  }

  /** The last code point has no successor: the bound is the next string at the previous position. */
  @Test
  void afterPrefixEndingInTheLastCodePointCarries() {
    assertEquals("l", KeyOrder.afterPrefix("k\uDBFF\uDFFF"));
  }
}
