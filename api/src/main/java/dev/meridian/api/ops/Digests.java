package dev.meridian.api.ops;

import dev.meridian.api.S3Call;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.apache.pekko.util.ByteString;

/**
 * The digests of an upload, computed as the bytes stream past: MD5 (the ETag, and Content-MD5's check)
 * and the flexible checksum the client asked for (CRC32, CRC32C, CRC64NVME, SHA1, SHA256), whose
 * expected value comes in a header or, for aws-chunked bodies, in the trailer.
 */
final class Digests {

  static final String[] ALGORITHMS = {"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"};

  private final MessageDigest md5 = newDigest("MD5");
  private final String algorithm;
  private final Checksum crc;
  private final MessageDigest sha;
  private long size;

  private Digests(String algorithm) {
    this.algorithm = algorithm;
    this.crc = switch (algorithm == null ? "" : algorithm) {
      case "CRC32" -> new CRC32();
      case "CRC32C" -> new CRC32C();
      case "CRC64NVME" -> new Crc64Nvme();
      default -> null;
    };
    this.sha = "SHA1".equals(algorithm) ? newDigest("SHA-1") : "SHA256".equals(algorithm) ? newDigest("SHA-256") : null;
  }

  /** MD5 only (a copy: the source was verified when it was written). */
  static Digests none() {
    return new Digests(null);
  }

  /** The checksum algorithm a PUT declares (header value, trailer name, or SDK hint), if any. */
  static Digests forRequest(S3Call call) {
    String alg = null;
    for (String a : ALGORITHMS) {
      if (call.header("x-amz-checksum-" + a.toLowerCase(Locale.ROOT)).isPresent()) alg = a;
    }
    String trailer = call.headerOrNull("x-amz-trailer");
    if (alg == null && trailer != null && trailer.toLowerCase(Locale.ROOT).startsWith("x-amz-checksum-")) {
      alg = trailer.substring("x-amz-checksum-".length()).trim().toUpperCase(Locale.ROOT);
    }
    if (alg == null) alg = call.headerOrNull("x-amz-sdk-checksum-algorithm");
    if (alg != null) {
      alg = alg.toUpperCase(Locale.ROOT);
      if (!java.util.Arrays.asList(ALGORITHMS).contains(alg)) {
        throw new S3Exception(S3Error.InvalidRequest, "Value for x-amz-checksum-algorithm header is invalid.");
      }
    }
    return new Digests(alg);
  }

  ByteString update(ByteString bytes) {
    for (ByteBuffer b : bytes.getByteBuffers()) {
      md5.update(b.duplicate());
      if (crc != null) crc.update(b.duplicate());
      if (sha != null) sha.update(b.duplicate());
    }
    size += bytes.size();
    return bytes;
  }

  long size() {
    return size;
  }

  String md5Hex() {
    return HexFormat.of().formatHex(md5());
  }

  byte[] md5() {
    try {
      return ((MessageDigest) md5.clone()).digest();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Checks the client's checksum (from a header or the trailers) against what was received and returns
   * the checksums to store: BadDigest on a mismatch.
   */
  Map<String, String> verify(S3Call call, Map<String, String> trailers) {
    Map<String, String> out = new LinkedHashMap<>();
    if (algorithm == null) return out;
    String name = "x-amz-checksum-" + algorithm.toLowerCase(Locale.ROOT);
    String expected = call.header(name).orElse(trailers.get(name));
    String actual = Base64.getEncoder().encodeToString(value());
    if (expected != null && !expected.trim().equals(actual)) {
      throw new S3Exception(S3Error.BadDigest, "The " + algorithm + " you specified did not match the calculated checksum.");
    }
    out.put(algorithm, actual);
    return out;
  }

  private byte[] value() {
    if (sha != null) return sha.digest();
    long v = crc.getValue();
    int width = crc instanceof Crc64Nvme ? 8 : 4;
    byte[] out = new byte[width];
    for (int i = width - 1; i >= 0; i--) {
      out[i] = (byte) v;
      v >>>= 8;
    }
    return out;
  }

  private static MessageDigest newDigest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5, init and xorout all ones), table-driven. */
  static final class Crc64Nvme implements Checksum {
    private static final long[] TABLE = new long[256];

    static {
      for (int i = 0; i < 256; i++) {
        long c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >>> 1) ^ 0x9A6C9329AC4BC9B5L : c >>> 1;
        TABLE[i] = c;
      }
    }

    private long crc = ~0L;

    @Override
    public void update(int b) {
      crc = TABLE[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
    }

    @Override
    public void update(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) update(b[i]);
    }

    @Override
    public void update(ByteBuffer buffer) {
      while (buffer.hasRemaining()) update(buffer.get());
    }

    @Override
    public long getValue() {
      return ~crc;
    }

    @Override
    public void reset() {
      crc = ~0L;
    }
  }
}
