package dev.meridian.api.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meridian.api.Addressing;
import dev.meridian.cluster.policy.PolicyParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class IamXmlTest {

  @Test
  void pagesFollowTheMarker() {
    List<String> all = List.of("a", "b", "c", "d", "e");
    var first = IamXml.page(all, s -> s, Addressing.query("MaxItems=2"));
    assertEquals(List.of("a", "b"), first.items());
    assertEquals("b", first.nextMarker());
    assertEquals("<IsTruncated>true</IsTruncated><Marker>b</Marker>", first.tail());
    var second = IamXml.page(all, s -> s, Addressing.query("MaxItems=2&Marker=b"));
    assertEquals(List.of("c", "d"), second.items());
    var last = IamXml.page(all, s -> s, Addressing.query("MaxItems=2&Marker=d"));
    assertEquals(List.of("e"), last.items());
    assertNull(last.nextMarker());
    assertEquals("<IsTruncated>false</IsTruncated>", last.tail());
    assertEquals(400, assertThrows(IamXml.IamException.class, () -> IamXml.page(all, s -> s, Addressing.query("MaxItems=0"))).status);
  }

  @Test
  void namesPathsAndPoliciesAreValidatedAsIamDoes() {
    assertEquals("alice.b@c", IamXml.entityName(Addressing.query("UserName=alice.b%40c"), "UserName"));
    assertEquals("ValidationError", assertThrows(IamXml.IamException.class,
        () -> IamXml.entityName(Addressing.query("UserName=a%20b"), "UserName")).code);
    assertEquals("ValidationError", assertThrows(IamXml.IamException.class,
        () -> IamXml.policyName(Addressing.query("PolicyName=" + "AllAccessPolicy".repeat(10)))).code);
    assertEquals("/team/", IamXml.path(Addressing.query("Path=%2Fteam%2F"), "Path"));
    assertEquals("/", IamXml.path(Addressing.query(""), "Path"));
    assertThrows(IamXml.IamException.class, () -> IamXml.path(Addressing.query("Path=team"), "Path"));
    IamXml.IamException bad = assertThrows(IamXml.IamException.class,
        () -> IamXml.policyDocument("{\"Version\":\"2012-10-17\"}", PolicyParser.Kind.IDENTITY));
    assertEquals("MalformedPolicyDocument", bad.code);
    assertEquals(400, bad.status);
    assertEquals(7, IamXml.policySize("{ \"a\" :\n 1 }"));
  }
}
