package dev.meridian.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.server.testing.AwsCli;
import dev.meridian.server.testing.MeridianTestCluster;
import dev.meridian.server.testing.MeridianTestNode;
import dev.meridian.server.testing.SignedHttp;
import dev.meridian.server.testing.TestIam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * IAM users, access keys and policies, enforced: keys created through IAM authenticate S3 and IAM requests
 * on every node at once; a user may do what its policies or the bucket's policy allow and nothing else
 * (AccessDenied); an explicit Deny wins; the root credentials may do everything.
 */
@ExtendWith(MeridianTestCluster.class)
class IamIT {

  private static MeridianTestNode east;
  private static MeridianTestNode west;
  private static IamClient iam;
  private static S3Client root;

  @TempDir
  Path dir;

  @BeforeAll
  static void connect() {
    east = MeridianTestCluster.east();
    west = MeridianTestCluster.west();
    iam = TestIam.client(east);
    root = east.client();
  }

  @AfterAll
  static void close() {
    if (iam != null) iam.close();
    if (root != null) root.close();
  }

  private static AccessKey user(String name, String... policies) {
    iam.createUser(r -> r.userName(name));
    for (int i = 0; i < policies.length; i++) {
      int n = i;
      iam.putUserPolicy(r -> r.userName(name).policyName("p" + n).policyDocument(policies[n]));
    }
    return iam.createAccessKey(r -> r.userName(name)).accessKey();
  }

  private static S3Client s3(MeridianTestNode node, AccessKey key) {
    return node.client(MeridianTestNode.credentials(key.accessKeyId(), key.secretAccessKey()));
  }

  private static void denied(Executable call) {
    AwsServiceException e = assertThrows(AwsServiceException.class, call);
    assertEquals(403, e.statusCode(), e.toString());
    assertEquals("AccessDenied", e.awsErrorDetails().errorCode(), e.toString());
  }

  private static String policy(String... statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
  }

  @Test
  void aReadOnlyUserListsAndGetsButCannotPutOrDeleteWithTheCli() throws Exception {
    Assumptions.assumeTrue(AwsCli.installed(), "the aws command is not installed");
    root.createBucket(b -> b.bucket("iam-ro"));
    root.putObject(b -> b.bucket("iam-ro").key("report.txt"), RequestBody.fromString("numbers"));
    AwsCli admin = new AwsCli(east, dir);
    admin.ok("iam", "create-user", "--user-name", "reader");
    Files.writeString(dir.resolve("read-only.json"), policy(
        "{\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucket\",\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::iam-ro\",\"arn:aws:s3:::iam-ro/*\"]}"));
    admin.ok("iam", "put-user-policy", "--user-name", "reader", "--policy-name", "read-only",
        "--policy-document", "file://read-only.json");
    String created = admin.ok("iam", "create-access-key", "--user-name", "reader").out();
    AwsCli reader = new AwsCli(east, dir, field(created, "AccessKeyId"), field(created, "SecretAccessKey"));

    assertTrue(reader.ok("s3", "ls", "s3://iam-ro/").out().contains("report.txt"));
    reader.ok("s3", "cp", "s3://iam-ro/report.txt", "got.txt");
    assertEquals("numbers", Files.readString(dir.resolve("got.txt")));
    Path local = Files.writeString(dir.resolve("new.txt"), "new");
    assertTrue(reader.fails("s3", "cp", local.toString(), "s3://iam-ro/new.txt").err().contains("AccessDenied"));
    assertTrue(reader.fails("s3", "rm", "s3://iam-ro/report.txt").err().contains("AccessDenied"));
    assertTrue(reader.fails("s3api", "put-bucket-versioning", "--bucket", "iam-ro", "--versioning-configuration",
        "Status=Enabled").err().contains("AccessDenied"));
    assertTrue(reader.fails("s3", "ls").err().contains("AccessDenied"), "ListAllMyBuckets is not granted");
    assertTrue(reader.fails("iam", "list-users").err().contains("AccessDenied"), "nor is any IAM action");
    assertTrue(reader.ok("sts", "get-caller-identity").out().contains("arn:aws:iam::000000000000:user/reader"));
    assertTrue(admin.ok("s3", "ls", "s3://iam-ro/").out().contains("report.txt"), "the object is still there");
  }

