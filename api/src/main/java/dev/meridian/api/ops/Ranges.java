package dev.meridian.api.ops;

import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;

/**
 * The Range header of GetObject: one byte range ({@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}).
 * S3 ignores a header it cannot parse or that asks for several ranges (the whole object is sent), and
 * answers 416 InvalidRange for a range that starts past the end.
 */
final class Ranges {

  record Range(long first, long last) {}

  private Ranges() {}

  /** The inclusive range to send, or null for the whole object. */
  static Range parse(String header, long size) {
    if (header == null) return null;
    String h = header.trim();
    if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) return null;
    String spec = h.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) return null;
    String a = spec.substring(0, dash).trim();
    String b = spec.substring(dash + 1).trim();
    try {
      if (a.isEmpty()) {
        if (b.isEmpty()) return null;
        long n = Long.parseLong(b);
        if (n == 0 || size == 0) throw invalid(header, size);
        return new Range(Math.max(0, size - n), size - 1);
      }
      long first = Long.parseLong(a);
      if (first >= size) throw invalid(header, size);
      long last = b.isEmpty() ? size - 1 : Long.parseLong(b);
      if (last < first) return null;
      return new Range(first, Math.min(last, size - 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static S3Exception invalid(String header, long size) {
    return new S3Exception(S3Error.InvalidRange).with("RangeRequested", header)
        .with("ActualObjectSize", Long.toString(size)).withHeader("Content-Range", "bytes */" + size);
  }
}
