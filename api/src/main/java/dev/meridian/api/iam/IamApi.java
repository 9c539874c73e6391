package dev.meridian.api.iam;

import dev.meridian.api.Addressing;
import dev.meridian.api.S3Server;
import dev.meridian.api.access.Callers;
import dev.meridian.api.auth.AuthError;
import dev.meridian.api.auth.SigV4Request;
import dev.meridian.api.auth.SigV4Result;
import dev.meridian.api.auth.SigV4Verifier;
import dev.meridian.api.iam.IamXml.IamException;
import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.iam.IamDirectory;
import dev.meridian.cluster.policy.Identity;
import dev.meridian.cluster.policy.Policy;
import dev.meridian.cluster.policy.PolicyEvaluator;
import dev.meridian.cluster.policy.RequestContext;
import dev.meridian.persistence.IamStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;

/**
 * The IAM and STS Query API, served by every node: form-encoded POST to {@code /}, XML answers, SigV4 with
 * service {@code iam} or {@code sts}. Roles ({@link IamRoles}), users, access keys and inline user policies
 * ({@link IamUsers}), and GetCallerIdentity. The root credentials may call everything; an IAM user needs
 * its policies to allow {@code iam:<Action>} on the user or role the call is about (AccessDenied
 * otherwise). State lives in the global keyspace, so every region answers the same.
 */
public final class IamApi {

  private final IamDirectory iam;
  private final IamStore store;
  private final Callers callers;
  private final Set<String> rootKeys;
  private final Set<String> regions;
  private final String accountId;
  private final Materializer mat;
  private final SigV4Verifier verifier = new SigV4Verifier();
  private final IamRoles roles;
  private final IamUsers users;

  public IamApi(BucketService buckets, Callers callers, Set<String> rootKeys, Set<String> regions, Materializer mat) {
    this.iam = buckets.iamDirectory();
    this.store = iam.store();
    this.callers = callers;
    this.rootKeys = Set.copyOf(rootKeys);
    this.regions = new HashSet<>(regions);
    // IAM is global: clients sign it for us-east-1, or for "aws-global" (the AWS SDK for Java v2 with an
    // endpoint override and Region.AWS_GLOBAL).
    this.regions.add("us-east-1");
    this.regions.add("aws-global");
    this.accountId = iam.accountId();
    this.mat = mat;
    this.roles = new IamRoles(iam);
    this.users = new IamUsers(iam);
  }

  /** A Query API call: a form-encoded POST to the root (S3 never posts a form there). */
  public static boolean handles(HttpRequest request, String rawPath) {
    return request.method().value().equals("POST") && (rawPath.equals("/") || rawPath.isEmpty())
        && request.entity().getContentType().mediaType().toString().equals("application/x-www-form-urlencoded");
  }

  public CompletionStage<HttpResponse> handle(HttpRequest request, String rawPath, String rawQuery, String requestId) {
    return request.entity().toStrict(Duration.ofSeconds(30).toMillis(), 1024 * 1024, mat)
        .thenCompose(strict -> {
          byte[] body = strict.getData().toArray();
          String claimed = Callers.claimedKeyId(request.getHeader("Authorization").map(HttpHeader::value).orElse(null), rawQuery);
          return callers.resolve(claimed).thenCompose(resolved -> {
            Identity who = authenticate(request, rawPath, rawQuery, body, resolved);
            Map<String, List<String>> form = Addressing.query(new String(body, StandardCharsets.UTF_8));
            return dispatch(who, form, requestId);
          });
        })
        .handle((ok, err) -> {
          if (err == null) return ok;
          Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
          IamException iamError = e instanceof IamException x ? x : unexpected(e);
          return IamXml.error(iamError, requestId);
        })
        .thenApply(r -> r.addHeader(RawHeader.create("x-amzn-RequestId", requestId)));
  }

  /**
   * Any other failure, as IAM would report it: storage that does not answer (a cut-off Cassandra data
   * center) is ServiceUnavailable, 503, to be retried; anything else a ServiceFailure, 500.
   */
  private static IamException unexpected(Throwable e) {
    dev.meridian.api.S3Exception s3 = dev.meridian.api.ErrorResponses.from(e);
    if (s3.error == dev.meridian.api.S3Error.ServiceUnavailable) {
      return new IamException(503, "ServiceUnavailable", s3.getMessage());
    }
    return new IamException(500, "ServiceFailure", "Internal error");
  }

