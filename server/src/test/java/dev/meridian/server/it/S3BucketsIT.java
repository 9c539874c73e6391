package dev.meridian.server.it;

import static dev.meridian.server.it.S3ObjectsIT.s3Error;
import static dev.meridian.server.testing.SignedHttp.element;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.server.testing.MeridianTestCluster;
import dev.meridian.server.testing.MeridianTestNode;
import dev.meridian.server.testing.SignedHttp;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/** Buckets, versioning, presigned URLs, authentication failures and routing, through real clients. */
@ExtendWith(MeridianTestCluster.class)
class S3BucketsIT {

  private static MeridianTestNode node;
  private static S3Client s3;

  @BeforeAll
  static void connect() {
    node = MeridianTestCluster.east();
    s3 = node.client();
  }

  @AfterAll
  static void closeClient() {
    if (s3 != null) s3.close();
  }

  @Test
  void bucketLifecycle() {
    String bucket = "buckets-it-life";
    s3.createBucket(b -> b.bucket(bucket));
    s3Error(409, "BucketAlreadyOwnedByYou", () -> s3.createBucket(b -> b.bucket(bucket)));
    assertEquals(200, s3.headBucket(b -> b.bucket(bucket)).sdkHttpResponse().statusCode());
    List<String> names = s3.listBuckets().buckets().stream().map(Bucket::name).toList();
    assertTrue(names.contains(bucket), names.toString());
    String location = s3.getBucketLocation(b -> b.bucket(bucket)).locationConstraintAsString();
    assertTrue(location == null || location.isEmpty(), "us-east-1 is the empty constraint: " + location);

    s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("x"));
    s3Error(409, "BucketNotEmpty", () -> s3.deleteBucket(b -> b.bucket(bucket)));
    s3.deleteObject(b -> b.bucket(bucket).key("k"));
    assertEquals(204, s3.deleteBucket(b -> b.bucket(bucket)).sdkHttpResponse().statusCode());
    s3Error(404, null, () -> s3.headBucket(b -> b.bucket(bucket)));
    s3Error(404, "NoSuchBucket", () -> s3.deleteBucket(b -> b.bucket(bucket)));
    assertFalse(s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket)));
  }

  /** Raw requests: the SDK refuses some of these names itself, and what matters is the server's answer. */
  @Test
  void invalidBucketNamesAreRejected() throws Exception {
    for (String name : List.of("Upper_Case", "192.168.1.1", "xn--punycode", "ends-with-dash-", "a..b", "x")) {
      HttpResponse<String> r = SignedHttp.send(node, "PUT", "/" + name, null, null);
      assertEquals(400, r.statusCode(), name + ": " + r.body());
      assertEquals("InvalidBucketName", element(r.body(), "Code"), name);
    }
  }

  /** A bucket homed in us-west-2, created and read through the us-east-1 endpoint (the ask crosses regions). */
  @Test
  void aBucketHomedInAnotherRegion() {
    String bucket = "buckets-it-west";
    try (S3Client once = S3Client.builder().endpointOverride(node.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(node.credentials()).forcePathStyle(true)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
      once.createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint("us-west-2")));
      assertEquals("us-west-2", once.getBucketLocation(b -> b.bucket(bucket)).locationConstraintAsString());
      assertEquals("us-west-2", once.headBucket(b -> b.bucket(bucket)).bucketRegion());
      s3Error(400, "InvalidLocationConstraint", () -> once.createBucket(b -> b.bucket("buckets-it-mars")
          .createBucketConfiguration(c -> c.locationConstraint("mars-north-1"))));
      assertEquals(204, once.deleteBucket(b -> b.bucket(bucket)).sdkHttpResponse().statusCode());
    }
  }

  /** Any region's endpoint serves every bucket: objects of a us-west-2 bucket through both endpoints. */
  @Test
  void objectsOfABucketInAnotherRegionThroughEitherEndpoint() {
    String bucket = "buckets-it-west-objects";
    try (S3Client east = S3Client.builder().endpointOverride(node.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(node.credentials()).forcePathStyle(true)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        S3Client west = MeridianTestCluster.west().client()) {
      east.createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint("us-west-2")));
      String etag = east.putObject(b -> b.bucket(bucket).key("from-east.txt"), RequestBody.fromString("east")).eTag();
      west.putObject(b -> b.bucket(bucket).key("from-west.txt"), RequestBody.fromString("west"));
      assertEquals("east", west.getObjectAsBytes(b -> b.bucket(bucket).key("from-east.txt")).asUtf8String());
      assertEquals("west", east.getObjectAsBytes(b -> b.bucket(bucket).key("from-west.txt")).asUtf8String());
      assertEquals(etag, east.headObject(b -> b.bucket(bucket).key("from-east.txt")).eTag());
      assertEquals(List.of("from-east.txt", "from-west.txt"), east.listObjectsV2(b -> b.bucket(bucket)).contents()
          .stream().map(o -> o.key()).toList());
      east.deleteObject(b -> b.bucket(bucket).key("from-east.txt"));
      west.deleteObject(b -> b.bucket(bucket).key("from-west.txt"));
      s3Error(404, "NoSuchKey", () -> east.getObject(b -> b.bucket(bucket).key("from-west.txt")));
      assertEquals(204, east.deleteBucket(b -> b.bucket(bucket)).sdkHttpResponse().statusCode());
    }
  }

  @Test
  void versioning() {
    String bucket = "buckets-it-versions";
    s3.createBucket(b -> b.bucket(bucket));
    s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    assertEquals(BucketVersioningStatus.ENABLED, s3.getBucketVersioning(b -> b.bucket(bucket)).status());

    String v1 = s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("one")).versionId();
    PutObjectResponse second = s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("two"));
    String v2 = second.versionId();
    assertNotEquals(v1, v2);
    assertFalse(v1 == null || v1.equals("null") || v2 == null || v2.equals("null"), v1 + " " + v2);
    assertEquals("two", get(bucket, "k", null));
    assertEquals("one", get(bucket, "k", v1));
    assertEquals("two", get(bucket, "k", v2));

    DeleteObjectResponse marker = s3.deleteObject(b -> b.bucket(bucket).key("k"));
    assertTrue(marker.deleteMarker(), "a delete in a versioned bucket leaves a delete marker");
    s3Error(404, "NoSuchKey", () -> get(bucket, "k", null));
    assertEquals("one", get(bucket, "k", v1), "older versions survive the delete marker");
    assertEquals(3L, s3.headObject(b -> b.bucket(bucket).key("k").versionId(v1)).contentLength());

    assertEquals(v2, s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v2)).versionId());
    s3Error(404, "NoSuchVersion", () -> get(bucket, "k", v2));
    assertTrue(s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(marker.versionId())).deleteMarker());
    assertEquals("one", get(bucket, "k", null), "removing the marker brings back the newest remaining version");
    s3Error(400, "InvalidArgument", () -> get(bucket, "k", "not-a-version-id"));
  }

  private static String get(String bucket, String key, String versionId) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(versionId)).asUtf8String();
  }

  @Test
  void versioningASubresourceNeverCreatesTheBucket() {
    s3Error(404, "NoSuchBucket", () -> s3.putBucketVersioning(b -> b.bucket("buckets-it-never")
        .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED))));
    s3Error(404, null, () -> s3.headBucket(b -> b.bucket("buckets-it-never")));
  }

  @Test
  void presignedPutAndGet() throws Exception {
    String bucket = "buckets-it-presigned";
    s3.createBucket(b -> b.bucket(bucket));
    byte[] body = "uploaded with a presigned URL \u00e9".getBytes(StandardCharsets.UTF_8);
    try (S3Presigner presigner = node.presigner()) {
      PresignedPutObjectRequest put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
          .putObjectRequest(o -> o.bucket(bucket).key("dir/pre signed.txt")));
      HttpResponse<byte[]> putResponse = SignedHttp.plain("PUT", put.url().toURI(), put.signedHeaders(), body);
      assertEquals(200, putResponse.statusCode(), new String(putResponse.body(), StandardCharsets.UTF_8));

      PresignedGetObjectRequest get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
          .getObjectRequest(o -> o.bucket(bucket).key("dir/pre signed.txt")));
      HttpResponse<byte[]> got = SignedHttp.plain("GET", get.url().toURI(), get.signedHeaders(), null);
      assertEquals(200, got.statusCode());
      assertEquals(new String(body, StandardCharsets.UTF_8), new String(got.body(), StandardCharsets.UTF_8));

      URI tampered = URI.create(get.url().toString().replace("pre%20signed.txt", "other.txt"));
      HttpResponse<byte[]> denied = SignedHttp.plain("GET", tampered, get.signedHeaders(), null);
      assertEquals(403, denied.statusCode());
      assertEquals("SignatureDoesNotMatch", element(new String(denied.body(), StandardCharsets.UTF_8), "Code"));
    }
  }

  @Test
  void wrongCredentialsAreRefused() {
    try (S3Client wrongSecret = node.client(MeridianTestNode.credentials(node.accessKey(), "not-the-secret"))) {
      s3Error(403, "SignatureDoesNotMatch", wrongSecret::listBuckets);
      s3Error(403, "SignatureDoesNotMatch",
          () -> wrongSecret.putObject(b -> b.bucket("buckets-it-any").key("k"), RequestBody.fromString("x")));
    }
    try (S3Client unknown = node.client(MeridianTestNode.credentials("AKIAUNKNOWNKEY000000", "whatever"))) {
      s3Error(403, "InvalidAccessKeyId", unknown::listBuckets);
    }
  }

  @Test
  void unservedOperationsAndMethodsAreAnsweredNotMisrouted() throws Exception {
    String bucket = "buckets-it-routes";
    s3.createBucket(b -> b.bucket(bucket));
    s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("x"));
    s3Error(501, "NotImplemented", () -> s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)));
    s3Error(501, "NotImplemented", () -> s3.getObjectRetention(b -> b.bucket(bucket).key("k")));

    HttpResponse<String> post = SignedHttp.send(node, "POST", "/" + bucket + "/k", null, new byte[0]);
    assertEquals(405, post.statusCode(), post.body());
    assertEquals("MethodNotAllowed", element(post.body(), "Code"));
    assertEquals("/" + bucket + "/k", element(post.body(), "Resource"));
    assertTrue(post.headers().firstValue("x-amz-request-id").isPresent());

    HttpResponse<String> lifecycle = SignedHttp.send(node, "PUT", "/" + bucket, "lifecycle", "<x/>".getBytes());
    assertEquals(501, lifecycle.statusCode(), lifecycle.body());
    assertEquals("x", get(bucket, "k", null), "the bucket and its object are untouched");
  }
}
