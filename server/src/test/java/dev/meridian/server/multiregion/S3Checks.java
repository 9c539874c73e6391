package dev.meridian.server.multiregion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.cluster.BucketService;
import dev.meridian.server.NodeProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** What the multi-region tests do and check as an S3 client, with the AWS SDK. */
final class S3Checks {

  /** Object partitions per bucket (meridian.storage.partitions-per-bucket, default). */
  static final int PARTITIONS = 8;

  /** An acknowledged write as the client saw it. */
  record Stored(String bucket, String key, byte[] bytes, String etag, String versionId) {}

  private S3Checks() {}

  static void createBucket(S3Client s3, String bucket, String region) {
    s3.createBucket(b -> {
      b.bucket(bucket);
      if (!region.equals("us-east-1")) b.createBucketConfiguration(c -> c.locationConstraint(region));
    });
  }

  /** The bucket's region from GetBucketLocation (an empty constraint means us-east-1). */
  static String location(S3Client s3, String bucket) {
    String c = s3.getBucketLocation(b -> b.bucket(bucket)).locationConstraintAsString();
    return c == null || c.isEmpty() ? "us-east-1" : c;
  }

  static Stored put(S3Client s3, String bucket, String key, byte[] bytes) {
    var r = s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    return new Stored(bucket, key, bytes, r.eTag(), r.versionId());
  }

  static Stored multipart(S3Client s3, String bucket, String key, byte[] bytes, int partSize) {
    String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    for (int off = 0, n = 1; off < bytes.length; off += partSize, n++) {
      int number = n;
      byte[] part = Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + partSize));
      var r = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(number), RequestBody.fromBytes(part));
      parts.add(CompletedPart.builder().partNumber(number).eTag(r.eTag()).build());
    }
    var r = s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
    return new Stored(bucket, key, bytes, r.eTag(), r.versionId());
  }

  static void assertReadable(S3Client s3, Stored s, boolean byVersion, NodeProcess.Spec via) {
    String what = "GET " + s.bucket() + "/" + s.key() + (byVersion ? "?versionId=" + s.versionId() : "") + " via " + via.name();
    ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> {
      b.bucket(s.bucket()).key(s.key());
      if (byVersion) b.versionId(s.versionId());
    });
    assertEquals(s.bytes().length, got.asByteArray().length, what);
    assertTrue(Arrays.equals(s.bytes(), got.asByteArray()), what + ": other bytes");
    assertEquals(s.etag(), got.response().eTag(), what);
    if (s.versionId() != null) assertEquals(s.versionId(), got.response().versionId(), what);
  }

  /** A key of {@code prefix} that hashes to object partition {@code partition}. */
  static String keyIn(int partition, String prefix) {
    for (int i = 0; ; i++) {
      String key = prefix + "-" + i;
      if (BucketService.partitionOf(key, PARTITIONS) == partition) return key;
    }
  }

  /** Retries {@code check} (assertion errors and SDK errors) until it passes or {@code within} is over. */
  static void eventually(Duration within, Runnable check) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        check.run();
        return;
      } catch (AssertionError | SdkException e) {
        if (System.nanoTime() > deadline) throw e;
        Thread.sleep(500);
      }
    }
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  static String describe(Throwable e) {
    if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
      return s3.statusCode() + " " + s3.awsErrorDetails().errorCode() + " " + s3.awsErrorDetails().errorMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  static long ms(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1_000_000;
  }
}
