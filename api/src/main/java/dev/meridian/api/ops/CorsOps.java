package dev.meridian.api.ops;

import dev.meridian.api.Bodies;
import dev.meridian.api.Responses;
import dev.meridian.api.S3Call;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.api.xml.CorsXml;
import dev.meridian.api.xml.S3Xml;
import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.bucket.BucketSetting;
import dev.meridian.cluster.bucket.CorsRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;

/**
 * Bucket CORS: Get/Put/DeleteBucketCors, the unauthenticated preflight {@code OPTIONS} request that
 * browsers send, and the Access-Control-* headers of ordinary requests that carry an {@code Origin}.
 */
public final class CorsOps {

  private static final int MAX_XML = 64 * 1024;
  private static final int MAX_RULES = 100;

  private final BucketService buckets;
  private final Materializer mat;

  public CorsOps(BucketService buckets, Materializer mat) {
    this.buckets = buckets;
    this.mat = mat;
  }

  public CompletionStage<HttpResponse> getBucketCors(S3Call call) {
    return BucketOps.bucketOf(buckets, call).thenApply(bucket -> {
      if (bucket.cors().isEmpty()) throw new S3Exception(S3Error.NoSuchCORSConfiguration).with("BucketName", bucket.name());
      CorsXml.Configuration doc = new CorsXml.Configuration();
      for (CorsRule r : bucket.cors()) {
        CorsXml.Rule x = new CorsXml.Rule();
        x.id = r.id();
        x.allowedHeaders = r.allowedHeaders();
        x.allowedMethods = r.allowedMethods();
        x.allowedOrigins = r.allowedOrigins();
        x.exposeHeaders = r.exposeHeaders();
        x.maxAgeSeconds = r.maxAgeSeconds();
        doc.rules.add(x);
      }
      return Responses.xml(doc);
    });
  }

  public CompletionStage<HttpResponse> putBucketCors(S3Call call) {
    return BucketOps.bucketOf(buckets, call).thenCompose(bucket -> Bodies.small(call, mat, MAX_XML).thenCompose(body -> {
      CorsXml.Configuration doc = S3Xml.read(body, CorsXml.Configuration.class);
      return buckets.configure(bucket, new BucketSetting.Cors(rules(doc)));
    })).thenApply(x -> Responses.ok());
  }

  public CompletionStage<HttpResponse> deleteBucketCors(S3Call call) {
    return BucketOps.bucketOf(buckets, call)
        .thenCompose(bucket -> buckets.configure(bucket, new BucketSetting.Cors(List.of())))
        .thenApply(x -> Responses.noContent());
  }

  /** The rules of a CORSConfiguration, validated as S3 does. */
  static List<CorsRule> rules(CorsXml.Configuration doc) {
    if (doc.rules == null || doc.rules.isEmpty() || doc.rules.size() > MAX_RULES) throw new S3Exception(S3Error.MalformedXML);
    List<CorsRule> out = new ArrayList<>();
    for (CorsXml.Rule r : doc.rules) {
      if (r == null || r.allowedMethods == null || r.allowedMethods.isEmpty()
          || r.allowedOrigins == null || r.allowedOrigins.isEmpty()) {
        throw new S3Exception(S3Error.MalformedXML);
      }
      for (String m : r.allowedMethods) {
        if (!CorsRule.METHODS.contains(m)) {
          throw new S3Exception(S3Error.InvalidRequest, "Found unsupported HTTP method in CORS config. Unsupported method is " + m);
        }
      }
      for (String o : r.allowedOrigins) {
        if (o.indexOf('*') != o.lastIndexOf('*')) {
          throw new S3Exception(S3Error.InvalidRequest, "AllowedOrigin \"" + o + "\" can not have more than one wildcard.");
        }
      }
      if (r.id != null && r.id.length() > 255) throw new S3Exception(S3Error.InvalidArgument, "ID length should not exceed allowed limit of 255");
      out.add(new CorsRule(r.id, r.allowedOrigins, r.allowedMethods, r.allowedHeaders, r.exposeHeaders, r.maxAgeSeconds));
    }
    return out;
  }

  /**
   * A browser's preflight: which rule of the bucket allows the origin, the method it will use and the
   * headers it will send. Unauthenticated, as S3 serves it.
   */
  public CompletionStage<HttpResponse> preflight(String bucket, HttpRequest request) {
    String origin = header(request, "Origin");
    String method = header(request, "Access-Control-Request-Method");
    if (origin == null) throw new S3Exception(S3Error.BadRequest);
    if (method == null) {
      throw new S3Exception(S3Error.BadRequest, "Invalid Access-Control-Request-Method: null");
    }
    if (bucket == null) throw new S3Exception(S3Error.AccessForbidden, "CORSResponse: Bucket not found");
    List<String> requested = requestedHeaders(request);
    return buckets.bucket(bucket).thenApply(info -> {
      if (info.cors().isEmpty()) throw new S3Exception(S3Error.AccessForbidden, "CORSResponse: CORS is not enabled for this bucket.");
      CorsRule rule = CorsRule.firstMatch(info.cors(), origin, method, requested);
      if (rule == null) throw new S3Exception(S3Error.AccessForbidden);
      HttpResponse r = Responses.ok().addHeaders(allowHeaders(rule, origin));
      if (!requested.isEmpty()) r = r.addHeader(RawHeader.create("Access-Control-Allow-Headers", String.join(", ", requested)));
      if (rule.maxAgeSeconds() != null) {
        r = r.addHeader(RawHeader.create("Access-Control-Max-Age", Integer.toString(rule.maxAgeSeconds())));
      }
      return r;
    });
  }

  /**
   * The Access-Control-* headers for an ordinary request that carries an Origin, when a rule of the
   * bucket allows it; none otherwise (the browser then withholds the response, as with S3).
   */
  public CompletionStage<List<HttpHeader>> responseHeaders(String bucket, HttpRequest request) {
    String origin = header(request, "Origin");
    if (origin == null || bucket == null) return CompletableFuture.completedFuture(List.of());
    return buckets.bucket(bucket).handle((info, err) -> {
      if (err != null || info.cors().isEmpty()) return List.<HttpHeader>of();
      CorsRule rule = CorsRule.firstMatch(info.cors(), origin, request.method().value(), List.of());
      return rule == null ? List.<HttpHeader>of() : allowHeaders(rule, origin);
    });
  }

  private static List<HttpHeader> allowHeaders(CorsRule rule, String origin) {
    List<HttpHeader> out = new ArrayList<>();
    out.add(RawHeader.create("Access-Control-Allow-Origin", rule.anyOrigin() ? "*" : origin));
    out.add(RawHeader.create("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods())));
    if (!rule.anyOrigin()) out.add(RawHeader.create("Access-Control-Allow-Credentials", "true"));
    if (!rule.exposeHeaders().isEmpty()) {
      out.add(RawHeader.create("Access-Control-Expose-Headers", String.join(", ", rule.exposeHeaders())));
    }
    out.add(RawHeader.create("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"));
    return out;
  }

  private static List<String> requestedHeaders(HttpRequest request) {
    String value = header(request, "Access-Control-Request-Headers");
    if (value == null || value.isBlank()) return List.of();
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .map(s -> s.toLowerCase(Locale.ROOT)).toList();
  }

  private static String header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value).orElse(null);
  }
}
