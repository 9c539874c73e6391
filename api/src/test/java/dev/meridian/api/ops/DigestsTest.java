package dev.meridian.api.ops;

import static dev.meridian.api.TestCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meridian.api.S3Call;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/**
 * The checksums stored with an upload and checked against what the client declared: the published check
 * values of each algorithm over "123456789", and MD5 for the ETag.
 */
class DigestsTest {

  private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

  private static String b64(String hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  /** Feeds the bytes in two pieces (as a stream would) and returns the stored checksums. */
  private static Map<String, String> digest(S3Call call, byte[] data, Map<String, String> trailers) {
    Digests d = Digests.forRequest(call);
    d.update(ByteString.fromArray(data, 0, 4));
    d.update(ByteString.fromArray(data, 4, data.length - 4));
    assertEquals(data.length, d.size());
    return d.verify(call, trailers);
  }

  private static Map<String, String> withAlgorithm(String algorithm) {
    return digest(call("PUT", "b", "k", null, "x-amz-sdk-checksum-algorithm", algorithm), CHECK, Map.of());
  }

  @Test
  void publishedCheckValues() {
    assertEquals(Map.of("CRC32", b64("cbf43926")), withAlgorithm("CRC32"));
    assertEquals(Map.of("CRC32C", b64("e3069283")), withAlgorithm("CRC32C"));
    assertEquals(Map.of("CRC64NVME", b64("ae8b14860a799888")), withAlgorithm("CRC64NVME"));
    assertEquals(Map.of("SHA1", b64("f7c3bc1d808e04732adf679965ccc34ca7ae3441")), withAlgorithm("SHA1"));
    assertEquals(Map.of("SHA256", b64("15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225")),
        withAlgorithm("sha256"));
  }

  @Test
  void md5IsTheEtag() {
    Digests d = Digests.forRequest(call("PUT", "b", "k", null));
    d.update(ByteString.fromString("abc"));
    assertEquals("900150983cd24fb0d6963f7d28e17f72", d.md5Hex());
    assertEquals("d41d8cd98f00b204e9800998ecf8427e", Digests.forRequest(call("PUT", "b", "k", null)).md5Hex());
  }

  @Test
  void noAlgorithmStoresNoChecksum() {
    assertEquals(Map.of(), digest(call("PUT", "b", "k", null), CHECK, Map.of()));
  }

  @Test
  void aMatchingHeaderValueIsAccepted() {
    S3Call call = call("PUT", "b", "k", null, "x-amz-checksum-crc32c", b64("e3069283"));
    assertEquals(Map.of("CRC32C", b64("e3069283")), digest(call, CHECK, Map.of()));
  }

  @Test
  void aMismatchingHeaderValueIsBadDigest() {
    S3Call call = call("PUT", "b", "k", null, "x-amz-checksum-crc32", b64("00000000"));
    S3Exception e = assertThrows(S3Exception.class, () -> digest(call, CHECK, Map.of()));
    assertEquals(S3Error.BadDigest, e.error);
    assertEquals(400, e.error.status);
  }

  @Test
  void theTrailerNamesTheAlgorithmAndCarriesTheValue() {
    S3Call call = call("PUT", "b", "k", null, "x-amz-trailer", "x-amz-checksum-crc64nvme");
    assertEquals(Map.of("CRC64NVME", b64("ae8b14860a799888")),
        digest(call, CHECK, Map.of("x-amz-checksum-crc64nvme", b64("ae8b14860a799888"))));
    S3Exception e = assertThrows(S3Exception.class,
        () -> digest(call, CHECK, Map.of("x-amz-checksum-crc64nvme", b64("ae8b14860a799889"))));
    assertEquals(S3Error.BadDigest, e.error);
  }

  @Test
  void anUnknownAlgorithmIsInvalidRequest() {
    S3Exception e = assertThrows(S3Exception.class,
        () -> Digests.forRequest(call("PUT", "b", "k", null, "x-amz-sdk-checksum-algorithm", "MD4")));
    assertEquals(S3Error.InvalidRequest, e.error);
  }
}
