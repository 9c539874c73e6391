package dev.meridian.chaos.workload;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Object bodies of a run. Every body starts with the id of the request that writes it, so no two writes
 * have the same bytes, the same sha256 or the same MD5 ETag: the checker traces every version it finds back
 * to exactly one request. The client computes the ETag S3 must return (MD5, or for a multipart upload the
 * MD5 of the parts' MD5s with the part count).
 */
public final class Bodies {

  private Bodies() {}

  /** {@code size} bytes for request {@code opId} of the run with {@code seed}; at least the header. */
  public static byte[] body(long seed, long opId, String bucket, String key, int size) {
    byte[] header = ("chaos op " + opId + " " + bucket + "/" + key + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] b = new byte[Math.max(size, header.length)];
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + opId);
    for (int i = 0; i < b.length; i++) b[i] = (byte) r.nextInt(256);
    System.arraycopy(header, 0, b, 0, header.length);
    return b;
  }

  public static String sha256(byte[]... parts) {
    return hex(digest("SHA-256", parts));
  }

  /** The ETag of a single PutObject: the MD5 of the body, without quotes. */
  public static String etag(byte[] body) {
    return hex(digest("MD5", body));
  }

  /** The ETag of a completed multipart upload: MD5 of the parts' binary MD5s, dash, number of parts. */
  public static String multipartEtag(List<byte[]> parts) {
    byte[][] md5s = parts.stream().map(p -> digest("MD5", p)).toArray(byte[][]::new);
    return hex(digest("MD5", md5s)) + "-" + parts.size();
  }

  /** An ETag as the checker compares it: without the quotes S3 puts around it. */
  public static String unquote(String etag) {
    if (etag == null) return null;
    return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
  }

  private static byte[] digest(String algorithm, byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance(algorithm);
      for (byte[] p : parts) md.update(p);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
