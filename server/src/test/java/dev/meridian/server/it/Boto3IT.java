package dev.meridian.server.it;

import static dev.meridian.server.testing.FileDigests.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.server.it.S3ObjectsIT.PatternStream;
import dev.meridian.server.testing.ClientProcess;
import dev.meridian.server.testing.MeridianTestCluster;
import dev.meridian.server.testing.MeridianTestNode;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * boto3 (Debian's python3-boto3, run by /usr/bin/python3) against the us-east-1 endpoint. Each test runs one
 * scenario of {@code clients/boto3_s3.py}, which prints what boto3 saw as JSON; the assertions are here, so a
 * failure names the value that differs from what AWS S3 gives.
 */
@ExtendWith(MeridianTestCluster.class)
class Boto3IT {

  private static final String PYTHON = "/usr/bin/python3";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static MeridianTestNode node;
  private static Path script;

  @TempDir
  Path dir;
  private ClientProcess python;

  @BeforeAll
  static void requireBoto3() throws URISyntaxException {
    ClientProcess.requireExecutable(PYTHON, "python3");
    node = MeridianTestCluster.east();
    script = Path.of(Boto3IT.class.getResource("/clients/boto3_s3.py").toURI());
  }

  @BeforeEach
  void client() throws Exception {
    python = new ClientProcess(dir).env("MERIDIAN_ENDPOINT", node.endpoint().toString())
        .env("MERIDIAN_ACCESS_KEY", node.accessKey()).env("MERIDIAN_SECRET_KEY", node.secretKey());
    ClientProcess.Run probe = python.run(PYTHON, "-c", "import boto3; print(boto3.__version__)");
    assertEquals(0, probe.exit(), () -> "boto3 is missing: install Debian's python3-boto3 (bin/test-tools does)\n" + probe);
  }

  private JsonNode scenario(String name, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString(), name));
    cmd.addAll(List.of(args));
    ClientProcess.Run r = python.ok(cmd);
    String last = r.out().strip().lines().reduce((a, b) -> b).orElse("");
    return JSON.readTree(last);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.isNull() ? null : n.asText()));
    return out;
  }

  private static void assertError(String code, int status, JsonNode error) {
    assertEquals(code, error.path("code").asText(), error.toString());
    assertEquals(status, error.path("status").asInt(), error.toString());
  }

  @Test
  void bucketsAreCreatedInTheRegionAskedForAndListed() throws Exception {
    JsonNode r = scenario("buckets", "boto3-east", "boto3-west");
    assertTrue(r.path("locations").path("boto3-east").isNull(), "us-east-1 is an empty LocationConstraint: " + r);
    assertEquals("us-west-2", r.path("locations").path("boto3-west").asText());
    assertEquals("us-east-1", r.path("headRegions").path("boto3-east").asText());
    assertEquals("us-west-2", r.path("headRegions").path("boto3-west").asText());
    assertTrue(strings(r.path("listed")).containsAll(List.of("boto3-east", "boto3-west")), r.toString());
    assertEquals(0, r.path("westObjects").asInt());
    assertError("BucketAlreadyOwnedByYou", 409, r.path("createAgain"));
    assertEquals("kept in us-west-2", r.path("westRead").asText());
    assertError("BucketNotEmpty", 409, r.path("deleteNotEmpty"));
    assertError("404", 404, r.path("headDeleted")); // HEAD has no body: boto3 reports the status as the code
    assertError("NoSuchBucket", 404, r.path("listDeleted"));
    assertError("NoSuchBucket", 404, r.path("putInDeleted"));
    assertFalse(strings(r.path("listedAfter")).contains("boto3-east"));
    assertFalse(strings(r.path("listedAfter")).contains("boto3-west"));
  }

  @Test
  void objectsKeepBytesMetadataAndAnswerConditionsCopiesAndPresignedGets() throws Exception {
    JsonNode r = scenario("objects", "boto3-objects");
    String etag = "\"" + r.path("md5").asText() + "\"";
    assertEquals(etag, r.path("putETag").asText());
    assertEquals(r.path("sentSha256").asText(), r.path("bodySha256").asText(), "GetObject returns the bytes put");
    JsonNode get = r.path("get");
    assertEquals(etag, get.path("ETag").asText());
    assertEquals("text/plain; charset=utf-8", get.path("ContentType").asText(), "Content-Type exactly as sent");
    assertEquals(1900, get.path("ContentLength").asInt());
    assertEquals(Map.of("color", "blue", "owner-name", "meridian"), JSON.convertValue(get.path("Metadata"), Map.class));
    assertEquals("max-age=60", get.path("CacheControl").asText());
    assertEquals("attachment; filename=\"menu.txt\"", get.path("ContentDisposition").asText());
    assertEquals(get.path("Metadata"), r.path("head").path("Metadata"));
    assertEquals("text/plain; charset=utf-8", r.path("head").path("ContentType").asText());
    assertEquals(1900, r.path("head").path("ContentLength").asInt());
    assertEquals("caf\u00e9", r.path("range").asText(), "bytes=0-4");

    assertError("304", 304, r.path("ifNoneMatch"));
    assertError("304", 304, r.path("headIfNoneMatch"));
    assertError("PreconditionFailed", 412, r.path("ifMatchWrong"));
    assertEquals(1900, r.path("ifMatchRight").asInt());
    assertError("NoSuchKey", 404, r.path("noSuchKey"));
    assertError("404", 404, r.path("headNoSuchKey"));

    String sha = r.path("sentSha256").asText();
    assertEquals(sha, r.path("same-meta").path("sha256").asText());
    assertEquals("text/plain; charset=utf-8", r.path("same-meta").path("ContentType").asText(), "COPY keeps metadata");
    assertEquals("blue", r.path("same-meta").path("Metadata").path("color").asText());
    assertEquals(sha, r.path("new-meta").path("sha256").asText());
    assertEquals("application/x-menu", r.path("new-meta").path("ContentType").asText(), "REPLACE takes the request's");
    assertEquals(Map.of("copied", "yes"), JSON.convertValue(r.path("new-meta").path("Metadata"), Map.class));

    assertEquals(200, r.path("presigned").path("status").asInt());
    assertEquals(sha, r.path("presigned").path("sha256").asText(), "a presigned GET fetched with urllib");
    assertEquals("text/plain; charset=utf-8", r.path("presigned").path("contentType").asText());
    assertEquals(403, r.path("presignedTampered").asInt(), "a tampered signature is refused");

    // S3 reports a key that did not exist as deleted too.
    assertEquals(List.of("tmp/0", "tmp/1", "tmp/2", "tmp/never-existed"), strings(r.path("deleted")));
    assertEquals(0, r.path("deleteErrors").size(), r.path("deleteErrors").toString());
    assertEquals(List.of("copies/new-meta.txt", "copies/same-meta.txt", "docs/caf\u00e9 menu.txt"),
        strings(r.path("remaining")));
  }

  /** upload_file and download_file with 5 MiB parts: a three-part multipart upload and ranged downloads. */
  @Test
  void transferManagerRoundTripsAMultipartFileByteForByte() throws Exception {
    long size = 12L * 1024 * 1024 + 12_345;
    Path local = dir.resolve("upload.bin");
    try (InputStream in = new PatternStream(size)) {
      Files.copy(in, local);
    }
    Path downloaded = dir.resolve("download.bin");
    JsonNode r = scenario("transfer", "boto3-transfer", local.toString(), downloaded.toString());
    assertTrue(r.path("ETag").asText().matches("\"[0-9a-f]{32}-3\""), "a three-part ETag: " + r);
    assertEquals(size, r.path("ContentLength").asLong());
    assertEquals("multipart", r.path("Metadata").path("kind").asText());
    assertEquals(0, r.path("uploadsLeft").asInt(), "no upload left in progress");
    assertEquals(size, Files.size(downloaded));
    assertEquals(sha256(local), sha256(downloaded), "sha256 of the downloaded file");
  }

  @Test
  void listingsHonourPrefixDelimiterAndPages() throws Exception {
    JsonNode r = scenario("listing", "boto3-listing");
    assertEquals(List.of("a.txt", "e.txt"), strings(r.path("top").path("keys")));
    assertEquals(List.of("b/", "d/", "sp ace/"), strings(r.path("top").path("prefixes")));
    assertEquals(5, r.path("top").path("KeyCount").asInt());
    assertEquals(List.of("b/1.txt", "b/2.txt"), strings(r.path("underB").path("keys")));
    assertEquals(List.of("b/c/"), strings(r.path("underB").path("prefixes")));
    assertEquals(15, r.path("sizes").path("sp ace/\u00fcml.txt").asInt(), "UTF-8 bytes of the key as the body");
    List<String> all = List.of("a.txt", "b/1.txt", "b/2.txt", "b/c/3.txt", "d/4.txt", "e.txt", "sp ace/\u00fcml.txt");
    assertEquals(List.of(all.subList(0, 2), all.subList(2, 4), all.subList(4, 6), all.subList(6, 7)),
        pages(r.path("pagesV2")), "list_objects_v2 paginator, 2 per page");
    assertEquals(List.of(all.subList(0, 3), all.subList(3, 6), all.subList(6, 7)), pages(r.path("pagesV1")),
        "list_objects paginator, 3 per page");
    // A common prefix counts as one entry and is never repeated on the next page.
    assertEquals(List.of(List.of("a.txt", "b/"), List.of("e.txt", "d/"), List.of("sp ace/")),
        pages(r.path("pagesDelimited")), "delimited paginator, 2 per page");
    assertEquals(List.of("d/4.txt", "e.txt", "sp ace/\u00fcml.txt"), strings(r.path("startAfter")));
  }

  @Test
  void versionsDeleteMarkersAndReadsByVersionId() throws Exception {
    JsonNode r = scenario("versions", "boto3-versions");
    assertTrue(r.path("before").isNull(), "a new bucket has no versioning status");
    assertEquals("Enabled", r.path("status").asText());
    List<String> ids = strings(r.path("putIds"));
    assertEquals(3, ids.stream().distinct().count(), ids.toString());
    JsonNode listed = r.path("listed");
    List<String> listedIds = new ArrayList<>();
    listed.forEach(v -> listedIds.add(v.path("VersionId").asText()));
    assertEquals(List.of(ids.get(2), ids.get(1), ids.get(0)), listedIds, "newest first");
    assertTrue(listed.get(0).path("IsLatest").asBoolean());
    assertFalse(listed.get(1).path("IsLatest").asBoolean());
    assertEquals(9, listed.get(2).path("Size").asInt());
    assertEquals(List.of("version 1", "version 2", "version 3"), strings(r.path("byId")));
    assertEquals(ids.get(0), r.path("headById").asText());

    assertTrue(r.path("marker").path("DeleteMarker").asBoolean());
    String marker = r.path("marker").path("VersionId").asText();
    assertFalse(ids.contains(marker));
    assertError("NoSuchKey", 404, r.path("getAfterMarker"));
    assertEquals("version 2", r.path("oldStillThere").asText());
    assertEquals(1, r.path("markers").size());
    assertEquals(marker, r.path("markers").get(0).path("VersionId").asText());
    assertTrue(r.path("markers").get(0).path("IsLatest").asBoolean());
    assertEquals(List.of(ids.get(2), ids.get(1), ids.get(0)), strings(r.path("versionsAfterMarker")));
    assertEquals(0, r.path("listV2AfterMarker").asInt(), "a deleted key is not listed");
    assertEquals("version 3", r.path("afterMarkerRemoved").asText(), "removing the marker brings the key back");
    assertEquals("version 2", r.path("afterLatestRemoved").asText(), "removing the latest version promotes the previous");
    assertError("NoSuchVersion", 404, r.path("noSuchVersion"));
    assertEquals(List.of(ids.get(1), ids.get(0)), strings(r.path("finalIds")));
    assertEquals(ids.subList(0, 2).stream().sorted().toList(), strings(r.path("batchDeletedIds")));
    assertTrue(r.path("emptyAtEnd").asBoolean());
  }

  private static List<List<String>> pages(JsonNode pages) {
    List<List<String>> out = new ArrayList<>();
    pages.forEach(p -> out.add(strings(p)));
    return out;
  }
}
