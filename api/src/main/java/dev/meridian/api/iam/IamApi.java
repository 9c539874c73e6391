package dev.meridian.api.iam;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.api.Addressing;
import dev.meridian.api.S3Server;
import dev.meridian.api.auth.AuthError;
import dev.meridian.api.auth.CredentialsProvider;
import dev.meridian.api.auth.SigV4Request;
import dev.meridian.api.auth.SigV4Result;
import dev.meridian.api.auth.SigV4Verifier;
import dev.meridian.api.xml.S3Xml;
import dev.meridian.persistence.IamStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;

/**
 * The IAM and STS Query API (form-encoded POST to {@code /}, XML answers, SigV4 with service {@code iam}
 * or {@code sts}) as far as the replication tutorial needs it: roles with their trust policy and inline
 * policies, and GetCallerIdentity. Roles are kept in the global keyspace; enforcing them is the access
 * control issue's work.
 */
public final class IamApi {

  private static final String IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
  private static final String STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
  private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final IamStore store;
  private final CredentialsProvider credentials;
  private final Set<String> regions;
  private final String accountId;
  private final Materializer mat;
  private final SigV4Verifier verifier = new SigV4Verifier();

  public IamApi(IamStore store, CredentialsProvider credentials, Set<String> regions, String accountId, Materializer mat) {
    this.store = store;
    this.credentials = credentials;
    this.regions = new HashSet<>(regions);
    this.regions.add("us-east-1"); // IAM is global: clients sign it for us-east-1
    this.accountId = accountId;
    this.mat = mat;
  }

  /** A Query API call: a form-encoded POST to the root (S3 never posts a form there). */
  public static boolean handles(HttpRequest request, String rawPath) {
    return request.method().value().equals("POST") && (rawPath.equals("/") || rawPath.isEmpty())
        && request.entity().getContentType().mediaType().toString().equals("application/x-www-form-urlencoded");
  }

  /** An IAM error, rendered in IAM's own error shape. */
  static final class IamException extends RuntimeException {
    final int status;
    final String code;

