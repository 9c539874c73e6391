package dev.meridian.api.access;

import dev.meridian.api.Addressing;
import dev.meridian.api.auth.CredentialsProvider;
import dev.meridian.cluster.iam.IamDirectory;
import dev.meridian.cluster.policy.Identity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Finds who a signed request claims to be, before its signature is checked: the configured root
 * credentials, or an access key created through IAM (read from the global store through
 * {@link IamDirectory}, so a key created on any node works on every node at once). The SigV4 verifier
 * then checks the signature against the secret found here; an unknown or Inactive key gets the verifier's
 * InvalidAccessKeyId.
 */
public final class Callers {

  /** The secrets the verifier may use for this request, and the identity behind the claimed key. */
  public record Resolved(CredentialsProvider credentials, Identity identity) {}

  private final Map<String, String> rootKeys;
  private final IamDirectory iam;
  private final Identity root;

  public Callers(Map<String, String> rootKeys, IamDirectory iam) {
    this.rootKeys = Map.copyOf(rootKeys);
    this.iam = iam;
    this.root = Identity.root(iam.accountId());
  }

  /** Resolves the key a request claims ({@code null} when it claims none). */
  public CompletionStage<Resolved> resolve(String accessKeyId) {
    CredentialsProvider rootOnly = id -> Optional.ofNullable(rootKeys.get(id));
    if (accessKeyId == null) return CompletableFuture.completedFuture(new Resolved(rootOnly, Identity.anonymous()));
    if (rootKeys.containsKey(accessKeyId)) return CompletableFuture.completedFuture(new Resolved(rootOnly, root));
    return iam.accessKey(accessKeyId, false).thenApply(found -> {
      if (found.isEmpty() || !found.get().active()) return new Resolved(rootOnly, null);
      IamDirectory.KeyOwner k = found.get();
      CredentialsProvider both = id -> id.equals(k.accessKeyId()) ? Optional.of(k.secret()) : rootOnly.secretFor(id);
      return new Resolved(both, k.identity());
    });
  }

  /** The access key id in the Authorization header or the X-Amz-Credential query parameter, or null. */
  public static String claimedKeyId(String authorization, String rawQuery) {
    if (authorization != null) {
      int at = authorization.indexOf("Credential=");
      if (at < 0) return null;
      int start = at + "Credential=".length();
      int slash = authorization.indexOf('/', start);
      return slash < 0 ? null : authorization.substring(start, slash).trim();
    }
    if (rawQuery == null) return null;
    Map<String, List<String>> q = Addressing.query(rawQuery);
    List<String> cred = q.get("X-Amz-Credential");
    if (cred == null || cred.isEmpty()) return null;
    int slash = cred.get(0).indexOf('/');
    return slash < 0 ? null : cred.get(0).substring(0, slash);
  }
}
