package dev.meridian.persistence;

import java.security.SecureRandom;
import java.util.OptionalLong;

/**
 * Version ids: the version's order key ({@code seq}, 16 hex digits) followed by 16 random characters.
 * The id is made once at the source and kept by every replica; carrying {@code seq} lets a GET by
 * version id find the row directly and lets any replica order versions without a lookup.
 */
public final class VersionIds {

  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private VersionIds() {}

  public static String newVersionId(long seq) {
    StringBuilder sb = new StringBuilder(32).append(String.format("%016x", seq));
    for (int i = 0; i < 16; i++) sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    return sb.toString();
  }

  /** The order key inside a version id made by {@link #newVersionId}; empty for malformed ids. */
  public static OptionalLong seqOf(String versionId) {
    if (versionId == null || versionId.length() != 32) return OptionalLong.empty();
    for (int i = 0; i < 32; i++) {
      char c = versionId.charAt(i);
      boolean ok = i < 16 ? (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
          : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!ok) return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseUnsignedLong(versionId.substring(0, 16), 16));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Whether a client-supplied version id is syntactically one of ours (or the null version). */
  public static boolean isWellFormed(String versionId) {
    return ObjectVersion.NULL_VERSION.equals(versionId) || seqOf(versionId).isPresent();
  }
}
