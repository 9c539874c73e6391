package dev.meridian.cluster.iam;

import dev.meridian.cluster.policy.Identity;
import dev.meridian.cluster.policy.ManagedPolicies;
import dev.meridian.cluster.policy.Policy;
import dev.meridian.cluster.policy.PolicyException;
import dev.meridian.cluster.policy.PolicyParser;
import dev.meridian.persistence.IamStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node needs of IAM to authenticate and authorize, read from the global {@link IamStore} through
 * short-lived caches ({@code meridian.iam.cache-ttl}): who owns an access key (and its secret), a user's
 * parsed policies (inline and attached managed ones), a role's parsed trust and permissions policies. A change made through this node's IAM
 * API is seen here at once ({@code forget...}); a change made on another node within the cache time. A
 * caller about to refuse something asks again with {@code fresh} set, so a grant never waits for a cache
 * to expire: only a revocation can lag, by at most the cache time. Unknown access keys are never cached.
 */
public final class IamDirectory {

  private static final Logger log = LoggerFactory.getLogger(IamDirectory.class);
  private static final int MAX_ENTRIES = 10_000;

  /** The owner of an access key, its secret, and whether the key is Active. */
  public record KeyOwner(String accessKeyId, Identity identity, String secret, boolean active) {}

  /** A role with its trust policy and permissions policies parsed (unparseable ones are left out). */
  public record RoleGrant(IamStore.Role role, Policy trust, List<Policy> policies) {}

  private final IamStore store;
  private final String accountId;
  private final SecretBox box;
  private final TtlCache<String, Optional<KeyOwner>> keys;
  private final TtlCache<String, List<Policy>> userPolicies;
  private final TtlCache<String, Optional<RoleGrant>> roles;

  public IamDirectory(IamStore store, IamSettings settings, String accountId) {
    this.store = store;
    this.accountId = accountId;
    this.box = new SecretBox(settings.secretEncryptionKey());
    this.keys = new TtlCache<>(settings.cacheTtl(), MAX_ENTRIES);
    this.userPolicies = new TtlCache<>(settings.cacheTtl(), MAX_ENTRIES);
    this.roles = new TtlCache<>(settings.cacheTtl(), MAX_ENTRIES);
  }

  public IamStore store() {
    return store;
  }

  public String accountId() {
    return accountId;
  }

  /** The stored form of a new key's secret. */
  public String seal(String accessKeyId, String secret) {
    return box.seal(accessKeyId, secret);
  }

  /** The ARN IAM gives a user. */
  public String userArn(String path, String name) {
    return "arn:aws:iam::" + accountId + ":user" + path + name;
  }

  /** The identity of a user record. */
  public Identity identity(IamStore.User u) {
    return Identity.user(accountId, u.name(), u.arn(), u.id());
  }

  /** Who owns an access key created through IAM; empty for an unknown key (or one of a deleted user). */
  public CompletionStage<Optional<KeyOwner>> accessKey(String id, boolean fresh) {
    CompletionStage<Optional<KeyOwner>> cached = keys.get(id, fresh, this::loadKey);
    // An unknown key is looked up again next time (it may have just been created on another node).
    return cached.thenApply(k -> {
      if (k.isEmpty()) keys.forget(id);
      return k;
    });
  }

  private CompletionStage<Optional<KeyOwner>> loadKey(String id) {
    return store.accessKey(id).thenCompose(found -> {
      if (found.isEmpty()) return CompletableFuture.completedFuture(Optional.<KeyOwner>empty());
      IamStore.AccessKey k = found.get();
      String secret;
      try {
        secret = box.open(k.id(), k.sealedSecret());
      } catch (IllegalArgumentException e) {
        log.warn("access key {} cannot be used: {}", k.id(), e.getMessage());
        return CompletableFuture.completedFuture(Optional.<KeyOwner>empty());
      }
      boolean active = "Active".equals(k.status());
      if (k.user().isEmpty()) {
        return CompletableFuture.completedFuture(Optional.of(new KeyOwner(k.id(), Identity.root(accountId), secret, active)));
      }
      return store.user(k.user()).thenApply(u -> u.map(user -> new KeyOwner(k.id(), identity(user), secret, active)));
    });
  }

  /** A user's inline policies and attached managed policies, parsed. */
  public CompletionStage<List<Policy>> userPolicies(String user, boolean fresh) {
    return userPolicies.get(IamStore.userKey(user), fresh, key -> store.userPolicies(key)
        .thenApply(docs -> parsed(docs, PolicyParser.Kind.IDENTITY, "user " + user))
        .thenCompose(inline -> withAttached(inline, "user:" + key)));
  }

  /** The policies plus the managed policies attached to {@code principal} ("user:key" or "role:key"). */
  private CompletionStage<List<Policy>> withAttached(List<Policy> inline, String principal) {
    return store.attachedPolicies(principal).thenApply(arns -> {
      List<Policy> all = new ArrayList<>(inline);
      for (String arn : arns) ManagedPolicies.of(arn).ifPresent(m -> all.add(m.parsed()));
      return all;
    });
  }

  /** A role (by name) with its policies; empty when there is no such role. */
  public CompletionStage<Optional<RoleGrant>> role(String name, boolean fresh) {
    return roles.get(IamStore.roleKey(name), fresh, n -> store.role(name).thenCompose(r -> {
      if (r.isEmpty()) return CompletableFuture.completedFuture(Optional.<RoleGrant>empty());
      String key = r.get().key();
      return store.rolePolicies(key).thenCompose(docs -> withAttached(parsed(docs, PolicyParser.Kind.IDENTITY, "role " + n),
          "role:" + key)).thenApply(policies -> {
        Policy trust;
        try {
          trust = PolicyParser.parse(r.get().trustPolicy(), PolicyParser.Kind.TRUST);
        } catch (PolicyException e) {
          log.warn("the trust policy of role {} is not valid ({}): no one may assume it", n, e.getMessage());
          trust = null;
        }
        return Optional.of(new RoleGrant(r.get(), trust, policies));
      });
    }));
  }

  public void forgetKey(String id) {
    keys.forget(id);
  }

  public void forgetUser(String name) {
    userPolicies.forget(IamStore.userKey(name));
  }

  public void forgetRole(String name) {
    roles.forget(IamStore.roleKey(name));
  }

  private static List<Policy> parsed(Map<String, String> docs, PolicyParser.Kind kind, String owner) {
    List<Policy> out = new ArrayList<>();
    for (Map.Entry<String, String> d : docs.entrySet()) {
      try {
        out.add(PolicyParser.parse(d.getValue(), kind));
      } catch (PolicyException e) {
        // Stored before policies were validated: it can grant nothing (and deny nothing).
        log.warn("policy {} of {} is not valid and is ignored: {}", d.getKey(), owner, e.getMessage());
      }
    }
    return out;
  }
}
