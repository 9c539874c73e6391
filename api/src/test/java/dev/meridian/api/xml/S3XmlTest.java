package dev.meridian.api.xml;

import static dev.meridian.api.TestCalls.xml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The XML documents clients parse, and the request bodies Meridian refuses to trust. */
class S3XmlTest {

  private static final BucketXml.Owner OWNER = new BucketXml.Owner("000000000000", "000000000000");

  private static Document written(Object document) {
    String text = new String(S3Xml.write(document), StandardCharsets.UTF_8);
    assertTrue(text.startsWith("<?xml"), text);
    return xml(text);
  }

  /** Local names of an element's child elements, in document order. */
  private static List<String> children(Element parent) {
    List<String> names = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) names.add(e.getLocalName());
    }
    return names;
  }

  private static void assertAllInS3Namespace(Element e) {
    assertEquals(S3Xml.NS, e.getNamespaceURI(), "namespace of <" + e.getLocalName() + ">");
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c) assertAllInS3Namespace(c);
    }
  }

  private static ListXml.ListBucketResult v2Page() {
    return new ListXml.ListBucketResult("photos", "2024/", null, null, null, "dG9rZW4", null, 3, 3, "/", null, true,
        List.of(new ListXml.Contents("2024/a.jpg", "2026-11-27T12:00:00.000Z", "\"e1\"", 10, "STANDARD", null),
            new ListXml.Contents("2024/b&c.jpg", "2026-11-27T12:00:01.000Z", "\"e2\"", 0, "STANDARD", OWNER)),
        List.of(new ListXml.CommonPrefix("2024/raw/")));
  }

  @Test
  void listBucketResultHasS3sElementOrderAndRepeatedContents() {
    Element root = written(v2Page()).getDocumentElement();
    assertEquals("ListBucketResult", root.getLocalName());
    assertEquals(List.of("Name", "Prefix", "NextContinuationToken", "KeyCount", "MaxKeys", "Delimiter", "IsTruncated",
        "Contents", "Contents", "CommonPrefixes"), children(root), "nulls omitted, lists without a wrapper");
    Element first = (Element) root.getElementsByTagNameNS("*", "Contents").item(0);
    assertEquals(List.of("Key", "LastModified", "ETag", "Size", "StorageClass"), children(first));
    Element second = (Element) root.getElementsByTagNameNS("*", "Contents").item(1);
    assertEquals("2024/b&c.jpg", second.getElementsByTagNameNS("*", "Key").item(0).getTextContent());
    assertEquals(List.of("ID", "DisplayName"),
        children((Element) second.getElementsByTagNameNS("*", "Owner").item(0)));
    assertEquals("true", root.getElementsByTagNameNS("*", "IsTruncated").item(0).getTextContent());
    assertEquals("2024/raw/", root.getElementsByTagNameNS("*", "CommonPrefixes").item(0).getTextContent());
  }

  @Test
  void listVersionsInterleavesVersionsAndDeleteMarkersInListingOrder() {
    ListXml.Version marker = new ListXml.Version("a", "v3", true, "2026-11-27T12:00:03.000Z", null, null, null, OWNER);
    ListXml.Version a2 = new ListXml.Version("a", "v2", false, "2026-11-27T12:00:02.000Z", "\"e\"", 1L, "STANDARD",
        OWNER);
    ListXml.Version b1 = new ListXml.Version("b", "v1", true, "2026-11-27T12:00:01.000Z", "\"e\"", 1L, "STANDARD",
        OWNER);
    ListXml.Version cMarker = new ListXml.Version("c", "v4", true, "2026-11-27T12:00:04.000Z", null, null, null, OWNER);
    Element root = written(new ListXml.ListVersionsResult("photos", "", "", "", null, null, 1000, null, null, false,
        List.of(new ListXml.VersionEntry(true, marker), new ListXml.VersionEntry(false, a2),
            new ListXml.VersionEntry(false, b1), new ListXml.VersionEntry(true, cMarker)),
        List.of(new ListXml.CommonPrefix("d/")))).getDocumentElement();
    assertEquals(List.of("Name", "Prefix", "KeyMarker", "VersionIdMarker", "MaxKeys", "IsTruncated", "DeleteMarker",
        "Version", "Version", "DeleteMarker", "CommonPrefixes"), children(root));
    assertAllInS3Namespace(root);
    List<String> ids = new ArrayList<>();
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getElementsByTagNameNS("*", "VersionId").getLength() > 0) {
        ids.add(e.getElementsByTagNameNS("*", "VersionId").item(0).getTextContent());
      }
    }
    assertEquals(List.of("v3", "v2", "v1", "v4"), ids);
    assertEquals(List.of("Key", "VersionId", "IsLatest", "LastModified", "Owner"),
        children((Element) root.getElementsByTagNameNS("*", "DeleteMarker").item(0)));
  }

  @Test
  void listBucketResultIsInTheS3Namespace() {
    assertAllInS3Namespace(written(v2Page()).getDocumentElement());
  }

  @Test
  void emptyListingHasNoContentsElement() {
    var empty = new ListXml.ListBucketResult("b", "", null, null, null, null, null, 0, 1000, null, null, false,
        List.of(), List.of());
    Element root = written(empty).getDocumentElement();
    assertFalse(children(root).contains("Contents"), children(root).toString());
    assertEquals("0", root.getElementsByTagNameNS("*", "KeyCount").item(0).getTextContent());
  }

  @Test
  void listAllMyBucketsWrapsEachBucketInBuckets() {
    var doc = new BucketXml.ListAllMyBucketsResult(OWNER, List.of(
        new BucketXml.BucketEntry("a", "2026-11-27T12:00:00.000Z", "us-east-1"),
        new BucketXml.BucketEntry("b", "2026-11-27T12:00:01.000Z", "us-west-2")));
    Element root = written(doc).getDocumentElement();
    assertEquals("ListAllMyBucketsResult", root.getLocalName());
    assertEquals(List.of("Owner", "Buckets"), children(root));
    Element buckets = (Element) root.getElementsByTagNameNS("*", "Buckets").item(0);
    assertEquals(List.of("Bucket", "Bucket"), children(buckets));
    assertEquals(List.of("Name", "CreationDate", "BucketRegion"), children((Element) buckets.getFirstChild()));
  }

  @Test
  void listAllMyBucketsResultIsInTheS3Namespace() {
    var doc = new BucketXml.ListAllMyBucketsResult(OWNER, List.of(new BucketXml.BucketEntry("a", "t", "us-east-1")));
    assertAllInS3Namespace(written(doc).getDocumentElement());
  }

  @Test
  void timestampsAreIsoWithMillisecondsInUtc() {
    assertEquals("2026-11-27T12:00:00.500Z", S3Xml.timestamp(1_795_780_800_500L));
  }

  @Test
  void requestBodiesParseWithOrWithoutNamespace() {
    String ns = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        + "<LocationConstraint>us-west-2</LocationConstraint></CreateBucketConfiguration>";
    assertEquals("us-west-2", S3Xml.read(ns.getBytes(StandardCharsets.UTF_8),
        BucketXml.CreateBucketConfiguration.class).locationConstraint());
    String plain = "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>";
    assertEquals("Enabled", S3Xml.read(plain.getBytes(StandardCharsets.UTF_8),
        BucketXml.VersioningConfiguration.class).status());
  }

  private static void assertMalformed(String body) {
    S3Exception e = assertThrows(S3Exception.class,
        () -> S3Xml.read(body.getBytes(StandardCharsets.UTF_8), BucketXml.VersioningConfiguration.class), body);
    assertEquals(S3Error.MalformedXML, e.error);
    assertEquals(400, e.error.status);
  }

  @Test
  void brokenBodiesAreMalformedXml() {
    assertMalformed("");
    assertMalformed("<VersioningConfiguration><Status>Enabled</Status>");
    assertMalformed("not xml at all");
    assertMalformed("<a><b></a></b>");
  }

  /** Whatever the answer to a DTD is, nothing is fetched and nothing is expanded (checked within a time bound). */
  @Test
  void entitiesAreNeverFetchedOrExpanded() {
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE v [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
        + "<VersioningConfiguration><Status>&xxe;</Status></VersioningConfiguration>";
    long started = System.nanoTime();
    for (String body : List.of(xxe, billionLaughs())) {
      try {
        String status = S3Xml.read(body.getBytes(StandardCharsets.UTF_8), BucketXml.VersioningConfiguration.class).status();
        assertTrue(status == null || (!status.contains("root:") && !status.contains("lol")), status);
      } catch (S3Exception e) {
        assertEquals(S3Error.MalformedXML, e.error);
      }
    }
    assertTrue(System.nanoTime() - started < 5_000_000_000L, "no entity expansion blow-up");
  }

  /** S3 rejects a DOCTYPE in any request body; so does S3Xml's own contract ("gets MalformedXML"). */
  @Test
  void bodiesWithADoctypeAreMalformedXml() {
    assertMalformed("<?xml version=\"1.0\"?><!DOCTYPE v [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
        + "<VersioningConfiguration><Status>&xxe;</Status></VersioningConfiguration>");
    assertMalformed(billionLaughs());
    // An entity silently dropped turns "Enab&e;led" into "Enabled": the body must be refused instead.
    assertMalformed("<?xml version=\"1.0\"?><!DOCTYPE v [<!ENTITY e \"\">]>"
        + "<VersioningConfiguration><Status>Enab&e;led</Status></VersioningConfiguration>");
  }

  private static String billionLaughs() {
    StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for (int i = 1; i <= 9; i++) {
      dtd.append("<!ENTITY lol").append(i).append(" \"");
      for (int j = 0; j < 10; j++) dtd.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
      dtd.append("\">");
    }
    return dtd.append("]><VersioningConfiguration><Status>&lol9;</Status></VersioningConfiguration>").toString();
  }
}
