package dev.meridian.server.it;

import static dev.meridian.server.it.S3ObjectsIT.s3Error;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.server.testing.MeridianTestCluster;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/** ListObjectVersions, DeleteObjects, CopyObject and UploadPartCopy through the AWS SDK v2. */
@ExtendWith(MeridianTestCluster.class)
class S3VersionsAndCopyIT {

  private static S3Client s3;

  @BeforeAll
  static void connect() {
    s3 = MeridianTestCluster.east().client();
  }

  @AfterAll
  static void closeClient() {
    if (s3 != null) s3.close();
  }

  private static void put(String bucket, String key, String body) {
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
  }

  private static String get(String bucket, String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
  }

  /**
   * Writes that arrive together at a bucket partition are decided, journaled and indexed as a group: many
   * clients writing and deleting their own keys at once, each key's writes in order, must leave every key
   * with exactly the history its writes made, unversioned (each overwrite replaces the null version, small
   * inline objects and chunked ones alike) and versioned (every version kept, the last one current).
   */
  @Test
  void concurrentWritesOfManyKeysKeepEachKeysHistory() throws Exception {
    String plain = "grouped-it-plain";
    String versioned = "grouped-it-versioned";
    s3.createBucket(b -> b.bucket(plain));
    s3.createBucket(b -> b.bucket(versioned));
    s3.putBucketVersioning(b -> b.bucket(versioned).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    int clients = 24;
    int keysPerClient = 2;
    int writesPerKey = 3;
    String large = "x".repeat(40 * 1024); // above the inline size: a chunked blob
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(pool.submit(() -> {
          for (int k = 0; k < keysPerClient; k++) {
            String key = "k" + client + "-" + k;
            for (int w = 1; w <= writesPerKey; w++) {
              String body = (client % 6 == 0 && w == 2 ? large : "") + key + "@" + w;
              put(plain, key, body);
              put(versioned, key, body);
            }
            if (client % 4 == 0) {
              s3.deleteObject(b -> b.bucket(plain).key(key));
              s3.deleteObject(b -> b.bucket(versioned).key(key));
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) f.get(5, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }
    List<String> plainVersions = new ArrayList<>();
    s3.listObjectVersionsPaginator(b -> b.bucket(plain)).versions().forEach(v -> {
      assertEquals("null", v.versionId(), v.toString());
      plainVersions.add(v.key());
    });
    Map<String, Long> versionsPerKey = new HashMap<>();
    s3.listObjectVersionsPaginator(b -> b.bucket(versioned)).versions()
        .forEach(v -> versionsPerKey.merge(v.key(), 1L, Long::sum));
    List<String> markers = new ArrayList<>();
    s3.listObjectVersionsPaginator(b -> b.bucket(versioned)).deleteMarkers().forEach(m -> markers.add(m.key()));
    List<String> expectLive = new ArrayList<>();
    List<String> expectDeleted = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      for (int k = 0; k < keysPerClient; k++) {
        String key = "k" + c + "-" + k;
        assertEquals(writesPerKey, versionsPerKey.getOrDefault(key, 0L), key + " keeps every version");
        if (c % 4 == 0) {
          expectDeleted.add(key);
          s3Error(404, "NoSuchKey", () -> get(plain, key));
          s3Error(404, "NoSuchKey", () -> get(versioned, key));
        } else {
          expectLive.add(key);
          assertEquals(key + "@" + writesPerKey, get(plain, key));
          assertEquals(key + "@" + writesPerKey, get(versioned, key));
        }
      }
    }
    assertEquals(expectLive.stream().sorted().toList(), plainVersions.stream().sorted().toList(),
        "one null version per live key, none for a deleted one");
    assertEquals(expectDeleted.stream().sorted().toList(), markers.stream().sorted().toList());
  }

  @Test
  void listObjectVersionsShowsEveryVersionAndDeleteMarkerNewestFirstPerKey() {
    String bucket = "versions-it-list";
    s3.createBucket(b -> b.bucket(bucket));
    s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    put(bucket, "a", "a1");
    put(bucket, "a", "a2");
    put(bucket, "b", "b1");
    s3.deleteObject(b -> b.bucket(bucket).key("b"));
    put(bucket, "c/d", "cd");

    ListObjectVersionsResponse all = s3.listObjectVersions(b -> b.bucket(bucket));
    List<String> versions = all.versions().stream().map(v -> v.key() + (v.isLatest() ? "*" : "")).toList();
    assertEquals(List.of("a*", "a", "b", "c/d*"), versions);
    assertEquals(List.of("b"), all.deleteMarkers().stream().map(DeleteMarkerEntry::key).toList());
    assertTrue(all.deleteMarkers().get(0).isLatest());
    assertFalse(all.isTruncated());

    ListObjectVersionsResponse folders = s3.listObjectVersions(b -> b.bucket(bucket).delimiter("/"));
    assertEquals(List.of("c/"), folders.commonPrefixes().stream().map(p -> p.prefix()).toList());

    // Paging two at a time visits every version exactly once, in order, across version-id markers.
    List<String> paged = new ArrayList<>();
    String keyMarker = null;
    String versionMarker = null;
    for (int page = 0; page < 10; page++) {
      String km = keyMarker;
      String vm = versionMarker;
      ListObjectVersionsResponse r = s3.listObjectVersions(b -> b.bucket(bucket).maxKeys(2).keyMarker(km).versionIdMarker(vm));
      r.versions().forEach(v -> paged.add(v.key() + "@" + v.versionId()));
      r.deleteMarkers().forEach(d -> paged.add(d.key() + "@" + d.versionId()));
      if (!r.isTruncated()) break;
      keyMarker = r.nextKeyMarker();
      versionMarker = r.nextVersionIdMarker();
    }
    List<String> expected = new ArrayList<>();
    all.versions().forEach(v -> expected.add(v.key() + "@" + v.versionId()));
    all.deleteMarkers().forEach(d -> expected.add(d.key() + "@" + d.versionId()));
    assertEquals(expected.stream().sorted().toList(), paged.stream().sorted().toList());
    assertEquals(expected.size(), paged.size());
  }

  @Test
  void deleteObjectsDeletesEachKeyAndReportsDeleteMarkers() {
    String bucket = "versions-it-batch";
    s3.createBucket(b -> b.bucket(bucket));
    for (int i = 0; i < 5; i++) put(bucket, "k" + i, "v" + i);
    var result = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(
        ObjectIdentifier.builder().key("k0").build(), ObjectIdentifier.builder().key("k1").build(),
        ObjectIdentifier.builder().key("missing").build())));
    assertEquals(List.of("k0", "k1", "missing"), result.deleted().stream().map(d -> d.key()).sorted().toList());
    assertTrue(result.errors().isEmpty());
    assertEquals(List.of("k2", "k3", "k4"), s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
        .map(o -> o.key()).toList());

    s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    var quiet = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.quiet(true).objects(
        ObjectIdentifier.builder().key("k2").build())));
    assertTrue(quiet.deleted().isEmpty());
    var loud = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(ObjectIdentifier.builder().key("k3").build())));
    assertTrue(loud.deleted().get(0).deleteMarker());
    assertNotEquals(null, loud.deleted().get(0).deleteMarkerVersionId());
    s3Error(404, "NoSuchKey", () -> s3.getObject(b -> b.bucket(bucket).key("k3")));
  }

  @Test
  void copyObjectCopiesBytesAndMetadataOrReplacesThem() {
    String bucket = "copy-it-src";
    String other = "copy-it-dst";
    s3.createBucket(b -> b.bucket(bucket));
    s3.createBucket(b -> b.bucket(other));
    s3.putObject(b -> b.bucket(bucket).key("src").contentType("text/plain").metadata(Map.of("color", "blue")),
        RequestBody.fromString("copy me"));

    var copied = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("src").destinationBucket(other).destinationKey("dst"));
    assertEquals(s3.headObject(b -> b.bucket(bucket).key("src")).eTag(), copied.copyObjectResult().eTag());
    assertEquals("copy me", get(other, "dst"));
    var head = s3.headObject(b -> b.bucket(other).key("dst"));
    assertEquals("blue", head.metadata().get("color"));
    assertEquals("text/plain", head.contentType());

    s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("src").destinationBucket(bucket).destinationKey("src")
        .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("color", "red")).contentType("text/x-red"));
    var replaced = s3.headObject(b -> b.bucket(bucket).key("src"));
    assertEquals("red", replaced.metadata().get("color"));
    assertEquals("text/x-red", replaced.contentType());

    s3Error(400, "InvalidRequest", () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("src")
        .destinationBucket(bucket).destinationKey("src")));
    s3Error(404, "NoSuchKey", () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("nope")
        .destinationBucket(other).destinationKey("x")));
    s3Error(412, "PreconditionFailed", () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("src")
        .destinationBucket(other).destinationKey("y").copySourceIfMatch("\"not-the-etag\"")));
  }

  @Test
  void uploadPartCopyBuildsAnObjectFromRangesOfAnother() {
    String bucket = "copy-it-parts";
    s3.createBucket(b -> b.bucket(bucket));
    byte[] data = new byte[6 * 1024 * 1024 + 123];
    new Random(7).nextBytes(data);
    s3.putObject(b -> b.bucket(bucket).key("big"), RequestBody.fromBytes(data));
    String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("joined")).uploadId();
    int split = 5 * 1024 * 1024;
    var p1 = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("big").destinationBucket(bucket)
        .destinationKey("joined").uploadId(uploadId).partNumber(1).copySourceRange("bytes=0-" + (split - 1)));
    var p2 = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("big").destinationBucket(bucket)
        .destinationKey("joined").uploadId(uploadId).partNumber(2).copySourceRange("bytes=" + split + "-" + (data.length - 1)));
    s3.completeMultipartUpload(b -> b.bucket(bucket).key("joined").uploadId(uploadId).multipartUpload(m -> m.parts(
        CompletedPart.builder().partNumber(1).eTag(p1.copyPartResult().eTag()).build(),
        CompletedPart.builder().partNumber(2).eTag(p2.copyPartResult().eTag()).build())));
    assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("joined")).asByteArray());
    assertTrue(s3.headObject(b -> b.bucket(bucket).key("joined")).eTag().endsWith("-2\""));

    // GetObject / HeadObject by part number: the bytes of that part, and the number of parts.
    var second = s3.getObjectAsBytes(b -> b.bucket(bucket).key("joined").partNumber(2));
    assertArrayEquals(java.util.Arrays.copyOfRange(data, split, data.length), second.asByteArray());
    assertEquals(2, second.response().partsCount());
    assertEquals("bytes " + split + "-" + (data.length - 1) + "/" + data.length, second.response().contentRange());
    var head = s3.headObject(b -> b.bucket(bucket).key("joined").partNumber(1));
    assertEquals(split, head.contentLength());
    assertEquals(2, head.partsCount());
    s3Error(416, "InvalidPartNumber", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("joined").partNumber(3)));
    // An object not uploaded in parts is its own part 1.
    assertEquals(data.length, s3.getObjectAsBytes(b -> b.bucket(bucket).key("big").partNumber(1)).asByteArray().length);
    s3Error(416, "InvalidPartNumber", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("big").partNumber(2)));
  }
}