  private Identity authenticate(HttpRequest request, String rawPath, String rawQuery, byte[] body, Callers.Resolved resolved) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (HttpHeader h : request.getHeaders()) headers.add(new AbstractMap.SimpleImmutableEntry<>(h.name(), h.value()));
    headers.add(new AbstractMap.SimpleImmutableEntry<>("Content-Length", Integer.toString(body.length)));
    SigV4Result r = null;
    // Pekko re-renders Content-Type ("charset=utf-8" becomes "charset=UTF-8"): try the clients' spellings.
    for (String contentType : S3Server.contentTypeSpellings(request.entity().getContentType().toString())) {
      List<Map.Entry<String, String>> withType = new ArrayList<>(headers);
      withType.add(new AbstractMap.SimpleImmutableEntry<>("Content-Type", contentType));
      r = verifier.verify(new SigV4Request("POST", rawPath.isEmpty() ? "/" : rawPath, rawQuery, withType),
          resolved.credentials(), Instant.now(), regions, Set.of("iam", "sts"), sha256(body));
      if (!(r instanceof SigV4Result.Failed f && f.error() == AuthError.SignatureDoesNotMatch)) break;
    }
    if (r instanceof SigV4Result.Failed f) {
      int status = f.error().httpStatus();
      String code = f.error().name().equals("InvalidAccessKeyId") ? "InvalidClientTokenId" : f.error().name();
      throw new IamException(status, code, f.message());
    }
    if (r instanceof SigV4Result.Anonymous) throw new IamException(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    String keyId = ((SigV4Result.Verified) r).accessKeyId();
    return rootKeys.contains(keyId) ? Identity.root(accountId) : resolved.identity();
  }

  private CompletionStage<HttpResponse> dispatch(Identity who, Map<String, List<String>> form, String requestId) {
    String action = IamXml.param(form, "Action");
    if (action == null) throw new IamException(400, "MissingAction", "Missing Action");
    if (action.equals("GetCallerIdentity")) return CompletableFuture.completedFuture(callerIdentity(who, requestId));
    boolean known = IamRoles.ACTIONS.contains(action) || IamUsers.ACTIONS.contains(action);
    if (!known) throw new IamException(400, "InvalidAction", "Could not find operation " + action + " for version 2010-05-08");
    return permit(who, action, form).thenCompose(x -> IamRoles.ACTIONS.contains(action)
        ? roles.handle(action, form, requestId) : users.handle(who, action, form, requestId));
  }

  /** GetCallerIdentity needs no permission: it says who signed the request. */
  private HttpResponse callerIdentity(Identity who, String requestId) {
    return IamXml.xml(200, "<GetCallerIdentityResponse xmlns=\"" + IamXml.STS_NS + "\"><GetCallerIdentityResult><Arn>"
        + IamXml.esc(who.arn()) + "</Arn><UserId>" + IamXml.esc(who.id()) + "</UserId><Account>" + accountId
        + "</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>" + requestId
        + "</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
  }

  /**
   * Whether the caller may call {@code action} on the user or role it is about: always for the root, by its
   * identity policies for a user (re-checked against freshly read policies before refusing).
   */
  private CompletionStage<Void> permit(Identity who, String action, Map<String, List<String>> form) {
    if (who.isRoot()) return CompletableFuture.completedFuture(null);
    return resource(who, action, form).thenCompose(resource -> {
      RequestContext ctx = new RequestContext(who, "iam:" + action, resource, Map.of(
          "aws:CurrentTime", List.of(Instant.now().toString()),
          "aws:EpochTime", List.of(Long.toString(Instant.now().getEpochSecond())),
          "aws:SecureTransport", List.of("false")));
      return decide(who, ctx, false).thenCompose(d -> d ? CompletableFuture.completedFuture(true) : decide(who, ctx, true))
          .thenAccept(allowed -> {
            if (!allowed) {
              throw new IamException(403, "AccessDenied", "User: " + who.arn() + " is not authorized to perform: iam:"
                  + action + " on resource: " + resource);
            }
          });
    });
  }

  private CompletionStage<Boolean> decide(Identity who, RequestContext ctx, boolean fresh) {
    if (who.kind() != Identity.Kind.USER) return CompletableFuture.completedFuture(false);
    return iam.userPolicies(who.name(), fresh).thenApply((List<Policy> p) -> PolicyEvaluator.evaluate(p, ctx).allowed());
  }

  /** The ARN an IAM action is checked on: the user or role it names (with its path when it exists). */
  private CompletionStage<String> resource(Identity who, String action, Map<String, List<String>> form) {
    String prefix = "arn:aws:iam::" + accountId + ":";
    switch (action) {
      case "ListUsers":
        return CompletableFuture.completedFuture(prefix + "user/");
      case "ListRoles":
        return CompletableFuture.completedFuture(prefix + "role/");
      case "CreateUser":
        return CompletableFuture.completedFuture(prefix + "user" + IamXml.path(form, "Path") + IamXml.entityName(form, "UserName"));
      case "CreateRole":
        return CompletableFuture.completedFuture(prefix + "role" + IamXml.path(form, "Path") + IamXml.entityName(form, "RoleName"));
      default:
        break;
    }
    if (IamRoles.ACTIONS.contains(action)) {
      String name = IamXml.required(form, "RoleName");
      return store.role(name).thenApply(r -> r.map(IamStore.Role::arn).orElse(prefix + "role/" + name));
    }
    String name = IamXml.param(form, "UserName");
    if (name == null) return CompletableFuture.completedFuture(who.arn()); // the caller itself
    return store.user(name).thenApply((Optional<IamStore.User> u) -> u.map(IamStore.User::arn).orElse(prefix + "user/" + name));
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
