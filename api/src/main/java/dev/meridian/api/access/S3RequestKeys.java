package dev.meridian.api.access;

import dev.meridian.api.S3Call;
import java.net.InetAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.AttributeKeys;

/**
 * The condition keys of an S3 request that policies may test: the global ones ({@code aws:SourceIp},
 * {@code aws:SecureTransport}, {@code aws:CurrentTime}, {@code aws:EpochTime}, {@code aws:UserAgent},
 * {@code aws:Referer}, {@code aws:RequestedRegion}) and S3's ({@code s3:prefix}, {@code s3:delimiter},
 * {@code s3:max-keys}, {@code s3:VersionId}, {@code s3:x-amz-*} request headers, {@code s3:authType},
 * {@code s3:signatureversion}, {@code s3:RequestObjectTag/...}; {@code s3:ExistingObjectTag/...} is added by
 * {@link S3Authorizer} when a policy tests it). The identity's own keys
 * ({@code aws:username}, {@code aws:PrincipalArn}...) are added by the policy engine.
 *
 * <p>{@code aws:SecureTransport} is true only for requests the node itself received over TLS: the S3
 * endpoint serves plain HTTP, so behind a TLS-terminating proxy a policy requiring it denies everything.
 */
public final class S3RequestKeys {

  private static final List<String> HEADER_KEYS = List.of("x-amz-acl", "x-amz-copy-source", "x-amz-metadata-directive",
      "x-amz-server-side-encryption", "x-amz-storage-class", "x-amz-content-sha256", "x-amz-grant-read",
      "x-amz-grant-write", "x-amz-grant-full-control", "x-amz-website-redirect-location", "x-amz-object-lock-mode",
      "x-amz-tagging-directive");

  private S3RequestKeys() {}

  public static Map<String, List<String>> of(S3Call call, String accountId) {
    Map<String, List<String>> keys = new HashMap<>();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    keys.put("aws:CurrentTime", List.of(now.toString()));
    keys.put("aws:EpochTime", List.of(Long.toString(now.getEpochSecond())));
    boolean tls = "https".equalsIgnoreCase(call.request().getUri().getScheme());
    keys.put("aws:SecureTransport", List.of(Boolean.toString(tls)));
    call.request().getAttribute(AttributeKeys.remoteAddress).flatMap(a -> a.getAddress())
        .map(InetAddress::getHostAddress).ifPresent(ip -> keys.put("aws:SourceIp", List.of(ip)));
    call.header("User-Agent").ifPresent(v -> keys.put("aws:UserAgent", List.of(v)));
    call.header("Referer").ifPresent(v -> keys.put("aws:Referer", List.of(v)));
    keys.put("s3:ResourceAccount", List.of(accountId));
    if (call.auth() != null) {
      keys.put("aws:RequestedRegion", List.of(call.auth().region()));
      keys.put("s3:signatureversion", List.of("AWS4-HMAC-SHA256"));
      boolean presigned = call.query().containsKey("X-Amz-Signature");
      keys.put("s3:authType", List.of(presigned ? "REST-QUERY-STRING" : "REST-HEADER"));
    }
    for (String q : List.of("prefix", "delimiter", "max-keys")) {
      String v = call.param(q);
      if (v != null) keys.put("s3:" + q, List.of(v));
    }
    if (call.param("versionId") != null) keys.put("s3:VersionId", List.of(call.param("versionId")));
    for (String h : HEADER_KEYS) call.header(h).ifPresent(v -> keys.put("s3:" + h, List.of(v)));
    call.header("x-amz-tagging").ifPresent(t -> requestTags(t, keys));
    return keys;
  }

  /** {@code s3:RequestObjectTag/<key>} and {@code s3:RequestObjectTagKeys} from an x-amz-tagging header. */
  private static void requestTags(String header, Map<String, List<String>> keys) {
    List<String> tagKeys = new ArrayList<>();
    for (String pair : header.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String k = dev.meridian.api.Addressing.decode(eq < 0 ? pair : pair.substring(0, eq), true);
      String v = eq < 0 ? "" : dev.meridian.api.Addressing.decode(pair.substring(eq + 1), true);
      tagKeys.add(k);
      keys.put("s3:RequestObjectTag/" + k, List.of(v));
    }
    keys.put("s3:RequestObjectTagKeys", tagKeys);
  }
}
