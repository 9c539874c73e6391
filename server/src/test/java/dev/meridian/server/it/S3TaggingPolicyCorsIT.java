package dev.meridian.server.it;

import static dev.meridian.server.it.S3ObjectsIT.s3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.server.testing.Await;
import dev.meridian.server.testing.MeridianTestCluster;
import dev.meridian.server.testing.TestIam;
import dev.meridian.server.testing.MeridianTestNode;
import dev.meridian.server.testing.SignedHttp;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;
import software.amazon.awssdk.services.s3.model.Type;

/** Object and bucket tagging, bucket policies, ACLs and CORS (with browser preflights), through real clients. */
@ExtendWith(MeridianTestCluster.class)
class S3TaggingPolicyCorsIT {

  private static MeridianTestNode node;
  private static S3Client s3;

  @BeforeAll
  static void connect() {
    node = MeridianTestCluster.east();
    s3 = node.client();
    TestIam.permissiveReplicationRole(node);
  }

  @AfterAll
  static void closeClient() {
    if (s3 != null) s3.close();
  }

  private static Map<String, String> tagsOf(List<Tag> tags) {
    Map<String, String> out = new TreeMap<>();
    tags.forEach(t -> out.put(t.key(), t.value()));
    return out;
  }

  private static Map<String, String> objectTags(String bucket, String key, String versionId) {
    return tagsOf(s3.getObjectTagging(b -> b.bucket(bucket).key(key).versionId(versionId)).tagSet());
  }

