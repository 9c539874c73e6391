package dev.meridian.api;

import dev.meridian.api.access.Callers;
import dev.meridian.api.auth.AuthError;
import dev.meridian.api.iam.IamApi;
import dev.meridian.api.auth.CredentialsProvider;
import dev.meridian.api.auth.SigV4Request;
import dev.meridian.api.auth.SigV4Result;
import dev.meridian.api.auth.SigV4Verifier;
import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.policy.Identity;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 endpoint of one node: gives every request an id, resolves its bucket and key, authenticates it
 * (SigV4 header, presigned query or streaming; root credentials or IAM access keys, see {@link Callers}),
 * hands it to {@link S3Router} (which authorizes it), and renders any failure as an S3 error. IAM and STS
 * Query requests go to {@link IamApi}. Bodies are never read here, only drained before an error is answered
 * ({@link RequestBody}); the operation that needs one streams it.
 */
public final class S3Server {

  private static final Logger log = LoggerFactory.getLogger(S3Server.class);

  private final ActorSystem<?> system;
  private final ApiSettings settings;
  private final S3Router router;
  /** Methods an anonymous request may use (when a bucket policy allows it): those that send no body. */
  private static final Set<String> ANONYMOUS_METHODS = Set.of("GET", "HEAD", "DELETE");

  private final SigV4Verifier verifier = new SigV4Verifier();
  private final Callers callers;
  private final Identity root;
  private final Set<String> regions;
  private final String owner;
  private final Materializer mat;
  private final IamApi iam;

  public S3Server(ActorSystem<?> system, ApiSettings settings, BucketService buckets) {
    this.system = system;
    this.settings = settings;
    this.mat = Materializer.matFromSystem(system);
    this.router = new S3Router(buckets, settings, mat);
    this.callers = new Callers(settings.credentials(), buckets.iamDirectory());
    this.regions = new HashSet<>(buckets.settings().regions());
    this.owner = buckets.settings().accountId();
    this.root = Identity.root(owner);
    this.iam = new IamApi(buckets, callers, settings.credentials().keySet(), regions, mat);
  }

  public CompletionStage<ServerBinding> bind() {
    return Http.get(system).newServerAt(settings.host(), settings.port()).bind(this::handle);
  }

  public CompletionStage<HttpResponse> handle(HttpRequest request) {
    String requestId = newRequestId();
    RequestBody body = new RequestBody(request);
    String method = request.method().value();
    boolean head = method.equals("HEAD");
    String resource = "/";
    CompletionStage<HttpResponse> response;
    try {
      String raw = request.getHeader("Raw-Request-URI").map(HttpHeader::value).orElse(request.getUri().toString());
      int q = raw.indexOf('?');
      String rawPath = pathOf(q < 0 ? raw : raw.substring(0, q));
      String rawQuery = q < 0 ? null : raw.substring(q + 1);
      String host = request.getHeader("Host").map(HttpHeader::value).orElse(null);
      Addressing.Target target = Addressing.target(rawPath, host, settings.virtualHostDomains());
      if (IamApi.handles(request, rawPath)) return iam.handle(request, rawPath, rawQuery, requestId);
      resource = target.bucket() == null ? "/" : target.key() == null ? "/" + target.bucket()
          : "/" + target.bucket() + "/" + target.key();
      if (method.equals("OPTIONS")) {
        response = router.cors.preflight(target.bucket(), request); // browsers send preflights unsigned
      } else {
        String claimed = Callers.claimedKeyId(request.getHeader("Authorization").map(HttpHeader::value).orElse(null), rawQuery);
        response = callers.resolve(claimed).thenCompose(resolved -> {
          Authenticated auth = authenticate(request, method, rawPath, rawQuery, resolved.credentials());
          Identity who = auth.verified() == null ? Identity.anonymous()
              : settings.credentials().containsKey(auth.verified().accessKeyId()) ? root : resolved.identity();
          S3Call call = new S3Call(requestId, request, body, method, target.bucket(), target.key(),
              Addressing.query(rawQuery), auth.verified(), owner, auth.contentType(), who);
          return router.route(call);
        });
        if (request.getHeader("Origin").isPresent()) response = withCorsHeaders(response, target.bucket(), request);
      }
    } catch (RuntimeException e) {
      response = CompletableFuture.failedFuture(e);
    }
    return answer(response, body, resource, requestId, head, mat);
  }

