package dev.meridian.cluster.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one authorization question is about: who asks ({@link Identity}), for which action
 * ({@code s3:GetObject}) on which resource ARN, and the request's condition keys ({@code aws:SourceIp},
 * {@code aws:SecureTransport}, {@code s3:prefix}...). Key names are case-insensitive, as in AWS; a key may
 * have several values (multivalued keys such as {@code aws:TagKeys}).
 */
public record RequestContext(Identity identity, String action, String resource, Map<String, List<String>> keys) {

  public RequestContext {
    Map<String, List<String>> lower = new HashMap<>();
    keys.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
    identity(identity, lower);
    keys = Map.copyOf(lower);
  }

  /** The values of a key, or null when the request does not have it. */
  public List<String> values(String key) {
    return keys.get(key.toLowerCase(Locale.ROOT));
  }

  /** The single value of a key (for policy variables), or null. */
  public String value(String key) {
    List<String> v = values(key);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** The same request for another action and resource (one request may need several permissions). */
  public RequestContext with(String otherAction, String otherResource) {
    return new RequestContext(identity, otherAction, otherResource, keys);
  }

  /** The global keys every request has, derived from the identity (unless the caller set them). */
  private static void identity(Identity id, Map<String, List<String>> keys) {
    if (id == null) return;
    if (id.kind() != Identity.Kind.ANONYMOUS && id.kind() != Identity.Kind.SERVICE) {
      keys.putIfAbsent("aws:principalarn", List.of(id.arn()));
      keys.putIfAbsent("aws:principalaccount", List.of(id.account()));
      keys.putIfAbsent("aws:userid", List.of(id.id()));
    }
    if (id.kind() == Identity.Kind.SERVICE) keys.putIfAbsent("aws:principalservicename", List.of(id.arn()));
    keys.putIfAbsent("aws:principaltype", List.of(id.principalType()));
    if (id.name() != null) keys.putIfAbsent("aws:username", List.of(id.name()));
  }
}
