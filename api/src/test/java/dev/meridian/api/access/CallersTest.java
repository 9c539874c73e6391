package dev.meridian.api.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CallersTest {

  @Test
  void theClaimedKeyComesFromTheHeaderOrThePresignedQuery() {
    assertEquals("AKIAUSER000000000001", Callers.claimedKeyId("AWS4-HMAC-SHA256 Credential=AKIAUSER000000000001/20240101/"
        + "us-east-1/s3/aws4_request, SignedHeaders=host, Signature=abc", null));
    assertEquals("AKIAUSER000000000001", Callers.claimedKeyId(null, "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
        + "AKIAUSER000000000001%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abc"));
    assertNull(Callers.claimedKeyId(null, "list-type=2"));
    assertNull(Callers.claimedKeyId(null, null));
    assertNull(Callers.claimedKeyId("AWS AKIA:sig", null), "SigV2 is refused by the verifier, not resolved");
  }
}