  @Test
  void keysWorkOnEveryNodeAtOnceAndStopWhenDeletedOrInactive() {
    AccessKey key = user("everywhere", policy("{\"Effect\":\"Allow\",\"Action\":\"s3:ListAllMyBuckets\",\"Resource\":\"*\"}"));
    try (S3Client onWest = s3(west, key); S3Client onEast = s3(east, key)) {
      onWest.listBuckets();
      onEast.listBuckets();
      iam.updateAccessKey(r -> r.userName("everywhere").accessKeyId(key.accessKeyId()).status("Inactive"));
      S3Exception inactive = assertThrows(S3Exception.class, onEast::listBuckets);
      assertEquals("InvalidAccessKeyId", inactive.awsErrorDetails().errorCode());
      iam.updateAccessKey(r -> r.userName("everywhere").accessKeyId(key.accessKeyId()).status("Active"));
      onEast.listBuckets();
      iam.deleteAccessKey(r -> r.userName("everywhere").accessKeyId(key.accessKeyId()));
      S3Exception deleted = assertThrows(S3Exception.class, onEast::listBuckets);
      assertEquals(403, deleted.statusCode());
      assertEquals("InvalidAccessKeyId", deleted.awsErrorDetails().errorCode());
    }
  }

  @Test
  void aBucketPolicyGrantsAnotherUserAndItsDenyWins() {
    root.createBucket(b -> b.bucket("iam-shared"));
    root.putObject(b -> b.bucket("iam-shared").key("doc"), RequestBody.fromString("shared"));
    AccessKey bobKey = user("bob");
    String bobArn = iam.getUser(r -> r.userName("bob")).user().arn();
    assertEquals("arn:aws:iam::000000000000:user/bob", bobArn);
    try (S3Client bob = s3(east, bobKey)) {
      denied(() -> bob.getObjectAsBytes(b -> b.bucket("iam-shared").key("doc")));
      root.putBucketPolicy(b -> b.bucket("iam-shared").policy(policy(
          "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + bobArn + "\"},\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],"
              + "\"Resource\":[\"arn:aws:s3:::iam-shared\",\"arn:aws:s3:::iam-shared/*\"]}")));
      assertEquals("shared", bob.getObjectAsBytes(b -> b.bucket("iam-shared").key("doc")).asUtf8String());
      assertEquals(1, bob.listObjectsV2(b -> b.bucket("iam-shared")).keyCount());
      denied(() -> bob.putObject(b -> b.bucket("iam-shared").key("x"), RequestBody.fromString("x")));

      // An identity policy allowing everything does not beat the bucket's explicit Deny.
      iam.putUserPolicy(r -> r.userName("bob").policyName("all").policyDocument(policy(
          "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}")));
      bob.putObject(b -> b.bucket("iam-shared").key("x"), RequestBody.fromString("x"));
      root.putBucketPolicy(b -> b.bucket("iam-shared").policy(policy(
          "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:DeleteObject\",\"Resource\":\"arn:aws:s3:::iam-shared/*\"}")));
      denied(() -> bob.deleteObject(b -> b.bucket("iam-shared").key("doc")));
      var result = bob.deleteObjects(b -> b.bucket("iam-shared").delete(d -> d.objects(
          ObjectIdentifier.builder().key("doc").build(), ObjectIdentifier.builder().key("x").build())));
      assertEquals(List.of("AccessDenied", "AccessDenied"), result.errors().stream().map(e -> e.code()).toList());
      root.deleteObject(b -> b.bucket("iam-shared").key("x")); // the root is not bound by bucket policies
    }
  }

