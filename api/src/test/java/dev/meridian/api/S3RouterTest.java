package dev.meridian.api;

import static dev.meridian.api.TestCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/**
 * Requests the router must answer itself, before any storage is touched: operations Meridian does not serve
 * (NotImplemented, never a fall-through to a plain operation) and methods a resource does not have. The
 * router runs without a BucketService here, so only these answers can be checked; routes that reach an
 * operation are covered end to end by the server's integration tests.
 */
class S3RouterTest {

  private final S3Router router = new S3Router(null, ApiSettings.from(ConfigFactory.load()), null);

  private S3Error answer(String method, String bucket, String key, String query, String... headers) {
    S3Call c = call(method, bucket, key, query, headers);
    return assertThrows(S3Exception.class, () -> router.route(c), method + " " + c.resource() + "?" + query).error;
  }

  @Test
  void unservedSubresourcesAreNotImplemented() {
    assertEquals(S3Error.NotImplemented, answer("GET", "b", null, "lifecycle"));
    assertEquals(S3Error.NotImplemented, answer("PUT", "b", null, "lifecycle"));
    assertEquals(S3Error.NotImplemented, answer("DELETE", "b", null, "website"));
    assertEquals(S3Error.NotImplemented, answer("GET", "b", "k", "retention"));
    assertEquals(S3Error.NotImplemented, answer("PUT", "b", "k", "legal-hold"));
    assertEquals(501, S3Error.NotImplemented.status);
  }

  @Test
  void aSubresourceIsNotMistakenForThePlainOperation() {
    // PUT /b?lifecycle must not create the bucket; GET /b/k?retention must not read the object.
    assertEquals(S3Error.NotImplemented, answer("PUT", "b", null, "lifecycle&x-id=PutBucketLifecycleConfiguration"));
    assertEquals(S3Error.NotImplemented, answer("GET", "b", "k", "retention&versionId=abc"));
  }

  @Test
  void methodsAResourceDoesNotHaveAreMethodNotAllowed() {
    assertEquals(S3Error.MethodNotAllowed, answer("POST", "b", "k", null));
    assertEquals(S3Error.MethodNotAllowed, answer("PATCH", "b", "k", null));
    assertEquals(S3Error.MethodNotAllowed, answer("DELETE", null, null, null));
    assertEquals(S3Error.MethodNotAllowed, answer("PUT", null, null, null));
    assertEquals(S3Error.MethodNotAllowed, answer("POST", "b", null, "versioning"));
    assertEquals(S3Error.MethodNotAllowed, answer("DELETE", "b", null, "location"));
    assertEquals(405, S3Error.MethodNotAllowed.status);
  }
}