    IamException(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  public CompletionStage<HttpResponse> handle(HttpRequest request, String rawPath, String rawQuery, String requestId) {
    return request.entity().toStrict(Duration.ofSeconds(30).toMillis(), 1024 * 1024, mat)
        .thenCompose(strict -> {
          byte[] body = strict.getData().toArray();
          authenticate(request, rawPath, rawQuery, body);
          Map<String, List<String>> form = Addressing.query(new String(body, StandardCharsets.UTF_8));
          return dispatch(form, requestId);
        })
        .handle((ok, err) -> {
          if (err == null) return ok;
          Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
          IamException iam = e instanceof IamException x ? x : new IamException(500, "ServiceFailure", "Internal error");
          String type = iam.status >= 500 ? "Receiver" : "Sender";
          return xml(iam.status, "<ErrorResponse xmlns=\"" + IAM_NS + "\"><Error><Type>" + type + "</Type><Code>" + iam.code
              + "</Code><Message>" + S3Xml.escape(iam.getMessage()) + "</Message></Error><RequestId>" + requestId
              + "</RequestId></ErrorResponse>");
        })
        .thenApply(r -> r.addHeader(RawHeader.create("x-amzn-RequestId", requestId)));
  }

  private void authenticate(HttpRequest request, String rawPath, String rawQuery, byte[] body) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (HttpHeader h : request.getHeaders()) headers.add(new AbstractMap.SimpleImmutableEntry<>(h.name(), h.value()));
    headers.add(new AbstractMap.SimpleImmutableEntry<>("Content-Length", Integer.toString(body.length)));
    SigV4Result r = null;
    // Pekko re-renders Content-Type ("charset=utf-8" becomes "charset=UTF-8"): try the clients' spellings.
    for (String contentType : S3Server.contentTypeSpellings(request.entity().getContentType().toString())) {
      List<Map.Entry<String, String>> withType = new ArrayList<>(headers);
      withType.add(new AbstractMap.SimpleImmutableEntry<>("Content-Type", contentType));
      r = verifier.verify(new SigV4Request("POST", rawPath.isEmpty() ? "/" : rawPath, rawQuery, withType),
          credentials, Instant.now(), regions, Set.of("iam", "sts"), sha256(body));
      if (!(r instanceof SigV4Result.Failed f && f.error() == AuthError.SignatureDoesNotMatch)) break;
    }
    if (r instanceof SigV4Result.Failed f) {
      int status = f.error().httpStatus();
      String code = f.error().name().equals("InvalidAccessKeyId") ? "InvalidClientTokenId" : f.error().name();
      throw new IamException(status, code, f.message());
    }
    if (r instanceof SigV4Result.Anonymous) throw new IamException(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
  }

  private CompletionStage<HttpResponse> dispatch(Map<String, List<String>> form, String requestId) {
    String action = param(form, "Action");
    if (action == null) throw new IamException(400, "MissingAction", "Missing Action");
    return switch (action) {
      case "CreateRole" -> createRole(form, requestId);
      case "GetRole" -> role(required(form, "RoleName")).thenApply(r -> ok("GetRole", "<Role>" + roleXml(r) + "</Role>", requestId));
      case "ListRoles" -> store.roles().thenApply(all -> ok("ListRoles", "<Roles>" + all.stream()
          .map(r -> "<member>" + roleXml(r) + "</member>").reduce("", String::concat) + "</Roles><IsTruncated>false</IsTruncated>", requestId));
      case "DeleteRole" -> { String name = required(form, "RoleName"); yield role(name).thenCompose(r -> store.rolePolicies(name))
          .thenCompose(policies -> {
            if (!policies.isEmpty()) throw new IamException(409, "DeleteConflict", "Cannot delete entity, must delete policies first.");
            return store.deleteRole(name);
          }).thenApply(x -> ok("DeleteRole", null, requestId)); }
      case "PutRolePolicy" -> { String name = required(form, "RoleName"); String policy = policyName(form);
          String doc = policyDocument(required(form, "PolicyDocument"));
          yield role(name).thenCompose(r -> store.putRolePolicy(name, policy, doc)).thenApply(x -> ok("PutRolePolicy", null, requestId)); }
      case "GetRolePolicy" -> { String name = required(form, "RoleName"); String policy = policyName(form);
          yield role(name).thenCompose(r -> store.rolePolicies(name)).thenApply(p -> {
            String doc = p.get(policy);
            if (doc == null) throw new IamException(404, "NoSuchEntity", "The role policy with name " + policy + " cannot be found.");
            return ok("GetRolePolicy", "<RoleName>" + S3Xml.escape(name) + "</RoleName><PolicyName>" + S3Xml.escape(policy)
                + "</PolicyName><PolicyDocument>" + S3Xml.escape(urlEncode(doc)) + "</PolicyDocument>", requestId);
          }); }
      case "ListRolePolicies" -> { String name = required(form, "RoleName");
          yield role(name).thenCompose(r -> store.rolePolicies(name)).thenApply(p -> ok("ListRolePolicies", "<PolicyNames>"
              + p.keySet().stream().map(n -> "<member>" + S3Xml.escape(n) + "</member>").reduce("", String::concat)
              + "</PolicyNames><IsTruncated>false</IsTruncated>", requestId)); }
      case "DeleteRolePolicy" -> { String name = required(form, "RoleName"); String policy = policyName(form);
          yield role(name).thenCompose(r -> store.rolePolicies(name)).thenCompose(p -> {
            if (!p.containsKey(policy)) throw new IamException(404, "NoSuchEntity", "The role policy with name " + policy + " cannot be found.");
            return store.deleteRolePolicy(name, policy);
          }).thenApply(x -> ok("DeleteRolePolicy", null, requestId)); }
      case "GetCallerIdentity" -> CompletableFuture.completedFuture(xml(200, "<GetCallerIdentityResponse xmlns=\"" + STS_NS
          + "\"><GetCallerIdentityResult><Arn>arn:aws:iam::" + accountId + ":root</Arn><UserId>" + accountId
          + "</UserId><Account>" + accountId + "</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>"
          + requestId + "</RequestId></ResponseMetadata></GetCallerIdentityResponse>"));
      default -> throw new IamException(400, "InvalidAction", "Could not find operation " + action + " for version 2010-05-08");
    };
  }

  private CompletionStage<HttpResponse> createRole(Map<String, List<String>> form, String requestId) {
    String name = required(form, "RoleName");
    if (!NAME.matcher(name).matches() || name.length() > 64) {
      throw new IamException(400, "ValidationError", "1 validation error detected: Value '" + name + "' at 'roleName' failed to satisfy constraint");
    }
    String trust = policyDocument(required(form, "AssumeRolePolicyDocument"));
    String path = param(form, "Path") == null ? "/" : param(form, "Path");
    byte[] id = new byte[10];
    RANDOM.nextBytes(id);
    IamStore.Role role = new IamStore.Role(name, "AROA" + HexFormat.of().withUpperCase().formatHex(id), 
        "arn:aws:iam::" + accountId + ":role" + path + name, path, trust, param(form, "Description"), Instant.now());
    return store.createRole(role).thenApply(created -> {
      if (!created) throw new IamException(409, "EntityAlreadyExists", "Role with name " + name + " already exists.");
      return ok("CreateRole", "<Role>" + roleXml(role) + "</Role>", requestId);
    });
  }

  private CompletionStage<IamStore.Role> role(String name) {
    return store.role(name).thenApply(r -> r.orElseThrow(() ->
        new IamException(404, "NoSuchEntity", "The role with name " + name + " cannot be found.")));
  }

  private static String roleXml(IamStore.Role r) {
    return "<Path>" + S3Xml.escape(r.path()) + "</Path><RoleName>" + S3Xml.escape(r.name()) + "</RoleName><RoleId>" + r.id()
        + "</RoleId><Arn>" + S3Xml.escape(r.arn()) + "</Arn><CreateDate>" + S3Xml.timestamp(r.created().toEpochMilli())
        + "</CreateDate><AssumeRolePolicyDocument>" + S3Xml.escape(urlEncode(r.trustPolicy())) + "</AssumeRolePolicyDocument>"
        + (r.description() == null ? "" : "<Description>" + S3Xml.escape(r.description()) + "</Description>")
        + "<MaxSessionDuration>3600</MaxSessionDuration>";
  }

  /** A policy document must be JSON (IAM answers MalformedPolicyDocument otherwise). */
  private static String policyDocument(String doc) {
    try {
      if (!JSON.readTree(doc).isObject()) throw new IllegalArgumentException();
      return doc;
    } catch (Exception e) {
      throw new IamException(400, "MalformedPolicyDocument", "Syntax errors in policy.");
    }
  }

  private static String policyName(Map<String, List<String>> form) {
    String p = required(form, "PolicyName");
    if (!NAME.matcher(p).matches()) throw new IamException(400, "ValidationError", "Invalid PolicyName");
    return p;
  }

  private static HttpResponse ok(String action, String result, String requestId) {
    String body = "<" + action + "Response xmlns=\"" + IAM_NS + "\">"
        + (result == null ? "" : "<" + action + "Result>" + result + "</" + action + "Result>")
        + "<ResponseMetadata><RequestId>" + requestId + "</RequestId></ResponseMetadata></" + action + "Response>";
    return xml(200, body);
  }

  private static HttpResponse xml(int status, String body) {
    return HttpResponse.create().withStatus(StatusCodes.get(status)).withEntity(HttpEntities.create(
        dev.meridian.api.Responses.XML, ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body).getBytes(StandardCharsets.UTF_8)));
  }

  private static String param(Map<String, List<String>> form, String name) {
    List<String> v = form.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static String required(Map<String, List<String>> form, String name) {
    String v = param(form, name);
    if (v == null || v.isEmpty()) throw new IamException(400, "ValidationError", "1 validation error detected: Value null at '"
        + Character.toLowerCase(name.charAt(0)) + name.substring(1) + "' failed to satisfy constraint: Member must not be null");
    return v;
  }

  private static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