  @Test
  void objectTagsArePerVersionAndFollowCopies() {
    String bucket = "tagging-it-objects";
    s3.createBucket(b -> b.bucket(bucket));
    s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));

    String v1 = s3.putObject(b -> b.bucket(bucket).key("k").tagging("team=blue&cost center=42"),
        RequestBody.fromString("one")).versionId();
    assertEquals(Map.of("team", "blue", "cost center", "42"), objectTags(bucket, "k", null));
    assertEquals(2, s3.headObject(b -> b.bucket(bucket).key("k")).tagCount());

    String v2 = s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("two")).versionId();
    assertEquals(Map.of(), objectTags(bucket, "k", null), "a new version starts untagged");
    assertNull(s3.headObject(b -> b.bucket(bucket).key("k")).tagCount());

    var put = s3.putObjectTagging(b -> b.bucket(bucket).key("k").versionId(v1)
        .tagging(t -> t.tagSet(Tag.builder().key("state").value("archived").build())));
    assertEquals(v1, put.versionId());
    assertEquals(Map.of("state", "archived"), objectTags(bucket, "k", v1));
    assertEquals(Map.of(), objectTags(bucket, "k", v2), "other versions keep their tags");
    assertEquals("one", s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId(v1)).asUtf8String(),
        "tagging does not touch the bytes");

    s3.putObjectTagging(b -> b.bucket(bucket).key("k").tagging(t -> t.tagSet(Tag.builder().key("x").value("y").build())));
    assertEquals(Map.of("x", "y"), objectTags(bucket, "k", v2), "no versionId: the current version");
    assertEquals(v2, s3.deleteObjectTagging(b -> b.bucket(bucket).key("k")).versionId());
    assertEquals(Map.of(), objectTags(bucket, "k", v2));

    // CopyObject copies the source's tags unless told to replace them.
    s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("k").sourceVersionId(v1).destinationBucket(bucket).destinationKey("c1"));
    assertEquals(Map.of("state", "archived"), objectTags(bucket, "c1", null));
    s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("k").sourceVersionId(v1).destinationBucket(bucket).destinationKey("c2")
        .taggingDirective(TaggingDirective.REPLACE).tagging("fresh=yes"));
    assertEquals(Map.of("fresh", "yes"), objectTags(bucket, "c2", null));

    // Multipart uploads take their tags at creation.
    String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp").tagging("kind=multipart")).uploadId();
    var part = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(uploadId).partNumber(1), RequestBody.fromString("p"));
    s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(uploadId)
        .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(part.eTag()))));
    assertEquals(Map.of("kind", "multipart"), objectTags(bucket, "mp", null));
  }

  @Test
  void taggingErrorsAreS3s() {
    String bucket = "tagging-it-errors";
    s3.createBucket(b -> b.bucket(bucket));
    s3Error(404, "NoSuchKey", () -> s3.getObjectTagging(b -> b.bucket(bucket).key("missing")));
    s3Error(404, "NoSuchKey", () -> s3.putObjectTagging(b -> b.bucket(bucket).key("missing")
        .tagging(t -> t.tagSet(Tag.builder().key("a").value("b").build()))));
    s3Error(400, "InvalidTag", () -> s3.putObject(b -> b.bucket(bucket).key("k").tagging("aws:x=1"), RequestBody.fromString("x")));
    s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("x"));
    List<Tag> eleven = new java.util.ArrayList<>();
    for (int i = 0; i < 11; i++) eleven.add(Tag.builder().key("k" + i).value("v").build());
    s3Error(400, "BadRequest", () -> s3.putObjectTagging(b -> b.bucket(bucket).key("k").tagging(t -> t.tagSet(eleven))));
    s3Error(400, "InvalidTag", () -> s3.putObjectTagging(b -> b.bucket(bucket).key("k").tagging(t -> t.tagSet(
        Tag.builder().key("dup").value("1").build(), Tag.builder().key("dup").value("2").build()))));
    assertEquals(Map.of(), objectTags(bucket, "k", null), "a refused tag set changes nothing");
  }

  @Test
  void bucketTagsAndPolicyAreStoredAndReturned() {
    String bucket = "tagging-it-bucket";
    s3.createBucket(b -> b.bucket(bucket));
    s3Error(404, "NoSuchTagSet", () -> s3.getBucketTagging(b -> b.bucket(bucket)));
    s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(Tag.builder().key("env").value("prod").build(),
        Tag.builder().key("owner").value("data team").build())));
    assertEquals(Map.of("env", "prod", "owner", "data team"), tagsOf(s3.getBucketTagging(b -> b.bucket(bucket)).tagSet()));
    s3.deleteBucketTagging(b -> b.bucket(bucket));
    s3Error(404, "NoSuchTagSet", () -> s3.getBucketTagging(b -> b.bucket(bucket)));

    s3Error(404, "NoSuchBucketPolicy", () -> s3.getBucketPolicy(b -> b.bucket(bucket)));
    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"read\",\"Effect\":\"Allow\",\"Principal\":\"*\","
        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::" + bucket + "/*\"}]}";
    s3.putBucketPolicy(b -> b.bucket(bucket).policy(policy));
    assertEquals(policy, s3.getBucketPolicy(b -> b.bucket(bucket)).policy());
    s3Error(400, "MalformedPolicy", () -> s3.putBucketPolicy(b -> b.bucket(bucket).policy("not json")));
    assertEquals(policy, s3.getBucketPolicy(b -> b.bucket(bucket)).policy(), "a refused policy changes nothing");
    s3.deleteBucketPolicy(b -> b.bucket(bucket));
    s3Error(404, "NoSuchBucketPolicy", () -> s3.getBucketPolicy(b -> b.bucket(bucket)));
    s3Error(404, "NoSuchBucket", () -> s3.getBucketTagging(b -> b.bucket("tagging-it-no-such-bucket")));
  }

  @Test
  void corsRulesAnswerBrowserPreflightsAndRequests() throws Exception {
    String bucket = "cors-it";
    s3.createBucket(b -> b.bucket(bucket));
    s3.putObject(b -> b.bucket(bucket).key("page.txt"), RequestBody.fromString("hello"));
    URI object = node.endpoint().resolve("/" + bucket + "/page.txt");

    HttpResponse<byte[]> none = preflight(object, "https://app.example.com", "GET", null);
    assertEquals(403, none.statusCode());
    assertTrue(body(none).contains("<Code>AccessForbidden</Code>"), body(none));
    s3Error(404, "NoSuchCORSConfiguration", () -> s3.getBucketCors(b -> b.bucket(bucket)));

    s3.putBucketCors(b -> b.bucket(bucket).corsConfiguration(c -> c.corsRules(
        CORSRule.builder().id("app").allowedOrigins("https://*.example.com").allowedMethods("GET", "PUT")
            .allowedHeaders("content-type", "x-amz-*").exposeHeaders("ETag").maxAgeSeconds(600).build(),
        CORSRule.builder().allowedOrigins("*").allowedMethods("GET").build())));
    List<CORSRule> back = s3.getBucketCors(b -> b.bucket(bucket)).corsRules();
    assertEquals(2, back.size());
    assertEquals("app", back.get(0).id());
    assertEquals(List.of("GET", "PUT"), back.get(0).allowedMethods());
    assertEquals(600, back.get(0).maxAgeSeconds());

    HttpResponse<byte[]> ok = preflight(object, "https://app.example.com", "PUT", "Content-Type, X-Amz-Meta-Color");
    assertEquals(200, ok.statusCode(), body(ok));
    assertEquals("https://app.example.com", header(ok, "Access-Control-Allow-Origin"));
    assertEquals("GET, PUT", header(ok, "Access-Control-Allow-Methods"));
    assertEquals("content-type, x-amz-meta-color", header(ok, "Access-Control-Allow-Headers"));
    assertEquals("600", header(ok, "Access-Control-Max-Age"));
    assertEquals("ETag", header(ok, "Access-Control-Expose-Headers"));

    HttpResponse<byte[]> anyone = preflight(object, "https://elsewhere.org", "GET", null);
    assertEquals(200, anyone.statusCode());
    assertEquals("*", header(anyone, "Access-Control-Allow-Origin"));
    assertEquals(403, preflight(object, "https://elsewhere.org", "PUT", null).statusCode());
    assertEquals(403, preflight(object, "https://app.example.com", "PUT", "Authorization").statusCode());
    HttpResponse<byte[]> noOrigin = SignedHttp.plain("OPTIONS", object, Map.of("Access-Control-Request-Method", List.of("GET")), null);
    assertEquals(400, noOrigin.statusCode());

    // An ordinary (signed) request from a browser gets the headers of the rule that allows it.
    HttpResponse<String> get = SignedHttp.send(node, "GET", "/" + bucket + "/page.txt", null, null,
        "Origin", "https://app.example.com");
    assertEquals(200, get.statusCode());
    assertEquals("https://app.example.com", get.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

    s3.deleteBucketCors(b -> b.bucket(bucket));
    assertEquals(403, preflight(object, "https://app.example.com", "GET", null).statusCode());
  }

  /** ACLs are disabled as in S3's default (bucket owner enforced): the owner has FULL_CONTROL, nothing else. */
  @Test
  void aclsAnswerTheOwnersFullControlAndRefuseGrants() {
    String bucket = "acl-it";
    s3.createBucket(b -> b.bucket(bucket));
    s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("x"));
    var acl = s3.getBucketAcl(b -> b.bucket(bucket));
    assertEquals(1, acl.grants().size());
    assertEquals(Permission.FULL_CONTROL, acl.grants().get(0).permission());
    assertEquals(Type.CANONICAL_USER, acl.grants().get(0).grantee().type());
    assertEquals(acl.owner().id(), acl.grants().get(0).grantee().id());
    var objectAcl = s3.getObjectAcl(b -> b.bucket(bucket).key("k"));
    assertEquals(Permission.FULL_CONTROL, objectAcl.grants().get(0).permission());

    s3.putBucketAcl(b -> b.bucket(bucket).acl(BucketCannedACL.PRIVATE));
    s3.putObjectAcl(b -> b.bucket(bucket).key("k").acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL));
    s3Error(400, "AccessControlListNotSupported", () -> s3.putBucketAcl(b -> b.bucket(bucket).acl(BucketCannedACL.PUBLIC_READ)));
    s3Error(400, "AccessControlListNotSupported", () -> s3.putObjectAcl(b -> b.bucket(bucket).key("k")
        .grantRead("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"")));
    s3Error(404, "NoSuchKey", () -> s3.getObjectAcl(b -> b.bucket(bucket).key("missing")));
  }

  /** A version's tags, changed after it replicated, reach its replica in the other region. */
  @Test
  void tagFiltersSelectWhatReplicatesAndTagChangesFollow() throws Exception {
    String source = "tagging-it-src";
    String destination = "tagging-it-dst";
    s3.createBucket(b -> b.bucket(source));
    s3.createBucket(b -> b.bucket(destination).createBucketConfiguration(c -> c.locationConstraint("us-west-2")));
    for (String bucket : List.of(source, destination)) {
      s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }
    s3.putBucketReplication(b -> b.bucket(source).replicationConfiguration(c -> c
        .role(TestIam.REPLICATION_ROLE_ARN)
        .rules(r -> r.id("tagged").priority(1).status("Enabled")
            .filter(f -> f.tag(Tag.builder().key("replicate").value("yes").build()))
            .deleteMarkerReplication(d -> d.status("Disabled"))
            .destination(d -> d.bucket("arn:aws:s3:::" + destination)))));

    String tagged = s3.putObject(b -> b.bucket(source).key("tagged").tagging("replicate=yes&color=red"),
        RequestBody.fromString("t")).versionId();
    s3.putObject(b -> b.bucket(source).key("plain"), RequestBody.fromString("p"));

    Await.until("tagged replicates", () -> "COMPLETED".equals(s3.headObject(b -> b.bucket(source).key("tagged")).replicationStatusAsString()));
    assertEquals(Map.of("replicate", "yes", "color", "red"), objectTags(destination, "tagged", tagged));
    assertNull(s3.headObject(b -> b.bucket(source).key("plain")).replicationStatus(), "no rule covers it");

    s3.putObjectTagging(b -> b.bucket(source).key("tagged").tagging(t -> t.tagSet(
        Tag.builder().key("replicate").value("yes").build(), Tag.builder().key("color").value("green").build())));
    Await.until("the tag change reaches the replica", () -> "green".equals(objectTags(destination, "tagged", tagged).get("color")));
    s3Error(404, "NoSuchKey", () -> s3.headObject(b -> b.bucket(destination).key("plain")));
  }

  private static HttpResponse<byte[]> preflight(URI uri, String origin, String method, String headers) throws Exception {
    Map<String, List<String>> h = new TreeMap<>();
    h.put("Origin", List.of(origin));
    h.put("Access-Control-Request-Method", List.of(method));
    if (headers != null) h.put("Access-Control-Request-Headers", List.of(headers));
    return SignedHttp.plain("OPTIONS", uri, h, null);
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  private static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