  @Test
  void aBucketPolicyForAnyoneOpensReadsToAnonymousRequests() throws Exception {
    root.createBucket(b -> b.bucket("iam-public"));
    root.putObject(b -> b.bucket("iam-public").key("pub/page.html"), RequestBody.fromString("<p>hi</p>"));
    root.putObject(b -> b.bucket("iam-public").key("private/x"), RequestBody.fromString("x"));
    java.net.URI page = java.net.URI.create(east.endpoint() + "/iam-public/pub/page.html");
    java.net.URI other = java.net.URI.create(east.endpoint() + "/iam-public/private/x");
    assertEquals(403, SignedHttp.plain("GET", page, java.util.Map.of(), null).statusCode(), "private by default");
    root.putBucketPolicy(b -> b.bucket("iam-public").policy(policy(
        "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::iam-public/pub/*\"}")));
    var got = SignedHttp.plain("GET", page, java.util.Map.of(), null);
    assertEquals(200, got.statusCode());
    assertEquals("<p>hi</p>", new String(got.body(), java.nio.charset.StandardCharsets.UTF_8));
    var refused = SignedHttp.plain("GET", other, java.util.Map.of(), null);
    assertEquals(403, refused.statusCode());
    assertEquals("AccessDenied", SignedHttp.element(new String(refused.body(), java.nio.charset.StandardCharsets.UTF_8), "Code"));
    assertEquals(403, SignedHttp.plain("PUT", page, java.util.Map.of(), "new".getBytes()).statusCode());

    // A condition on the object's own tags (s3:ExistingObjectTag) opens tagged objects only.
    root.putObject(b -> b.bucket("iam-public").key("tagged/yes").tagging("visibility=public"), RequestBody.fromString("y"));
    root.putObject(b -> b.bucket("iam-public").key("tagged/no").tagging("visibility=internal"), RequestBody.fromString("n"));
    root.putBucketPolicy(b -> b.bucket("iam-public").policy(policy(
        "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::iam-public/*\","
            + "\"Condition\":{\"StringEquals\":{\"s3:ExistingObjectTag/visibility\":\"public\"}}}")));
    assertEquals(200, SignedHttp.plain("GET", java.net.URI.create(east.endpoint() + "/iam-public/tagged/yes"),
        java.util.Map.of(), null).statusCode());
    assertEquals(403, SignedHttp.plain("GET", java.net.URI.create(east.endpoint() + "/iam-public/tagged/no"),
        java.util.Map.of(), null).statusCode());
    assertEquals(403, SignedHttp.plain("DELETE", page, java.util.Map.of(), null).statusCode());
  }

