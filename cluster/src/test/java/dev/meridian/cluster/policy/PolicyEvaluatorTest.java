package dev.meridian.cluster.policy;

import static dev.meridian.cluster.policy.PolicyEvaluator.Decision.ALLOW;
import static dev.meridian.cluster.policy.PolicyEvaluator.Decision.EXPLICIT_DENY;
import static dev.meridian.cluster.policy.PolicyEvaluator.Decision.IMPLICIT_DENY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meridian.cluster.policy.PolicyParser.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AWS's evaluation logic within one account: default deny, Allow from either side, explicit Deny wins. */
class PolicyEvaluatorTest {

  static final Identity ALICE = Identity.user("000000000000", "alice", "arn:aws:iam::000000000000:user/alice", "AIDAALICE");
  static final Identity BOB = Identity.user("000000000000", "bob", "arn:aws:iam::000000000000:user/team/bob", "AIDABOB");
  static final Identity ROOT = Identity.root("000000000000");

  static Policy identity(String statements) {
    return PolicyParser.parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}", Kind.IDENTITY);
  }

  static Policy bucket(String statements) {
    return PolicyParser.parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}", Kind.RESOURCE);
  }

  static RequestContext ctx(Identity who, String action, String resource) {
    return new RequestContext(who, action, resource, Map.of());
  }

  @Test
  void nothingAllowsByDefault() {
    assertEquals(IMPLICIT_DENY, PolicyEvaluator.evaluate(List.of(), ctx(ALICE, "s3:GetObject", "arn:aws:s3:::b/k")));
    Policy other = identity("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::other/*\"}");
    assertEquals(IMPLICIT_DENY, PolicyEvaluator.evaluate(List.of(other), ctx(ALICE, "s3:GetObject", "arn:aws:s3:::b/k")));
  }

  @Test
  void actionsMatchWithWildcardsIgnoringCaseAndResourcesWithWildcards() {
    Policy readOnly = identity("{\"Effect\":\"Allow\",\"Action\":[\"s3:get*\",\"s3:List*\"],\"Resource\":"
        + "[\"arn:aws:s3:::b\",\"arn:aws:s3:::b/*\"]}");
    assertEquals(ALLOW, PolicyEvaluator.evaluate(List.of(readOnly), ctx(ALICE, "s3:GetObject", "arn:aws:s3:::b/k/x")));
    assertEquals(ALLOW, PolicyEvaluator.evaluate(List.of(readOnly), ctx(ALICE, "s3:ListBucket", "arn:aws:s3:::b")));
    assertEquals(IMPLICIT_DENY, PolicyEvaluator.evaluate(List.of(readOnly), ctx(ALICE, "s3:PutObject", "arn:aws:s3:::b/k")));
    assertEquals(IMPLICIT_DENY, PolicyEvaluator.evaluate(List.of(readOnly), ctx(ALICE, "s3:ListBucket", "arn:aws:s3:::bb")));
    Policy all = identity("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}");
    assertEquals(ALLOW, PolicyEvaluator.evaluate(List.of(all), ctx(ALICE, "iam:CreateUser", "arn:aws:iam::000000000000:user/x")));
  }

  @Test
  void anExplicitDenyWinsWhereverItIs() {
    Policy allow = identity("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}");
    Policy deny = identity("{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteObject\",\"Resource\":\"arn:aws:s3:::b/*\"}");
    RequestContext delete = ctx(ALICE, "s3:DeleteObject", "arn:aws:s3:::b/k");
    assertEquals(EXPLICIT_DENY, PolicyEvaluator.evaluate(List.of(allow, deny), delete));
    assertEquals(EXPLICIT_DENY, PolicyEvaluator.evaluate(List.of(deny, allow), delete));
    Policy both = identity("{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::b\"},"
        + "{\"Sid\":\"D\",\"Effect\":\"Deny\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::b\"}");
    assertEquals(EXPLICIT_DENY, PolicyEvaluator.evaluate(List.of(both), ctx(ALICE, "s3:ListBucket", "arn:aws:s3:::b")));
    Policy bucketDeny = bucket("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:DeleteObject\",\"Resource\":\"arn:aws:s3:::b/*\"}");
    assertEquals(EXPLICIT_DENY, PolicyEvaluator.evaluate(List.of(allow), bucketDeny, delete));
    assertEquals(ALLOW, PolicyEvaluator.evaluate(List.of(allow), bucketDeny, ctx(ALICE, "s3:GetObject", "arn:aws:s3:::b/k")));
  }

  @Test
  void notActionAndNotResourceMatchEverythingElse() {
    Policy p = identity("{\"Effect\":\"Allow\",\"NotAction\":\"s3:Delete*\",\"Resource\":\"*\"},"
        + "{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"NotResource\":[\"arn:aws:s3:::b\",\"arn:aws:s3:::b/*\"]}");
    assertEquals(ALLOW, PolicyEvaluator.evaluate(List.of(p), ctx(ALICE, "s3:GetObject", "arn:aws:s3:::b/k")));
    assertEquals(IMPLICIT_DENY, PolicyEvaluator.evaluate(List.of(p), ctx(ALICE, "s3:DeleteObject", "arn:aws:s3:::b/k")));
    assertEquals(EXPLICIT_DENY, PolicyEvaluator.evaluate(List.of(p), ctx(ALICE, "s3:GetObject", "arn:aws:s3:::c/k")));
  }

  @Test
  void aBucketPolicyGrantsTheUsersItNames() {
    Policy p = bucket("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::000000000000:user/alice\"},"
        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}");
    assertEquals(ALLOW, PolicyEvaluator.evaluate(List.of(), p, ctx(ALICE, "s3:GetObject", "arn:aws:s3:::b/k")));
    assertEquals(IMPLICIT_DENY, PolicyEvaluator.evaluate(List.of(), p, ctx(BOB, "s3:GetObject", "arn:aws:s3:::b/k")));
    assertEquals(IMPLICIT_DENY, PolicyEvaluator.evaluate(List.of(), p, ctx(Identity.anonymous(), "s3:GetObject", "arn:aws:s3:::b/k")));
    Policy anyone = bucket("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}");
    assertEquals(ALLOW, PolicyEvaluator.evaluate(List.of(), anyone, ctx(Identity.anonymous(), "s3:GetObject", "arn:aws:s3:::b/k")));
    Policy awsStar = bucket("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"*\"]},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}");
    assertEquals(ALLOW, PolicyEvaluator.evaluate(List.of(), awsStar, ctx(BOB, "s3:GetObject", "arn:aws:s3:::b/k")));
  }

  @Test
  void theAccountAsPrincipalAllowsOnlyItsRootButDeniesEveryone() {
    Policy allow = bucket("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::000000000000:root\"},"
        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}");
    assertEquals(IMPLICIT_DENY, PolicyEvaluator.evaluate(List.of(), allow, ctx(ALICE, "s3:GetObject", "arn:aws:s3:::b/k")));
    assertEquals(ALLOW, PolicyEvaluator.evaluate(List.of(), allow, ctx(ROOT, "s3:GetObject", "arn:aws:s3:::b/k")));
    Policy deny = bucket("{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"000000000000\"},"
        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}");
    Policy userAllow = identity("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}");
    assertEquals(EXPLICIT_DENY, PolicyEvaluator.evaluate(List.of(userAllow), deny, ctx(ALICE, "s3:GetObject", "arn:aws:s3:::b/k")));
    Policy otherAccount = bucket("{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"111111111111\"},"
        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}");
    assertEquals(ALLOW, PolicyEvaluator.evaluate(List.of(userAllow), otherAccount, ctx(ALICE, "s3:GetObject", "arn:aws:s3:::b/k")));
  }

  @Test
  void notPrincipalAppliesToEveryoneElse() {
    Policy p = bucket("{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::000000000000:user/alice\"},"
        + "\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::b\",\"arn:aws:s3:::b/*\"]}");
    Policy all = identity("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}");
    assertEquals(ALLOW, PolicyEvaluator.evaluate(List.of(all), p, ctx(ALICE, "s3:GetObject", "arn:aws:s3:::b/k")));
    assertEquals(EXPLICIT_DENY, PolicyEvaluator.evaluate(List.of(all), p, ctx(BOB, "s3:GetObject", "arn:aws:s3:::b/k")));
  }

  @Test
  void aTrustPolicyNamesTheServiceThatMayAssumeTheRole() {
    Policy trust = PolicyParser.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
        + "\"Principal\":{\"Service\":\"s3.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}", Kind.TRUST);
    String role = "arn:aws:iam::000000000000:role/r";
    assertEquals(ALLOW, PolicyEvaluator.evaluate(List.of(), trust, ctx(Identity.service("s3.amazonaws.com"), "sts:AssumeRole", role)));
    assertEquals(IMPLICIT_DENY, PolicyEvaluator.evaluate(List.of(), trust, ctx(Identity.service("ec2.amazonaws.com"), "sts:AssumeRole", role)));
    assertEquals(IMPLICIT_DENY, PolicyEvaluator.evaluate(List.of(), trust, ctx(ALICE, "sts:AssumeRole", role)));
  }

  @Test
  void policyVariablesGiveEachUserTheirOwnPrefix() {
    Policy home = identity("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::home/${aws:username}/*\"}");
    assertEquals(ALLOW, PolicyEvaluator.evaluate(List.of(home), ctx(ALICE, "s3:PutObject", "arn:aws:s3:::home/alice/notes")));
    assertEquals(IMPLICIT_DENY, PolicyEvaluator.evaluate(List.of(home), ctx(ALICE, "s3:PutObject", "arn:aws:s3:::home/bob/notes")));
    assertEquals(IMPLICIT_DENY, PolicyEvaluator.evaluate(List.of(home), ctx(ROOT, "s3:PutObject", "arn:aws:s3:::home/alice/x")),
        "the root has no user name");
    Policy legacy = PolicyParser.parse("{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
        + "\"Resource\":\"arn:aws:s3:::home/${aws:username}/*\"}]}", Kind.IDENTITY);
    assertEquals(IMPLICIT_DENY, PolicyEvaluator.evaluate(List.of(legacy), ctx(ALICE, "s3:PutObject", "arn:aws:s3:::home/alice/x")));
  }

  @Test
  void conditionsDecideWhetherAStatementApplies() {
    Policy p = identity("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},"
        + "{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}");
    RequestContext http = new RequestContext(ALICE, "s3:GetObject", "arn:aws:s3:::b/k", Map.of("aws:SecureTransport", List.of("false")));
    RequestContext https = new RequestContext(ALICE, "s3:GetObject", "arn:aws:s3:::b/k", Map.of("aws:SecureTransport", List.of("true")));
    assertEquals(EXPLICIT_DENY, PolicyEvaluator.evaluate(List.of(p), http));
    assertEquals(ALLOW, PolicyEvaluator.evaluate(List.of(p), https));
  }

  @Test
  void awsManagedPoliciesGrantWhatAwsDocuments() {
    Policy readOnly = ManagedPolicies.of("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess").orElseThrow().parsed();
    assertEquals(ALLOW, PolicyEvaluator.evaluate(List.of(readOnly), ctx(ALICE, "s3:GetObject", "arn:aws:s3:::b/k")));
    assertEquals(ALLOW, PolicyEvaluator.evaluate(List.of(readOnly), ctx(ALICE, "s3:ListAllMyBuckets", "arn:aws:s3:::*")));
    assertEquals(IMPLICIT_DENY, PolicyEvaluator.evaluate(List.of(readOnly), ctx(ALICE, "s3:PutObject", "arn:aws:s3:::b/k")));
    Policy full = ManagedPolicies.of("arn:aws:iam::aws:policy/AmazonS3FullAccess").orElseThrow().parsed();
    assertEquals(ALLOW, PolicyEvaluator.evaluate(List.of(full), ctx(ALICE, "s3:ReplicateObject", "arn:aws:s3:::b/k")));
    assertEquals(IMPLICIT_DENY, PolicyEvaluator.evaluate(List.of(full), ctx(ALICE, "iam:CreateUser", "arn:aws:iam::000000000000:user/x")));
    assertEquals(java.util.Optional.empty(), ManagedPolicies.of("arn:aws:iam::000000000000:policy/mine"));
  }
}
