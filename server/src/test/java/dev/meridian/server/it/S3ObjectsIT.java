package dev.meridian.server.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.server.testing.MeridianTestCluster;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Object operations through the AWS SDK for Java v2 (default settings: CRC32 trailers, aws-chunked bodies). */
@ExtendWith(MeridianTestCluster.class)
class S3ObjectsIT {

  private static final String BUCKET = "objects-it";
  private static S3Client s3;

  @BeforeAll
  static void createBucket() {
    s3 = MeridianTestCluster.east().client();
    s3.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void closeClient() {
    if (s3 != null) s3.close();
  }

  static S3Exception s3Error(int status, String code, Executable call) {
    S3Exception e = assertThrows(S3Exception.class, call);
    assertEquals(status, e.statusCode(), e.toString());
    if (code != null) assertEquals(code, e.awsErrorDetails().errorCode(), e.toString());
    return e;
  }

  static String md5(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }

  private PutObjectResponse put(String key, String body) {
    return s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(body, StandardCharsets.UTF_8));
  }

  private String get(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
  }

  @Test
  void putGetHeadDeleteWithMetadata() throws Exception {
    byte[] data = "hello, meridian \u00e9\u65e5\n".repeat(100).getBytes(StandardCharsets.UTF_8);
    PutObjectResponse put = s3.putObject(b -> b.bucket(BUCKET).key("docs/hello.txt").contentType("text/plain")
        .metadata(Map.of("color", "blue", "owner-team", "storage")).cacheControl("max-age=60"),
        RequestBody.fromBytes(data));
    assertEquals("\"" + md5(data) + "\"", put.eTag());

    ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("docs/hello.txt"));
    assertArrayEquals(data, got.asByteArray());
    assertEquals("\"" + md5(data) + "\"", got.response().eTag());
    assertEquals("text/plain", got.response().contentType());
    assertEquals("max-age=60", got.response().cacheControl());
    assertEquals(Map.of("color", "blue", "owner-team", "storage"), got.response().metadata());
    assertEquals(data.length, got.response().contentLength());

    HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("docs/hello.txt"));
    assertEquals(data.length, head.contentLength());
    assertEquals("\"" + md5(data) + "\"", head.eTag());
    assertEquals(Map.of("color", "blue", "owner-team", "storage"), head.metadata());
    assertTrue(head.lastModified().isAfter(Instant.now().minusSeconds(300)), head.lastModified().toString());

    assertEquals(204, s3.deleteObject(b -> b.bucket(BUCKET).key("docs/hello.txt")).sdkHttpResponse().statusCode());
    s3Error(404, "NoSuchKey", () -> s3.getObject(b -> b.bucket(BUCKET).key("docs/hello.txt")));
    s3Error(404, null, () -> s3.headObject(b -> b.bucket(BUCKET).key("docs/hello.txt")));
    assertEquals(204, s3.deleteObject(b -> b.bucket(BUCKET).key("docs/hello.txt")).sdkHttpResponse().statusCode(),
        "deleting a missing key succeeds");
  }

  @Test
  void anOverwriteReplacesTheObject() {
    put("overwrite.txt", "first");
    put("overwrite.txt", "second, longer");
    assertEquals("second, longer", get("overwrite.txt"));
  }

  /**
   * Every read sees every acknowledged write, though a node answers recent keys from its version cache:
   * reads that are on their way to the index while the key is overwritten must not leave the older
   * version behind in the cache. (A tag change empties the key's cache entry, so the reads go to the index.)
   */
  @Test
  void readsInFlightDuringAnOverwriteNeverHideIt() throws Exception {
    ExecutorService readers = Executors.newFixedThreadPool(4);
    try {
      for (int i = 0; i < 20; i++) {
        String key = "race/" + i;
        put(key, "old-" + i);
        s3.putObjectTagging(b -> b.bucket(BUCKET).key(key).tagging(t -> t.tagSet(x -> x.key("k").value("v"))));
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<List<String>>> seen = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
          seen.add(readers.submit(() -> {
            List<String> answers = new ArrayList<>();
            while (writing.get() && answers.size() < 1000) answers.add(get(key));
            return answers;
          }));
        }
        put(key, "new-" + i);
        writing.set(false);
        for (int n = 0; n < 3; n++) assertEquals("new-" + i, get(key), "read after the overwrite was acknowledged");
        for (Future<List<String>> f : seen) {
          for (String answer : f.get(30, TimeUnit.SECONDS)) {
            assertTrue(answer.equals("old-" + i) || answer.equals("new-" + i), answer);
          }
        }
        s3.deleteObject(b -> b.bucket(BUCKET).key(key));
        s3Error(404, "NoSuchKey", () -> get(key));
      }
    } finally {
      readers.shutdownNow();
    }
  }

  @Test
  void emptyObject() throws Exception {
    PutObjectResponse put = s3.putObject(b -> b.bucket(BUCKET).key("empty"), RequestBody.empty());
    assertEquals("\"" + md5(new byte[0]) + "\"", put.eTag());
    ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("empty"));
    assertEquals(0, got.asByteArray().length);
    assertEquals(0L, got.response().contentLength());
    assertEquals(0L, s3.headObject(b -> b.bucket(BUCKET).key("empty")).contentLength());
  }

  @Test
  void rangedGets() {
    put("range.txt", "0123456789abcdefghij");
    ResponseBytes<GetObjectResponse> mid = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("range.txt").range("bytes=2-5"));
    assertEquals("2345", mid.asUtf8String());
    assertEquals(206, mid.response().sdkHttpResponse().statusCode());
    assertEquals("bytes 2-5/20", mid.response().contentRange());
    assertEquals(4L, mid.response().contentLength());
    assertEquals("ghij", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("range.txt").range("bytes=-4")).asUtf8String());
    assertEquals("fghij", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("range.txt").range("bytes=15-")).asUtf8String());
    s3Error(416, "InvalidRange", () -> s3.getObject(b -> b.bucket(BUCKET).key("range.txt").range("bytes=20-30")));
  }

  @Test
  void severalRangesGetTheWholeObject() {
    put("ranges.txt", "0123456789");
    ResponseBytes<GetObjectResponse> all = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("ranges.txt").range("bytes=0-1,4-5"));
    assertEquals("0123456789", all.asUtf8String());
    assertEquals(200, all.response().sdkHttpResponse().statusCode());
  }

  /** A resumed download of a complete file asks for the bytes after its end: S3 answers 416, not the whole object. */
  @Test
  void anOpenRangeFromTheEndIsUnsatisfiable() {
    put("range-end.txt", "0123456789");
    s3Error(416, "InvalidRange", () -> s3.getObject(b -> b.bucket(BUCKET).key("range-end.txt").range("bytes=10-")));
  }

  @Test
  void conditionalGets() {
    String etag = put("cond.txt", "conditional").eTag();
    Instant modified = s3.headObject(b -> b.bucket(BUCKET).key("cond.txt")).lastModified();
    assertEquals("conditional", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("cond.txt").ifMatch(etag)).asUtf8String());
    s3Error(304, null, () -> s3.getObject(b -> b.bucket(BUCKET).key("cond.txt").ifNoneMatch(etag)));
    s3Error(412, "PreconditionFailed", () -> s3.getObject(b -> b.bucket(BUCKET).key("cond.txt").ifMatch("\"nope\"")));
    s3Error(304, null, () -> s3.getObject(b -> b.bucket(BUCKET).key("cond.txt").ifModifiedSince(modified.plusSeconds(60))));
    s3Error(412, "PreconditionFailed",
        () -> s3.getObject(b -> b.bucket(BUCKET).key("cond.txt").ifUnmodifiedSince(modified.minusSeconds(3600))));
    assertEquals("conditional", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("cond.txt")
        .ifModifiedSince(modified.minusSeconds(3600))).asUtf8String());
  }

  @Test
  void oddKeysRoundTripAndListInUtf8Order() {
    List<String> keys = List.of("odd/a b.txt", "odd/plus+sign", "odd/100%", "odd/pct%2Fliteral",
        "odd/\u00e9t\u00e9/\u65e5\u672c\u8a9e.txt", "odd/\uFF61halfwidth", "odd/\uD83D\uDE00emoji", "odd/tilde~",
        "odd/q?x=1&y", "odd/trailing/");
    List<String> refused = new ArrayList<>();
    for (String k : keys) {
      try {
        put(k, "body of " + k);
      } catch (S3Exception e) {
        refused.add(k + " -> " + e.awsErrorDetails().errorCode());
      }
    }
    assertEquals(List.of(), refused, "keys the SDK could not store");
    for (String k : keys) assertEquals("body of " + k, get(k), k);
    List<String> listed = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("odd/")).contents().stream().map(S3Object::key).toList();
    List<String> expected = new ArrayList<>(keys);
    expected.sort((a, b) -> java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
    assertEquals(expected, listed, "U+FF61 sorts before U+1F600 in UTF-8 order");
  }

  /**
   * The SDK signs the key's path with "//" but sends "/%2F" on the wire (so that no proxy collapses it); S3
   * checks the signature against the decoded path, so both forms must verify.
   */
  @Test
  void keysWithDoubleSlashes() {
    for (String k : List.of("dbl//slash", "dbl//", "//dbl")) {
      put(k, "body of " + k);
      assertEquals("body of " + k, get(k), k);
    }
  }

  @Test
  void listingWithPrefixDelimiterAndPages() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 25; i++) keys.add(String.format("page/%02d.txt", i));
    for (String k : keys) put(k, k);
    put("page/sub/one", "x");
    put("page/sub/two", "x");
    put("page/zz/three", "x");

    ListObjectsV2Response folders = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("page/").delimiter("/"));
    assertEquals(List.of("page/sub/", "page/zz/"), folders.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
    assertEquals(keys, folders.contents().stream().map(S3Object::key).toList());
    assertEquals(27, folders.keyCount());

    List<String> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String token = null;
    for (int page = 0; page < 10; page++) {
      String t = token;
      ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("page/").delimiter("/").maxKeys(7)
          .continuationToken(t));
      r.contents().forEach(o -> seen.add(o.key()));
      r.commonPrefixes().forEach(p -> seen.add(p.prefix()));
      pageSizes.add(r.keyCount());
      if (!r.isTruncated()) break;
      token = r.nextContinuationToken();
    }
    assertEquals(List.of(7, 7, 7, 6), pageSizes);
    List<String> all = new ArrayList<>(keys);
    all.addAll(List.of("page/sub/", "page/zz/"));
    assertEquals(all, seen);

    ListObjectsV2Response after = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("page/").startAfter("page/22.txt"));
    assertEquals(List.of("page/23.txt", "page/24.txt", "page/sub/one", "page/sub/two", "page/zz/three"),
        after.contents().stream().map(S3Object::key).toList());
    assertFalse(after.isTruncated());
  }

  @Test
  void largeObjectStreamsFromAnInputStream() throws Exception {
    long size = 20L * 1024 * 1024 + 12_345;
    try (InputStream in = new PatternStream(size)) {
      s3.putObject(b -> b.bucket(BUCKET).key("large/20MiB.bin"), RequestBody.fromInputStream(in, size));
    }
    MessageDigest received = MessageDigest.getInstance("SHA-256");
    long n = 0;
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(BUCKET).key("large/20MiB.bin"))) {
      byte[] buf = new byte[64 * 1024];
      for (int r; (r = in.read(buf)) > 0; n += r) received.update(buf, 0, r);
      assertEquals(size, in.response().contentLength());
    }
    assertEquals(size, n);
    assertArrayEquals(sha256(new PatternStream(size)), received.digest(), "sha256 of what was read back");
  }

  /** Header values as HTTP servers write them themselves: they verify whatever the server's parser makes of them. */
  @Test
  void canonicalHeaderValuesVerify() throws Exception {
    assertEquals(List.of(), refusedHeaders(List.of("application/json", "multipart/form-data; boundary=xyz",
        "text/plain; charset=UTF-8", "application/x-custom"), List.of("\"a\", ", "W/"), List.of("bytes=1-2")));
  }

  /**
   * SigV4 signs header values as the client sent them. These are values an HTTP server models and re-renders
   * (list separators, charset and media type case), so a server that verifies its re-rendering rejects them.
   */
  @Test
  void signedHeaderValuesAreVerifiedAsSent() throws Exception {
    assertEquals(List.of(), refusedHeaders(List.of("text/plain;charset=utf-8", "text/plain; charset=utf-8"),
        List.of("\"a\","), List.of("bytes=0-1,4-5")));
  }

  @Test
  @Disabled("known limitation: Pekko lowercases the media type before SigV4 sees it, so a signed mixed-case"
      + " Content-Type such as 'Application/XML' fails with SignatureDoesNotMatch")
  void mixedCaseMediaTypesVerify() throws Exception {
    assertEquals(List.of(), refusedHeaders(List.of("Application/XML"), List.of(), List.of()));
  }

  /** Sends each value in a signed request and returns those the server refused, with its error code. */
  private List<String> refusedHeaders(List<String> contentTypes, List<String> ifNoneMatchPrefixes, List<String> ranges)
      throws Exception {
    List<String> refused = new ArrayList<>();
    for (String type : contentTypes) {
      try {
        s3.putObject(b -> b.bucket(BUCKET).key("ctype").contentType(type), RequestBody.fromString("x"));
        String stored = s3.headObject(b -> b.bucket(BUCKET).key("ctype")).contentType();
        // Known limitation: Pekko normalises parameters ("; charset=UTF-8"); the value is kept as the client
        // spelled it only when the client signed it. The media type itself must survive.
        if (!type.replace(" ", "").equalsIgnoreCase(stored.replace(" ", ""))) {
          refused.add("Content-Type " + type + " stored as " + stored);
        }
      } catch (S3Exception e) {
        refused.add("Content-Type " + type + " -> " + e.awsErrorDetails().errorCode());
      }
    }
    String etag = put("hdr.txt", "headers").eTag();
    for (String prefix : ifNoneMatchPrefixes) {
      try (var in = s3.getObject(b -> b.bucket(BUCKET).key("hdr.txt").ifNoneMatch(prefix + etag))) {
        refused.add("If-None-Match " + prefix + etag + " -> 200, expected 304");
      } catch (S3Exception e) {
        if (e.statusCode() != 304) refused.add("If-None-Match " + prefix + etag + " -> " + e.awsErrorDetails().errorCode());
      }
    }
    for (String range : ranges) {
      try {
        s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("hdr.txt").range(range));
      } catch (S3Exception e) {
        refused.add("Range " + range + " -> " + e.awsErrorDetails().errorCode());
      }
    }
    return refused;
  }

  @Test
  void missingKeysAndBucketsHaveTheirCodes() {
    s3Error(404, "NoSuchKey", () -> s3.getObject(b -> b.bucket(BUCKET).key("no/such/key")));
    s3Error(404, "NoSuchBucket", () -> s3.getObject(b -> b.bucket("no-such-bucket-x").key("k")));
    s3Error(404, "NoSuchBucket", () -> s3.listObjectsV2(b -> b.bucket("no-such-bucket-x")));
    s3Error(404, "NoSuchBucket", () -> s3.putObject(b -> b.bucket("no-such-bucket-x").key("k"), RequestBody.fromString("x")));
  }

  static byte[] sha256(InputStream in) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[64 * 1024];
    for (int r; (r = in.read(buf)) > 0; ) d.update(buf, 0, r);
    return d.digest();
  }

  /** Deterministic pseudo-random bytes (xorshift): a large body that is never held in memory. */
  static final class PatternStream extends InputStream {
    private final long size;
    private long pos;
    private long state = 0x9E3779B97F4A7C15L;

    PatternStream(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= size) return -1;
      int n = (int) Math.min(len, size - pos);
      for (int i = 0; i < n; i++) {
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        b[off + i] = (byte) state;
      }
      pos += n;
      return n;
    }
  }
}