  @Test
  void anExplicitDenyInTheUsersPoliciesWins() {
    root.createBucket(b -> b.bucket("iam-deny"));
    AccessKey key = user("carol",
        policy("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}"),
        policy("{\"Effect\":\"Deny\",\"Action\":[\"s3:DeleteObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::iam-deny/locked/*\"}"));
    try (S3Client carol = s3(east, key)) {
      carol.putObject(b -> b.bucket("iam-deny").key("open/a"), RequestBody.fromString("a"));
      denied(() -> carol.putObject(b -> b.bucket("iam-deny").key("locked/a"), RequestBody.fromString("a")));
      carol.deleteObject(b -> b.bucket("iam-deny").key("open/a"));
      assertTrue(carol.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("iam-deny")));
      iam.deleteUserPolicy(r -> r.userName("carol").policyName("p1"));
      carol.putObject(b -> b.bucket("iam-deny").key("locked/a"), RequestBody.fromString("a"));
    }
  }

  @Test
  void iamAnswersAsIamDoes() {
    iam.createUser(r -> r.userName("Dave").path("/team/"));
    AwsServiceException exists = assertThrows(AwsServiceException.class, () -> iam.createUser(r -> r.userName("dave")));
    assertEquals("EntityAlreadyExists", exists.awsErrorDetails().errorCode(), "names are unique ignoring case");
    assertEquals("arn:aws:iam::000000000000:user/team/Dave", iam.getUser(r -> r.userName("dave")).user().arn());
    assertTrue(iam.listUsers(r -> r.pathPrefix("/team/")).users().stream().anyMatch(u -> u.userName().equals("Dave")));
    AwsServiceException missing = assertThrows(AwsServiceException.class, () -> iam.getUser(r -> r.userName("nobody")));
    assertEquals("NoSuchEntity", missing.awsErrorDetails().errorCode());
    assertEquals(404, missing.statusCode());
    AwsServiceException malformed = assertThrows(AwsServiceException.class, () -> iam.putUserPolicy(r -> r.userName("Dave")
        .policyName("bad").policyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\"}]}")));
    assertEquals("MalformedPolicyDocument", malformed.awsErrorDetails().errorCode());
    iam.createAccessKey(r -> r.userName("Dave"));
    iam.createAccessKey(r -> r.userName("Dave"));
    AwsServiceException quota = assertThrows(AwsServiceException.class, () -> iam.createAccessKey(r -> r.userName("Dave")));
    assertEquals("LimitExceeded", quota.awsErrorDetails().errorCode());
    AwsServiceException conflict = assertThrows(AwsServiceException.class, () -> iam.deleteUser(r -> r.userName("Dave")));
    assertEquals("DeleteConflict", conflict.awsErrorDetails().errorCode());
    for (var k : iam.listAccessKeys(r -> r.userName("Dave")).accessKeyMetadata()) {
      iam.deleteAccessKey(r -> r.userName("Dave").accessKeyId(k.accessKeyId()));
    }
    iam.deleteUser(r -> r.userName("Dave"));
    assertEquals("NoSuchEntity", assertThrows(AwsServiceException.class,
        () -> iam.getUser(r -> r.userName("Dave"))).awsErrorDetails().errorCode());
  }

  @Test
  void managedPoliciesAttachToUsersAndRolesAndRoleNamesIgnoreCase() {
    root.createBucket(b -> b.bucket("iam-managed"));
    root.putObject(b -> b.bucket("iam-managed").key("k"), RequestBody.fromString("v"));
    AccessKey key = user("frank");
    String readOnly = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
    iam.attachUserPolicy(r -> r.userName("frank").policyArn(readOnly));
    iam.attachUserPolicy(r -> r.userName("frank").policyArn(readOnly));
    assertEquals(List.of("AmazonS3ReadOnlyAccess"), iam.listAttachedUserPolicies(r -> r.userName("frank"))
        .attachedPolicies().stream().map(p -> p.policyName()).toList());
    assertEquals("NoSuchEntity", assertThrows(AwsServiceException.class, () -> iam.attachUserPolicy(r -> r.userName("frank")
        .policyArn("arn:aws:iam::aws:policy/NoSuchPolicy"))).awsErrorDetails().errorCode());
    try (S3Client frank = s3(east, key)) {
      assertEquals("v", frank.getObjectAsBytes(b -> b.bucket("iam-managed").key("k")).asUtf8String());
      denied(() -> frank.putObject(b -> b.bucket("iam-managed").key("k"), RequestBody.fromString("w")));
      iam.detachUserPolicy(r -> r.userName("frank").policyArn(readOnly));
      denied(() -> frank.getObjectAsBytes(b -> b.bucket("iam-managed").key("k")));
    }

    iam.createRole(r -> r.roleName("CaseRole").assumeRolePolicyDocument(TestIam.S3_TRUST));
    assertEquals("EntityAlreadyExists", assertThrows(AwsServiceException.class, () -> iam.createRole(r -> r
        .roleName("caserole").assumeRolePolicyDocument(TestIam.S3_TRUST))).awsErrorDetails().errorCode());
    iam.updateRole(r -> r.roleName("caserole").description("for tests").maxSessionDuration(43200));
    var role = iam.getRole(r -> r.roleName("CASEROLE")).role();
    assertEquals("CaseRole", role.roleName());
    assertEquals("for tests", role.description());
    assertEquals(43200, role.maxSessionDuration());
    iam.attachRolePolicy(r -> r.roleName("caserole").policyArn("arn:aws:iam::aws:policy/AmazonS3FullAccess"));
    assertEquals("DeleteConflict", assertThrows(AwsServiceException.class,
        () -> iam.deleteRole(r -> r.roleName("CaseRole"))).awsErrorDetails().errorCode());
    iam.detachRolePolicy(r -> r.roleName("CaseRole").policyArn("arn:aws:iam::aws:policy/AmazonS3FullAccess"));
    iam.deleteRole(r -> r.roleName("caseROLE"));
  }

  @Test
  void aUserMayManageIamOnlyAsItsPoliciesAllow() {
    AccessKey key = user("admin-of-erin", policy(
        "{\"Effect\":\"Allow\",\"Action\":[\"iam:GetUser\",\"iam:PutUserPolicy\",\"iam:GetUserPolicy\"],"
            + "\"Resource\":\"arn:aws:iam::000000000000:user/erin\"}"));
    iam.createUser(r -> r.userName("erin"));
    try (IamClient limited = TestIam.client(west.endpoint(), MeridianTestNode.credentials(key.accessKeyId(), key.secretAccessKey()))) {
      assertEquals("erin", limited.getUser(r -> r.userName("erin")).user().userName());
      limited.putUserPolicy(r -> r.userName("erin").policyName("p").policyDocument(policy(
          "{\"Effect\":\"Allow\",\"Action\":\"s3:ListAllMyBuckets\",\"Resource\":\"*\"}")));
      denied(() -> limited.getUser(r -> r.userName("bob")));
      denied(() -> limited.listUsers());
      denied(() -> limited.createUser(r -> r.userName("mallory")));
    }
  }

  /** A value from the CLI's JSON output ({@code "Name": "value"}). */
  private static String field(String json, String name) {
    int at = json.indexOf("\"" + name + "\": \"");
    assertTrue(at >= 0, json);
    int start = at + name.length() + 5;
    return json.substring(start, json.indexOf('"', start));
  }
}
