package dev.meridian.api;

import dev.meridian.api.auth.SigV4Result;
import dev.meridian.cluster.policy.Identity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * One authenticated S3 request, addressed: its body (read only through {@link Bodies}, at most once), bucket
 * and key decoded from the path (path-style) or the host (virtual-hosted style), query parameters decoded,
 * the verified signature (needed again to decode a streaming body; null for an anonymous request, which
 * bucket policies may allow for requests without a body), the Content-Type as the client spelled it when it
 * signed it (else null), and the verified identity of the caller (the root, or an IAM user), which
 * authorization evaluates.
 */
public record S3Call(
    String requestId,
    HttpRequest request,
    RequestBody body,
    String method,
    String bucket,
    String key,
    Map<String, List<String>> query,
    SigV4Result.Verified auth,
    String owner,
    String contentType,
    Identity identity) {

  public boolean has(String param) {
    return query.containsKey(param);
  }

  /** The first value of a query parameter, or null. */
  public String param(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public Optional<String> header(String name) {
    return request.getHeader(name).map(HttpHeader::value);
  }

  public String headerOrNull(String name) {
    return header(name).orElse(null);
  }

  /** The resource as S3 names it in error documents: /bucket or /bucket/key. */
  public String resource() {
    if (bucket == null) return "/";
    return key == null ? "/" + bucket : "/" + bucket + "/" + key;
  }
}
