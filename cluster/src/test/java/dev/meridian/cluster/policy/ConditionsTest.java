package dev.meridian.cluster.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The condition operators against AWS's documented semantics, one behaviour per test. */
class ConditionsTest {

  private static final Identity ALICE = PolicyEvaluatorTest.ALICE;

  private static boolean holds(String operator, String key, List<String> policyValues, Map<String, List<String>> request) {
    RequestContext ctx = new RequestContext(ALICE, "s3:GetObject", "arn:aws:s3:::b/k", request);
    return Conditions.holds(new Policy.Condition(operator, key.toLowerCase(), policyValues), ctx, true);
  }

  private static Map<String, List<String>> req(String... kv) {
    Map<String, List<String>> m = new HashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) m.computeIfAbsent(kv[i], k -> new java.util.ArrayList<>()).add(kv[i + 1]);
    return m;
  }

  @Test
  void stringOperatorsAndSeveralValuesOred() {
    assertTrue(holds("StringEquals", "s3:prefix", List.of("a/", "b/"), req("s3:prefix", "b/")));
    assertFalse(holds("StringEquals", "s3:prefix", List.of("a/", "b/"), req("s3:prefix", "B/")));
    assertTrue(holds("StringEqualsIgnoreCase", "s3:prefix", List.of("a/", "b/"), req("s3:prefix", "B/")));
    assertFalse(holds("StringNotEquals", "s3:prefix", List.of("a/", "b/"), req("s3:prefix", "b/")), "NOR of the values");
    assertTrue(holds("StringNotEquals", "s3:prefix", List.of("a/", "b/"), req("s3:prefix", "c/")));
    assertTrue(holds("StringLike", "s3:prefix", List.of("home/*"), req("s3:prefix", "home/alice/")));
    assertFalse(holds("StringNotLike", "s3:prefix", List.of("home/*"), req("s3:prefix", "home/alice/")));
    assertTrue(holds("StringLike", "s3:prefix", List.of("home/${aws:username}/*"), req("s3:prefix", "home/alice/x")));
    assertFalse(holds("StringLike", "s3:prefix", List.of("home/${aws:username}/*"), req("s3:prefix", "home/bob/x")));
    assertTrue(holds("StringEquals", "aws:username", List.of("alice"), req()), "identity keys come from the caller");
  }

  @Test
  void aMissingKeyFailsPositiveOperatorsAndPassesNegatedOnes() {
    assertFalse(holds("StringEquals", "s3:prefix", List.of("a"), req()));
    assertTrue(holds("StringNotEquals", "s3:prefix", List.of("a"), req()));
    assertTrue(holds("StringNotLike", "s3:prefix", List.of("a*"), req()));
    assertTrue(holds("NotIpAddress", "aws:SourceIp", List.of("10.0.0.0/8"), req()));
    assertTrue(holds("StringEqualsIfExists", "s3:prefix", List.of("a"), req()));
    assertFalse(holds("StringEqualsIfExists", "s3:prefix", List.of("a"), req("s3:prefix", "b")));
    assertTrue(holds("Null", "s3:prefix", List.of("true"), req()));
    assertFalse(holds("Null", "s3:prefix", List.of("true"), req("s3:prefix", "x")));
    assertTrue(holds("Null", "s3:prefix", List.of("false"), req("s3:prefix", "x")));
  }

  @Test
  void keysAreCaseInsensitive() {
    assertTrue(holds("Bool", "AWS:SECURETRANSPORT", List.of("true"), req("aws:SecureTransport", "true")));
    assertTrue(holds("Bool", "aws:SecureTransport", List.of("True"), req("aws:securetransport", "true")));
    assertFalse(holds("Bool", "aws:SecureTransport", List.of("true"), req("aws:SecureTransport", "false")));
  }

  @Test
  void numbersAndDates() {
    assertTrue(holds("NumericLessThanEquals", "s3:max-keys", List.of("10"), req("s3:max-keys", "10")));
    assertFalse(holds("NumericLessThan", "s3:max-keys", List.of("10"), req("s3:max-keys", "10")));
    assertTrue(holds("NumericGreaterThan", "s3:max-keys", List.of("9.5"), req("s3:max-keys", "10")));
    assertTrue(holds("NumericNotEquals", "s3:max-keys", List.of("9"), req("s3:max-keys", "10")));
    assertFalse(holds("NumericEquals", "s3:max-keys", List.of("ten"), req("s3:max-keys", "10")));
    Map<String, List<String>> now = req("aws:CurrentTime", "2024-06-01T12:00:00Z", "aws:EpochTime", "1717243200");
    assertTrue(holds("DateLessThan", "aws:CurrentTime", List.of("2025-01-01T00:00:00Z"), now));
    assertFalse(holds("DateLessThan", "aws:CurrentTime", List.of("2024-01-01"), now));
    assertTrue(holds("DateGreaterThanEquals", "aws:CurrentTime", List.of("2024-06-01T12:00:00+00:00"), now));
    assertTrue(holds("DateEquals", "aws:EpochTime", List.of("2024-06-01T12:00:00Z"), now));
    assertTrue(holds("DateLessThan", "aws:CurrentTime", List.of("1717243201"), now));
    assertFalse(holds("DateLessThan", "aws:CurrentTime", List.of("not a date"), now));
  }

  @Test
  void ipAddressesAndBlocks() {
    assertTrue(holds("IpAddress", "aws:SourceIp", List.of("192.168.0.0/16", "10.0.0.0/8"), req("aws:SourceIp", "10.1.2.3")));
    assertFalse(holds("IpAddress", "aws:SourceIp", List.of("192.168.0.0/16"), req("aws:SourceIp", "10.1.2.3")));
    assertTrue(holds("IpAddress", "aws:SourceIp", List.of("127.0.0.1"), req("aws:SourceIp", "127.0.0.1")));
    assertTrue(holds("NotIpAddress", "aws:SourceIp", List.of("192.168.0.0/16"), req("aws:SourceIp", "10.1.2.3")));
    assertTrue(holds("IpAddress", "aws:SourceIp", List.of("2001:db8::/32"), req("aws:SourceIp", "2001:db8::1")));
    assertTrue(holds("IpAddress", "aws:SourceIp", List.of("10.0.0.0/8"), req("aws:SourceIp", "::ffff:10.0.0.1")));
    assertFalse(holds("IpAddress", "aws:SourceIp", List.of("example.com"), req("aws:SourceIp", "10.0.0.1")), "no name is resolved");
  }

  @Test
  void arnsMatchPartByPart() {
    Map<String, List<String>> r = req("aws:PrincipalArn", "arn:aws:iam::000000000000:user/team/alice");
    assertTrue(holds("ArnLike", "aws:PrincipalArn", List.of("arn:aws:iam::*:user/team/*"), r));
    assertTrue(holds("ArnEquals", "aws:PrincipalArn", List.of("arn:aws:iam::000000000000:user/team/alice"), r));
    assertFalse(holds("ArnLike", "aws:PrincipalArn", List.of("arn:aws:iam::*:role/*"), r));
    assertTrue(holds("ArnNotLike", "aws:PrincipalArn", List.of("arn:aws:iam::*:role/*"), r));
    assertFalse(holds("ArnLike", "aws:PrincipalArn", List.of("arn:aws:iam:*"), r), "six parts or no match");
  }

  @Test
  void setQualifiersOverMultivaluedKeys() {
    Map<String, List<String>> tags = req("aws:TagKeys", "env", "aws:TagKeys", "team");
    assertTrue(holds("ForAllValues:StringEquals", "aws:TagKeys", List.of("env", "team", "cost"), tags));
    assertFalse(holds("ForAllValues:StringEquals", "aws:TagKeys", List.of("env"), tags));
    assertTrue(holds("ForAnyValue:StringEquals", "aws:TagKeys", List.of("env"), tags));
    assertFalse(holds("ForAnyValue:StringEquals", "aws:TagKeys", List.of("cost"), tags));
    assertTrue(holds("ForAllValues:StringEquals", "aws:TagKeys", List.of("env"), req()), "vacuously true");
    assertFalse(holds("ForAnyValue:StringEquals", "aws:TagKeys", List.of("env"), req()));
  }

  @Test
  void operatorsIamKnows() {
    assertTrue(Conditions.known("StringLike"));
    assertTrue(Conditions.known("ForAnyValue:StringLikeIfExists"));
    assertTrue(Conditions.known("DateLessThan"));
    assertFalse(Conditions.known("NullIfExists"));
    assertFalse(Conditions.known("StringAlmostEquals"));
  }

  @Test
  void allConditionsMustHold() {
    var conditions = List.of(new Policy.Condition("StringEquals", "s3:prefix", List.of("a")),
        new Policy.Condition("Bool", "aws:securetransport", List.of("true")));
    RequestContext both = new RequestContext(ALICE, "s3:ListBucket", "arn:aws:s3:::b",
        req("s3:prefix", "a", "aws:SecureTransport", "true"));
    RequestContext one = new RequestContext(ALICE, "s3:ListBucket", "arn:aws:s3:::b", req("s3:prefix", "a"));
    assertTrue(Conditions.all(conditions, both, true));
    assertFalse(Conditions.all(conditions, one, true));
  }
}
