package dev.meridian.cluster.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.cluster.policy.PolicyParser.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

  private static String refused(String json, Kind kind) {
    return assertThrows(PolicyException.class, () -> PolicyParser.parse(json, kind)).getMessage();
  }

  @Test
  void parsesSingleValuesAsListsAndConditionKeysInLowerCase() {
    Policy p = PolicyParser.parse("""
        {"Version": "2012-10-17", "Statement": {"Sid": "a", "Effect": "Allow", "Action": "s3:GetObject",
         "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::c/*"],
         "Condition": {"Bool": {"aws:SecureTransport": true}, "NumericLessThan": {"s3:max-keys": 10}}}}
        """, Kind.IDENTITY);
    assertTrue(p.variables());
    Policy.Statement s = p.statements().get(0);
    assertEquals(Policy.Effect.ALLOW, s.effect());
    assertEquals(List.of("s3:GetObject"), s.actions());
    assertNull(s.notActions());
    assertEquals(2, s.resources().size());
    assertEquals(new Policy.Condition("Bool", "aws:securetransport", List.of("true")), s.conditions().get(0));
    assertEquals(List.of("10"), s.conditions().get(1).values());
  }

  @Test
  void versionDefaultsTo2008WithoutVariables() {
    Policy p = PolicyParser.parse("{\"Statement\":[{\"Effect\":\"Deny\",\"NotAction\":\"s3:*\",\"NotResource\":\"*\"}]}",
        Kind.IDENTITY);
    assertEquals("2008-10-17", p.version());
    assertTrue(!p.variables());
  }

  @Test
  void principalsOfBucketAndTrustPolicies() {
    Policy bucket = PolicyParser.parse("""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
         {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::000000000000:user/alice","000000000000"]},"Action":"s3:*","Resource":"*"}]}
        """, Kind.RESOURCE);
    assertTrue(bucket.statements().get(0).principal().anyone());
    assertEquals(2, bucket.statements().get(1).principal().byType().get("AWS").size());
    Policy trust = PolicyParser.parse("""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}
        """, Kind.TRUST);
    assertNull(trust.statements().get(0).resources(), "a trust policy names no resource");
  }

  @Test
  void refusesWhatIamRefuses() {
    assertEquals("Syntax errors in policy.", refused("not json", Kind.IDENTITY));
    assertEquals("Syntax errors in policy.", refused("[]", Kind.IDENTITY));
    assertEquals("The policy failed legacy parsing", refused(
        "{\"Version\":\"2010-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}", Kind.IDENTITY));
    assertTrue(refused("{\"Version\":\"2012-10-17\"}", Kind.IDENTITY).contains("Statement"));
    assertTrue(refused("{\"Version\":\"2012-10-17\",\"Statement\":[]}", Kind.IDENTITY).contains("Statement"));
    assertEquals("Statement IDs (SID) in a single policy must be unique.", refused("""
        {"Version":"2012-10-17","Statement":[{"Sid":"X","Effect":"Allow","Action":"*","Resource":"*"},
         {"Sid":"X","Effect":"Allow","Action":"*","Resource":"*"}]}""", Kind.IDENTITY));
    assertEquals("Policy document should not specify a principal.", refused("""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Principal":"arn:aws:iam:::u"}]}""",
        Kind.IDENTITY));
    assertEquals("Missing required field Principal", refused("""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""", Kind.RESOURCE));
    assertEquals("Invalid principal in policy", refused("""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"alice"},"Action":"s3:*","Resource":"*"}]}""",
        Kind.RESOURCE));
    assertEquals("Missing required field Effect", refused("""
        {"Statement":[{"Action":"s3:*","Resource":"*"}]}""", Kind.IDENTITY));
    assertEquals("Invalid effect: allow", refused("""
        {"Statement":[{"Effect":"allow","Action":"s3:*","Resource":"*"}]}""", Kind.IDENTITY));
    assertEquals("Policy statement must contain actions.", refused("""
        {"Statement":[{"Effect":"Allow","Resource":"*"}]}""", Kind.IDENTITY));
    assertEquals("Policy statement must contain resources.", refused("""
        {"Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}""", Kind.IDENTITY));
    assertTrue(refused("""
        {"Statement":[{"Effect":"Allow","Action":"GetObject","Resource":"*"}]}""", Kind.IDENTITY).contains("vendor"));
    assertTrue(refused("""
        {"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"bucket/*"}]}""", Kind.IDENTITY).contains("ARN"));
    assertEquals("Invalid Condition type : StringAlmostEquals", refused("""
        {"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringAlmostEquals":{"aws:username":"x"}}}]}""",
        Kind.IDENTITY));
    assertTrue(refused("""
        {"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Actions":"s3:*"}]}""", Kind.IDENTITY).contains("Actions"));
    assertEquals("Syntax errors in policy.", refused("""
        {"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]} trailing""", Kind.IDENTITY));
  }
}
