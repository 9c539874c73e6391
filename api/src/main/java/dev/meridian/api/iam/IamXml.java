package dev.meridian.api.iam;

import dev.meridian.api.Responses;
import dev.meridian.api.xml.S3Xml;
import dev.meridian.cluster.policy.PolicyException;
import dev.meridian.cluster.policy.PolicyParser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * The Query protocol's pieces shared by the IAM operations: reading and validating form parameters as IAM
 * does (names, paths, policy documents, markers), IAM's errors ({@link IamException}), and the XML answer
 * envelope ({@code <ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>...}).
 */
final class IamXml {

  static final String IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
  static final String STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
  private static final Pattern ENTITY_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
  private static final Pattern POLICY_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
  private static final Pattern PATH = Pattern.compile("/|/[\\u0021-\\u007E]*/");

  private IamXml() {}

  /** An IAM error, rendered in IAM's own error shape ({@code <ErrorResponse><Error><Type/><Code/>...}). */
  static final class IamException extends RuntimeException {
    final int status;
    final String code;

    IamException(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  static IamException noSuchEntity(String message) {
    return new IamException(404, "NoSuchEntity", message);
  }

  static HttpResponse ok(String action, String result, String requestId) {
    String body = "<" + action + "Response xmlns=\"" + IAM_NS + "\">"
        + (result == null ? "" : "<" + action + "Result>" + result + "</" + action + "Result>")
        + "<ResponseMetadata><RequestId>" + requestId + "</RequestId></ResponseMetadata></" + action + "Response>";
    return xml(200, body);
  }

  static HttpResponse error(IamException e, String requestId) {
    String type = e.status >= 500 ? "Receiver" : "Sender";
    return xml(e.status, "<ErrorResponse xmlns=\"" + IAM_NS + "\"><Error><Type>" + type + "</Type><Code>" + e.code
        + "</Code><Message>" + S3Xml.escape(e.getMessage()) + "</Message></Error><RequestId>" + requestId
        + "</RequestId></ErrorResponse>");
  }

  static HttpResponse xml(int status, String body) {
    return HttpResponse.create().withStatus(StatusCodes.get(status)).withEntity(HttpEntities.create(
        Responses.XML, ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body).getBytes(StandardCharsets.UTF_8)));
  }

  static String esc(String s) {
    return S3Xml.escape(s);
  }

  static String date(Instant t) {
    return S3Xml.timestamp(t.toEpochMilli());
  }

  /** Policy documents travel URL-encoded inside the XML, as IAM returns them. */
  static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String param(Map<String, List<String>> form, String name) {
    List<String> v = form.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  static String required(Map<String, List<String>> form, String name) {
    String v = param(form, name);
    if (v == null || v.isEmpty()) throw new IamException(400, "ValidationError", "1 validation error detected: Value null at '"
        + Character.toLowerCase(name.charAt(0)) + name.substring(1) + "' failed to satisfy constraint: Member must not be null");
    return v;
  }

  /** A user or role name: 1 to 64 of letters, digits and {@code +=,.@_-}. */
  static String entityName(Map<String, List<String>> form, String param) {
    String v = required(form, param);
    if (!ENTITY_NAME.matcher(v).matches()) throw invalid(param, v, "[\\w+=,.@-]+ and length <= 64");
    return v;
  }

  static String policyName(Map<String, List<String>> form) {
    String v = required(form, "PolicyName");
    if (!POLICY_NAME.matcher(v).matches()) throw invalid("PolicyName", v, "[\\w+=,.@-]+ and length <= 128");
    return v;
  }

  /** A path: "/" or slash-delimited printable characters starting and ending with "/", up to 512. */
  static String path(Map<String, List<String>> form, String param) {
    String v = param(form, param);
    if (v == null) return "/";
    if (v.length() > 512 || !PATH.matcher(v).matches()) throw invalid(param, v, "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
    return v;
  }

  private static IamException invalid(String param, String value, String constraint) {
    String member = Character.toLowerCase(param.charAt(0)) + param.substring(1);
    return new IamException(400, "ValidationError", "1 validation error detected: Value '" + value + "' at '" + member
        + "' failed to satisfy constraint: Member must satisfy regular expression pattern: " + constraint);
  }

  /** A policy document IAM accepts for {@code kind}, or MalformedPolicyDocument with IAM's reason. */
  static String policyDocument(String doc, PolicyParser.Kind kind) {
    try {
      PolicyParser.parse(doc, kind);
      return doc;
    } catch (PolicyException e) {
      throw new IamException(400, "MalformedPolicyDocument", e.getMessage());
    }
  }

  /** The size IAM counts against its quotas: the document's characters other than white space. */
  static int policySize(String doc) {
    int n = 0;
    for (int i = 0; i < doc.length(); i++) if (!Character.isWhitespace(doc.charAt(i))) n++;
    return n;
  }

  /** One page of a listing: items after {@code Marker}, at most {@code MaxItems} (1 to 1000, default 100). */
  static <T> Page<T> page(List<T> all, Function<T, String> key, Map<String, List<String>> form) {
    String marker = param(form, "Marker");
    int max = 100;
    String m = param(form, "MaxItems");
    if (m != null) {
      try {
        max = Integer.parseInt(m);
      } catch (NumberFormatException e) {
        max = -1;
      }
      if (max < 1 || max > 1000) throw new IamException(400, "ValidationError", "1 validation error detected: Value '" + m
          + "' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000");
    }
    List<T> out = new ArrayList<>();
    boolean truncated = false;
    for (T t : all) {
      if (marker != null && key.apply(t).compareTo(marker) <= 0) continue;
      if (out.size() == max) {
        truncated = true;
        break;
      }
      out.add(t);
    }
    String next = truncated ? key.apply(out.get(out.size() - 1)) : null;
    return new Page<>(out, next);
  }

  /** A page of items, and the marker of the next page (null when this is the last). */
  record Page<T>(List<T> items, String nextMarker) {

    /** {@code <IsTruncated>} and, when truncated, {@code <Marker>}. */
    String tail() {
      return "<IsTruncated>" + (nextMarker != null) + "</IsTruncated>"
          + (nextMarker == null ? "" : "<Marker>" + esc(nextMarker) + "</Marker>");
    }
  }
}
