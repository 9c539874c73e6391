package dev.meridian.cluster.object;

/**
 * Matching of an If-Match / If-None-Match header against an ETag, as HTTP and S3 do it: a list of quoted
 * tags or {@code *}; quotes are optional in what clients send.
 */
public final class EtagMatch {

  private EtagMatch() {}

  public static boolean matches(String header, String etag) {
    if (header == null || etag == null) return false;
    String bare = unquote(etag);
    for (String candidate : header.split(",")) {
      String c = unquote(candidate.trim());
      if (c.equals("*") || c.equals(bare)) return true;
    }
    return false;
  }

  private static String unquote(String s) {
    if (s.startsWith("W/")) s = s.substring(2);
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }
}
