package dev.meridian.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a request points: bucket and key from a path-style path ({@code /bucket/key}) or a
 * virtual-hosted-style host ({@code bucket.<domain>}), and the decoded query. Works on the raw request
 * target, since Pekko's parsed URI is normalised and S3 keys are not (double slashes, dot segments).
 */
public final class Addressing {

  /** The bucket (null for the service) and key (null for the bucket) a request addresses. */
  public record Target(String bucket, String key) {}

  private Addressing() {}

  public static Target target(String rawPath, String host, List<String> virtualHostDomains) {
    String path = decode(rawPath, false);
    String vhostBucket = virtualHostBucket(host, virtualHostDomains);
    if (vhostBucket != null) {
      String key = path.length() > 1 ? path.substring(1) : null;
      return new Target(vhostBucket, key);
    }
    if (path.isEmpty() || path.equals("/")) return new Target(null, null);
    String rest = path.substring(1);
    int slash = rest.indexOf('/');
    if (slash < 0) return new Target(rest, null);
    String key = rest.substring(slash + 1);
    return new Target(rest.substring(0, slash), key.isEmpty() ? null : key);
  }

  private static String virtualHostBucket(String host, List<String> domains) {
    if (host == null) return null;
    String h = host.toLowerCase();
    int colon = h.lastIndexOf(':');
    if (colon > 0 && h.indexOf(']') < colon) h = h.substring(0, colon);
    for (String domain : domains) {
      String suffix = "." + domain.toLowerCase();
      if (h.endsWith(suffix) && h.length() > suffix.length()) return h.substring(0, h.length() - suffix.length());
    }
    return null;
  }

  /** Query parameters in order; a name without '=' has an empty value. */
  public static Map<String, List<String>> query(String rawQuery) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) return out;
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
      out.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
    }
    return out;
  }

  /**
   * Percent-decodes UTF-8. In a query '+' is a space (form encoding); in a path it is a literal '+'.
   * A malformed escape is InvalidURI.
   */
  public static String decode(String s, boolean plusIsSpace) {
    if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) return s;
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '%') {
        if (i + 2 >= bytes.length) throw new S3Exception(S3Error.InvalidURI);
        int hi = Character.digit(bytes[i + 1], 16);
        int lo = Character.digit(bytes[i + 2], 16);
        if (hi < 0 || lo < 0) throw new S3Exception(S3Error.InvalidURI);
        out.write((hi << 4) | lo);
        i += 2;
      } else if (b == '+' && plusIsSpace) {
        out.write(' ');
      } else {
        out.write(b);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Percent-encodes as S3 does for encoding-type=url: everything but unreserved characters (and '/' kept). */
  public static String urlEncode(String s) {
    if (s == null) return null;
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }
}
