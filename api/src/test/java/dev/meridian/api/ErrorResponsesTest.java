package dev.meridian.api;

import static dev.meridian.api.TestCalls.body;
import static dev.meridian.api.TestCalls.header;
import static dev.meridian.api.TestCalls.text;
import static dev.meridian.api.TestCalls.xml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.cluster.Result;
import dev.meridian.cluster.StoreError;
import java.util.concurrent.CompletionException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The error document and status every failing S3 request gets. */
class ErrorResponsesTest {

  @Test
  void errorDocumentHasCodeMessageExtrasResourceAndRequestId() {
    S3Exception e = new S3Exception(S3Error.NoSuchKey).with("Key", "a&b<c>.txt");
    HttpResponse r = ErrorResponses.render(e, "/photos/a&b<c>.txt", "4442587FB7D0A2F9", false);
    assertEquals(404, r.status().intValue());
    assertEquals("4442587FB7D0A2F9", header(r, "x-amz-request-id"));
    assertTrue(r.entity().getContentType().toString().startsWith("application/xml"), r.entity().getContentType().toString());
    Document doc = xml(body(r));
    assertEquals("Error", doc.getDocumentElement().getLocalName());
    assertEquals("NoSuchKey", text(doc, "Code"));
    assertEquals("The specified key does not exist.", text(doc, "Message"));
    assertEquals("a&b<c>.txt", text(doc, "Key"));
    assertEquals("/photos/a&b<c>.txt", text(doc, "Resource"));
    assertEquals("4442587FB7D0A2F9", text(doc, "RequestId"));
  }

  @Test
  void headResponsesCarryStatusAndHeadersButNoBody() {
    HttpResponse r = ErrorResponses.render(new S3Exception(S3Error.NoSuchBucket), "/nope", "RID", true);
    assertEquals(404, r.status().intValue());
    assertEquals("RID", header(r, "x-amz-request-id"));
    assertTrue(r.entity().isKnownEmpty(), "HEAD error has no body");
  }

  @Test
  void invalidRangeTellsTheObjectSize() {
    S3Exception e = new S3Exception(S3Error.InvalidRange).withHeader("Content-Range", "bytes */10")
        .with("ActualObjectSize", "10").with("RangeRequested", "bytes=20-");
    HttpResponse r = ErrorResponses.render(e, "/b/k", "RID", false);
    assertEquals(416, r.status().intValue());
    assertEquals("bytes */10", header(r, "Content-Range"));
    assertEquals("10", text(xml(body(r)), "ActualObjectSize"));
  }

  @Test
  void cassandraNotAnsweringIsRetryableNotInternal() {
    var node = new com.datastax.oss.driver.api.core.DriverTimeoutException("Query timed out after PT10S");
    assertEquals(S3Error.ServiceUnavailable, ErrorResponses.from(new CompletionException(node)).error);
    var noNode = com.datastax.oss.driver.api.core.AllNodesFailedException.fromErrors(java.util.List.of());
    assertEquals(S3Error.ServiceUnavailable, ErrorResponses.from(new CompletionException(new IllegalStateException(noNode))).error);
    assertEquals(S3Error.InternalError, ErrorResponses.from(new IllegalStateException("a bug")).error);
  }

  @Test
  void anUnavailableRegionAsksToRetry() {
    HttpResponse busy = ErrorResponses.render(ErrorResponses.toS3(StoreError.REGION_UNAVAILABLE, "x"), "/b", "R", false);
    assertEquals(503, busy.status().intValue());
    assertEquals("1", header(busy, "Retry-After"));
    assertEquals("ServiceUnavailable", text(xml(body(busy)), "Code"));
  }

  @Test
  void domainErrorsMapToTheirS3CodesAndStatuses() {
    assertMaps(StoreError.NO_SUCH_BUCKET, "NoSuchBucket", 404);
    assertMaps(StoreError.BUCKET_ALREADY_EXISTS, "BucketAlreadyExists", 409);
    assertMaps(StoreError.BUCKET_ALREADY_OWNED_BY_YOU, "BucketAlreadyOwnedByYou", 409);
    assertMaps(StoreError.BUCKET_NOT_EMPTY, "BucketNotEmpty", 409);
    assertMaps(StoreError.NO_SUCH_KEY, "NoSuchKey", 404);
    assertMaps(StoreError.NO_SUCH_VERSION, "NoSuchVersion", 404);
    assertMaps(StoreError.INVALID_VERSION_ID, "InvalidArgument", 400);
    assertMaps(StoreError.PRECONDITION_FAILED, "PreconditionFailed", 412);
    assertMaps(StoreError.CONDITIONAL_REQUEST_CONFLICT, "ConditionalRequestConflict", 409);
    assertMaps(StoreError.INTERNAL, "InternalError", 500);
  }

  private static void assertMaps(StoreError error, String code, int status) {
    S3Exception s3 = ErrorResponses.from(new CompletionException(new Result.StoreException(error, "detail")));
    assertEquals(code, s3.error.name(), error.name());
    assertEquals(status, s3.error.status, error.name());
  }

  @Test
  void unexpectedFailuresAreInternalErrorsWithoutDetails() {
    S3Exception s3 = ErrorResponses.from(new CompletionException(new IllegalStateException("secret stack detail")));
    assertEquals(S3Error.InternalError, s3.error);
    String doc = body(ErrorResponses.render(s3, "/b", "R", false));
    assertTrue(!doc.contains("secret stack detail"), doc);
  }
}
