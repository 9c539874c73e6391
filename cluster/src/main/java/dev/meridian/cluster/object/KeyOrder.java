package dev.meridian.cluster.object;

import java.util.Comparator;

/**
 * S3 lists keys in UTF-8 binary order, which is Unicode code point order, and so is Cassandra's text
 * comparison. Java's {@link String#compareTo} compares UTF-16 units and disagrees for characters above
 * U+FFFF, so merging partitions uses this comparator.
 */
public final class KeyOrder {

  public static final Comparator<String> UTF8 = KeyOrder::compare;

  private KeyOrder() {}

  public static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) return Integer.compare(ca, cb);
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /**
   * The smallest string that sorts after every string starting with {@code prefix}, or null when there
   * is none (the prefix is all U+10FFFF). Surrogate code points are skipped: they cannot be in a key.
   */
  public static String afterPrefix(String prefix) {
    if (prefix.isEmpty()) return null;
    int last = prefix.codePointBefore(prefix.length());
    String head = prefix.substring(0, prefix.length() - Character.charCount(last));
    if (last == Character.MAX_CODE_POINT) return afterPrefix(head);
    int next = last + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : last + 1;
    return head + new String(Character.toChars(next));
  }
}
