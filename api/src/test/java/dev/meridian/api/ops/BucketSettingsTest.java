package dev.meridian.api.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.api.xml.CorsXml;
import dev.meridian.api.xml.S3Xml;
import dev.meridian.cluster.bucket.CorsRule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** What PutBucketCors and PutBucketPolicy accept, and what they refuse with which S3 error. */
class BucketSettingsTest {

  @Test
  void corsDocumentBecomesRules() {
    String xml = "<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        + "<CORSRule><ID>one</ID><AllowedOrigin>https://*.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
        + "<AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader>"
        + "<MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>"
        + "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>HEAD</AllowedMethod></CORSRule></CORSConfiguration>";
    List<CorsRule> rules = CorsOps.rules(cors(xml));
    assertEquals(new CorsRule("one", List.of("https://*.example.com"), List.of("GET", "PUT"), List.of("*"),
        List.of("ETag"), 3000), rules.get(0));
    assertEquals(new CorsRule(null, List.of("*"), List.of("HEAD"), List.of(), List.of(), null), rules.get(1));
  }

  @Test
  void corsRulesNeedOriginsAndKnownMethods() {
    assertError(S3Error.MalformedXML, () -> CorsOps.rules(cors("<CORSConfiguration></CORSConfiguration>")));
    assertError(S3Error.MalformedXML, () -> CorsOps.rules(cors(
        "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>")));
    assertError(S3Error.InvalidRequest, () -> CorsOps.rules(cors("<CORSConfiguration><CORSRule>"
        + "<AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>")));
    assertError(S3Error.InvalidRequest, () -> CorsOps.rules(cors("<CORSConfiguration><CORSRule>"
        + "<AllowedOrigin>https://*.*.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>")));
  }

  @Test
  void policiesAreValidatedAsS3Does() {
    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}";
    assertEquals(policy, PolicyOps.validated(policy.getBytes(StandardCharsets.UTF_8), "b"), "kept as sent");
    assertError(S3Error.MalformedPolicy, () -> PolicyOps.validated("[1]".getBytes(StandardCharsets.UTF_8), "b"));
    assertError(S3Error.MalformedPolicy, () -> PolicyOps.validated("{\"Statement\":".getBytes(StandardCharsets.UTF_8), "b"));
    assertError(S3Error.MalformedPolicy, () -> PolicyOps.validated("{\"Version\":\"2012-10-17\"}".getBytes(StandardCharsets.UTF_8), "b"));
    assertEquals("Policy has invalid resource", assertThrows(S3Exception.class,
        () -> PolicyOps.validated(policy.getBytes(StandardCharsets.UTF_8), "other")).getMessage());
    assertEquals("Missing required field Principal", assertThrows(S3Exception.class, () -> PolicyOps.validated(
        policy.replace("\"Principal\":\"*\",", "").getBytes(StandardCharsets.UTF_8), "b")).getMessage());
    assertEquals("Policy has invalid action", assertThrows(S3Exception.class, () -> PolicyOps.validated(
        policy.replace("s3:GetObject", "iam:GetUser").getBytes(StandardCharsets.UTF_8), "b")).getMessage());
    String wildcard = policy.replace("arn:aws:s3:::b/*", "arn:aws:s3:::b*");
    assertEquals(wildcard, PolicyOps.validated(wildcard.getBytes(StandardCharsets.UTF_8), "b"));
  }

  private static CorsXml.Configuration cors(String xml) {
    return S3Xml.read(xml.getBytes(StandardCharsets.UTF_8), CorsXml.Configuration.class);
  }

  private static void assertError(S3Error expected, Executable call) {
    assertEquals(expected, assertThrows(S3Exception.class, call).error);
  }
}
