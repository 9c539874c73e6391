package dev.meridian.api;

import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.w3c.dom.Document;

/** Builds addressed {@link S3Call}s without a server, and reads what a response would show a client. */
public final class TestCalls {

  private TestCalls() {}

  /** A call as S3Server would hand it to the router; {@code headers} are name, value pairs. */
  public static S3Call call(String method, String bucket, String key, String rawQuery, String... headers) {
    HttpRequest request = HttpRequest.create();
    for (int i = 0; i + 1 < headers.length; i += 2) request = request.addHeader(RawHeader.create(headers[i], headers[i + 1]));
    Map<String, List<String>> query = rawQuery == null ? new LinkedHashMap<>() : Addressing.query(rawQuery);
    return new S3Call("REQ0000000000001", request, new RequestBody(request), method, bucket, key, query, null,
        "000000000000", null, dev.meridian.cluster.policy.Identity.root("000000000000"));
  }

  /** The body of a response built in memory (always a strict entity). */
  public static String body(HttpResponse response) {
    return ((HttpEntity.Strict) response.entity()).getData().utf8String();
  }

  public static String header(HttpResponse response, String name) {
    return response.getHeader(name).map(h -> h.value()).orElse(null);
  }

  /** Parses XML namespace-aware, the way SDKs read S3's responses. */
  public static Document xml(String text) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError("not well-formed XML: " + text, e);
    }
  }

  /** The text of the first element with this local name, or null. */
  public static String text(Document doc, String localName) {
    var nodes = doc.getElementsByTagNameNS("*", localName);
    return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
  }
}
