package dev.meridian.cluster.bucket;

import java.util.List;
import java.util.Locale;

/**
 * One rule of a bucket's CORS configuration, as S3 keeps it. A request matches a rule when its origin
 * matches one of {@code allowedOrigins} (each may hold one {@code *} wildcard), its method is one of
 * {@code allowedMethods}, and every header it asks for matches one of {@code allowedHeaders} (wildcards
 * allowed, compared case-insensitively). {@code maxAgeSeconds} is null when the rule sets none.
 */
public record CorsRule(
    String id,
    List<String> allowedOrigins,
    List<String> allowedMethods,
    List<String> allowedHeaders,
    List<String> exposeHeaders,
    Integer maxAgeSeconds) {

  /** The methods a CORS rule may allow (S3 refuses any other). */
  public static final List<String> METHODS = List.of("GET", "PUT", "HEAD", "POST", "DELETE");

  public CorsRule {
    allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    allowedMethods = allowedMethods == null ? List.of() : List.copyOf(allowedMethods);
    allowedHeaders = allowedHeaders == null ? List.of() : List.copyOf(allowedHeaders);
    exposeHeaders = exposeHeaders == null ? List.of() : List.copyOf(exposeHeaders);
  }

  /** The first rule of {@code rules} that allows the request, or null (S3 evaluates rules in order). */
  public static CorsRule firstMatch(List<CorsRule> rules, String origin, String method, List<String> requestHeaders) {
    for (CorsRule r : rules) {
      if (r.allows(origin, method, requestHeaders)) return r;
    }
    return null;
  }

  public boolean allows(String origin, String method, List<String> requestHeaders) {
    if (origin == null || !allowedMethods.contains(method)) return false;
    if (allowedOrigins.stream().noneMatch(o -> wildcardMatch(o, origin))) return false;
    for (String h : requestHeaders) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (allowedHeaders.stream().noneMatch(a -> wildcardMatch(a.toLowerCase(Locale.ROOT), lower))) return false;
    }
    return true;
  }

  /** True when the rule allows every origin, so S3 answers {@code Access-Control-Allow-Origin: *}. */
  public boolean anyOrigin() {
    return allowedOrigins.contains("*");
  }

  /** S3's pattern: literal text with at most one {@code *}, which matches any run of characters. */
  static boolean wildcardMatch(String pattern, String value) {
    int star = pattern.indexOf('*');
    if (star < 0) return pattern.equals(value);
    String head = pattern.substring(0, star);
    String tail = pattern.substring(star + 1);
    return value.length() >= head.length() + tail.length() && value.startsWith(head) && value.endsWith(tail);
  }
}