  /**
   * The response to a request: the operation's, or its failure as an S3 error, sent once the request's body
   * has settled ({@link RequestBody#settle}): an error sent while the client still uploads would reach it as
   * a closed connection, or behind a second {@code 100 Continue}, rather than as the error.
   */
  static CompletionStage<HttpResponse> answer(CompletionStage<HttpResponse> response, RequestBody body,
      String resource, String requestId, boolean head, Materializer mat) {
    return response.handle((ok, err) -> {
      if (err == null) {
        return CompletableFuture.completedFuture(ok.addHeader(RawHeader.create("x-amz-request-id", requestId)));
      }
      HttpResponse error = ErrorResponses.render(ErrorResponses.from(err), resource, requestId, head);
      return body.settle(mat).thenApply(settled -> error);
    }).thenCompose(r -> r);
  }

  /** Adds the Access-Control-* headers that the bucket's CORS rules grant a request from a browser. */
  private CompletionStage<HttpResponse> withCorsHeaders(CompletionStage<HttpResponse> response, String bucket,
      HttpRequest request) {
    return response.thenCompose(r -> router.cors.responseHeaders(bucket, request).thenApply(r::addHeaders));
  }

  /** A verified request (null: anonymous), and its Content-Type as the client spelled it (when it signed it). */
  private record Authenticated(SigV4Result.Verified verified, String contentType) {}

  private Authenticated authenticate(HttpRequest request, String method, String rawPath, String rawQuery,
      CredentialsProvider credentials) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (HttpHeader h : request.getHeaders()) headers.add(new AbstractMap.SimpleImmutableEntry<>(h.name(), h.value()));
    request.entity().getContentLengthOption().ifPresent(len ->
        headers.add(new AbstractMap.SimpleImmutableEntry<>("Content-Length", Long.toString(len))));
    // Pekko moves Content-Type and Content-Length into the entity; clients sign them as headers (adding
    // them when not sent is harmless: only headers named in SignedHeaders are hashed). The entity keeps
    // the parsed Content-Type only, re-rendered ("text/plain;charset=utf-8" comes back as
    // "text/plain; charset=UTF-8"), so the spellings clients use are tried in turn.
    // Likewise the path: the AWS SDK for Java sends the second slash of "//" in a key as %2F but signs
    // "//", while other signers sign the path as sent.
    SigV4Result result = null;
    String spelling = null;
    search:
    for (String path : pathSpellings(rawPath)) {
      for (String contentType : contentTypeSpellings(request.entity().getContentType().toString())) {
        List<Map.Entry<String, String>> withType = new ArrayList<>(headers);
        withType.add(new AbstractMap.SimpleImmutableEntry<>("Content-Type", contentType));
        result = verifier.verify(new SigV4Request(method, path, rawQuery, withType), credentials, Instant.now(), regions);
        spelling = contentType;
        if (!(result instanceof SigV4Result.Failed f && f.error() == AuthError.SignatureDoesNotMatch)) break search;
      }
    }
    if (result instanceof SigV4Result.Verified v) return new Authenticated(v, spelling);
    if (result instanceof SigV4Result.Failed f) throw ErrorResponses.fromAuth(f.error(), f.message(), f.details());
    // Anonymous: what a bucket policy grants to "*" (public reads), for requests without a body only.
    if (ANONYMOUS_METHODS.contains(method)) return new Authenticated(null, null);
    throw new S3Exception(S3Error.AccessDenied);
  }

  static List<String> pathSpellings(String rawPath) {
    String slashes = rawPath.replace("%2F", "/").replace("%2f", "/");
    return slashes.equals(rawPath) ? List.of(rawPath) : List.of(rawPath, slashes);
  }

  /** The spellings of a Content-Type that Pekko renders as {@code rendered}, most likely first. */
  public static List<String> contentTypeSpellings(String rendered) {
    List<String> out = new ArrayList<>(List.of(rendered));
    // Pekko drops a charset it considers the media type's default (form data is UTF-8).
    String base = rendered.contains(";") ? rendered : rendered + "; charset=UTF-8";
    String tight = base.replace("; ", ";");
    for (String s : List.of(base.toLowerCase(java.util.Locale.ROOT), base, tight, tight.toLowerCase(java.util.Locale.ROOT))) {
      if (!out.contains(s)) out.add(s);
    }
    return out;
  }


  /** The path of a raw request target, which may be in absolute form (http://host/path). */
  private static String pathOf(String target) {
    if (target.startsWith("http://") || target.startsWith("https://")) {
      int slash = target.indexOf('/', target.indexOf("//") + 2);
      return slash < 0 ? "/" : target.substring(slash);
    }
    return target.isEmpty() ? "/" : target;
  }

  private static String newRequestId() {
    // An id for logs and error bodies, not a secret: no SecureRandom (a lock and entropy mixing per request).
    return HexFormat.of().withUpperCase().toHexDigits(ThreadLocalRandom.current().nextLong());
  }
}
