package dev.meridian.server.it;

import static dev.meridian.server.it.S3ObjectsIT.s3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meridian.server.testing.MeridianTestCluster;
import dev.meridian.server.testing.MeridianTestNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Conditional writes (If-None-Match: * and If-Match on PutObject and CompleteMultipartUpload), including
 * the races: of two creates of one key exactly one wins, and a delete that lands while an If-Match upload
 * is still sending its body makes that upload 409 ConditionalRequestConflict.
 */
@ExtendWith(MeridianTestCluster.class)
class S3ConditionalWritesIT {

  private static final String BUCKET = "conditional-writes-it";
  private static MeridianTestNode node;
  private static S3Client s3;
  private static final ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeAll
  static void setUp() {
    node = MeridianTestCluster.east();
    // No retries: a retried conditional write would hide the answer under test.
    s3 = S3Client.builder().endpointOverride(node.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(node.credentials()).forcePathStyle(true)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    s3.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void tearDown() {
    pool.shutdownNow();
    if (s3 != null) s3.close();
  }

  @Test
  void preconditionsOfPutObject() {
    String etag = s3.putObject(b -> b.bucket(BUCKET).key("new").ifNoneMatch("*"), RequestBody.fromString("first")).eTag();
    s3Error(412, "PreconditionFailed", () -> s3.putObject(b -> b.bucket(BUCKET).key("new").ifNoneMatch("*"),
        RequestBody.fromString("second")));
    s3Error(412, "PreconditionFailed", () -> s3.putObject(b -> b.bucket(BUCKET).key("new").ifMatch("\"0123\""),
        RequestBody.fromString("second")));
    s3Error(404, "NoSuchKey", () -> s3.putObject(b -> b.bucket(BUCKET).key("never").ifMatch(etag),
        RequestBody.fromString("x")));
    s3.putObject(b -> b.bucket(BUCKET).key("new").ifMatch(etag), RequestBody.fromString("third"));
    assertEquals("third", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("new")).asUtf8String(),
        "only the write whose condition held was stored");
  }

  @Test
  void preconditionsOfCompleteMultipartUpload() {
    s3.putObject(b -> b.bucket(BUCKET).key("mp"), RequestBody.fromString("exists"));
    String id = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("mp")).uploadId();
    String etag = s3.uploadPart(b -> b.bucket(BUCKET).key("mp").uploadId(id).partNumber(1), RequestBody.fromString("p")).eTag();
    s3Error(412, "PreconditionFailed", () -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("mp").uploadId(id)
        .ifNoneMatch("*").multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag)))));
    String current = s3.headObject(b -> b.bucket(BUCKET).key("mp")).eTag();
    s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("mp").uploadId(id)
        .ifMatch(current).multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
    assertEquals("p", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("mp")).asUtf8String());
  }

  @Test
  void ofTwoConcurrentCreatesExactlyOneWins() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Future<PutObjectResponse>> racers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      byte[] body = large("racer-" + i);
      racers.add(pool.submit(() -> s3.putObject(b -> b.bucket(BUCKET).key("race").ifNoneMatch("*"),
          RequestBody.fromContentProvider(() -> new HeldStream(body, release), body.length, "text/plain"))));
    }
    Thread.sleep(1500); // both requests are past their precheck, holding their bodies
    release.countDown();
    int won = 0;
    String winner = null;
    for (int i = 0; i < 2; i++) {
      try {
        racers.get(i).get(60, TimeUnit.SECONDS);
        won++;
        winner = "racer-" + i;
      } catch (ExecutionException e) {
        S3Exception s3e = assertInstanceOf(S3Exception.class, e.getCause());
        assertEquals(412, s3e.statusCode(), s3e.toString());
      }
    }
    assertEquals(1, won);
    assertEquals(winner, s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("race")).asUtf8String().substring(0, 7));
  }

  @Test
  void aDeleteDuringAnIfMatchUploadIsAConflict() throws Exception {
    String etag = s3.putObject(b -> b.bucket(BUCKET).key("contested"), RequestBody.fromString("v1")).eTag();
    CountDownLatch release = new CountDownLatch(1);
    byte[] body = large("v2");
    Future<PutObjectResponse> update = pool.submit(() -> s3.putObject(b -> b.bucket(BUCKET).key("contested").ifMatch(etag),
        RequestBody.fromContentProvider(() -> new HeldStream(body, release), body.length, "text/plain")));
    Thread.sleep(1500); // the precheck saw v1
    s3.deleteObject(b -> b.bucket(BUCKET).key("contested"));
    release.countDown();
    ExecutionException e = assertThrows(ExecutionException.class, () -> update.get(60, TimeUnit.SECONDS));
    S3Exception s3e = assertInstanceOf(S3Exception.class, e.getCause());
    assertEquals(409, s3e.statusCode(), s3e.toString());
    assertEquals("ConditionalRequestConflict", s3e.awsErrorDetails().errorCode());
    s3Error(404, "NoSuchKey", () -> s3.headObject(b -> b.bucket(BUCKET).key("contested")));
  }

  /** {@code prefix} followed by filler, long enough to be held part-way (see {@link HeldStream}). */
  private static byte[] large(String prefix) {
    byte[] out = new byte[256 * 1024];
    java.util.Arrays.fill(out, (byte) '.');
    System.arraycopy(prefix.getBytes(), 0, out, 0, prefix.length());
    return out;
  }

  /**
   * A body whose first {@link #HELD_AT} bytes are sent at once and the rest only after {@code release}.
   * (The SDK signs and sends 128 KiB chunks: the request reaches the server once its first chunk is read.)
   */
  private static final class HeldStream extends InputStream {
    static final int HELD_AT = 200 * 1024;
    private final byte[] data;
    private final CountDownLatch release;
    private int pos;

    HeldStream(byte[] data, CountDownLatch release) {
      this.data = data;
      this.release = release;
    }

    @Override
    public int read() throws IOException {
      if (pos == HELD_AT) {
        try {
          if (!release.await(60, TimeUnit.SECONDS)) throw new IOException("never released");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
      return pos < data.length ? data[pos++] & 0xff : -1;
    }
  }
}
