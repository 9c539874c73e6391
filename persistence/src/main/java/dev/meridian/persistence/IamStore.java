package dev.meridian.persistence;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * IAM state in the keyspace replicated to every region, so every region sees the same roles, users, access
 * keys and inline policies, and can read them while cut off from the others: roles with their trust and
 * inline policies; users (names unique ignoring case, as in IAM) with their inline policies; access keys
 * by id, with the user they belong to ("" for the account's root). Roles and users are created with a
 * lightweight transaction, so a name is never created twice. Secrets are stored as given: the caller seals
 * them (see the cluster's SecretBox) before they get here.
 */
public final class IamStore {

  /** A role: name, id, ARN, path, trust policy (JSON), description and creation time. */
  public record Role(String name, String id, String arn, String path, String trustPolicy, String description,
      Instant created) {}

  /** A user: name as created, id (AIDA...), ARN, path and creation time. */
  public record User(String name, String id, String arn, String path, Instant created) {}

  /**
   * An access key: id, the user it belongs to (empty for the root), the sealed secret, Active or Inactive,
   * and creation time.
   */
  public record AccessKey(String id, String user, String sealedSecret, String status, Instant created) {}

  private final CqlSession session;
  private final PreparedStatement updateTrust;
  private final PreparedStatement insertUser;
  private final PreparedStatement saveUser;
  private final PreparedStatement selectUser;
  private final PreparedStatement selectUsers;
  private final PreparedStatement deleteUser;
  private final PreparedStatement putUserPolicy;
  private final PreparedStatement selectUserPolicies;
  private final PreparedStatement deleteUserPolicy;
  private final PreparedStatement insertKey;
  private final PreparedStatement insertUserKey;
  private final PreparedStatement selectKey;
  private final PreparedStatement selectUserKeys;
  private final PreparedStatement updateKeyStatus;
  private final PreparedStatement updateKeyUser;
  private final PreparedStatement deleteKey;
  private final PreparedStatement deleteUserKey;
  private final PreparedStatement insertRole;
  private final PreparedStatement selectRole;
  private final PreparedStatement selectRoles;
  private final PreparedStatement deleteRole;
  private final PreparedStatement putPolicy;
  private final PreparedStatement selectPolicies;
  private final PreparedStatement deletePolicy;

  public IamStore(CqlSession session, String ks) {
    this.session = session;
    String cols = "name, id, arn, path, trust_policy, description, created";
    insertRole = session.prepare("INSERT INTO " + ks + ".iam_roles (" + cols + ") VALUES (?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS");
    selectRole = session.prepare("SELECT " + cols + " FROM " + ks + ".iam_roles WHERE name = ?");
    selectRoles = session.prepare("SELECT " + cols + " FROM " + ks + ".iam_roles");
    deleteRole = session.prepare("DELETE FROM " + ks + ".iam_roles WHERE name = ?");
    putPolicy = session.prepare("INSERT INTO " + ks + ".iam_role_policies (role, policy, document) VALUES (?, ?, ?)");
    selectPolicies = session.prepare("SELECT policy, document FROM " + ks + ".iam_role_policies WHERE role = ?");
    deletePolicy = session.prepare("DELETE FROM " + ks + ".iam_role_policies WHERE role = ? AND policy = ?");
    updateTrust = session.prepare("UPDATE " + ks + ".iam_roles SET trust_policy = ? WHERE name = ? IF EXISTS");
    String userCols = "name, id, arn, path, created";
    insertUser = session.prepare("INSERT INTO " + ks + ".iam_users (name_key, " + userCols + ") VALUES (?, ?, ?, ?, ?, ?) IF NOT EXISTS");
    saveUser = session.prepare("INSERT INTO " + ks + ".iam_users (name_key, " + userCols + ") VALUES (?, ?, ?, ?, ?, ?)");
    selectUser = session.prepare("SELECT " + userCols + " FROM " + ks + ".iam_users WHERE name_key = ?");
    selectUsers = session.prepare("SELECT " + userCols + " FROM " + ks + ".iam_users");
    deleteUser = session.prepare("DELETE FROM " + ks + ".iam_users WHERE name_key = ?");
    putUserPolicy = session.prepare("INSERT INTO " + ks + ".iam_user_policies (user_key, policy, document) VALUES (?, ?, ?)");
    selectUserPolicies = session.prepare("SELECT policy, document FROM " + ks + ".iam_user_policies WHERE user_key = ?");
    deleteUserPolicy = session.prepare("DELETE FROM " + ks + ".iam_user_policies WHERE user_key = ? AND policy = ?");
    String keyCols = "id, user_name, secret, status, created";
    insertKey = session.prepare("INSERT INTO " + ks + ".iam_access_keys (" + keyCols + ") VALUES (?, ?, ?, ?, ?)");
    insertUserKey = session.prepare("INSERT INTO " + ks + ".iam_user_access_keys (user_key, id) VALUES (?, ?)");
    selectKey = session.prepare("SELECT " + keyCols + " FROM " + ks + ".iam_access_keys WHERE id = ?");
    selectUserKeys = session.prepare("SELECT id FROM " + ks + ".iam_user_access_keys WHERE user_key = ?");
    updateKeyStatus = session.prepare("UPDATE " + ks + ".iam_access_keys SET status = ? WHERE id = ? IF EXISTS");
    updateKeyUser = session.prepare("UPDATE " + ks + ".iam_access_keys SET user_name = ? WHERE id = ?");
    deleteKey = session.prepare("DELETE FROM " + ks + ".iam_access_keys WHERE id = ?");
    deleteUserKey = session.prepare("DELETE FROM " + ks + ".iam_user_access_keys WHERE user_key = ? AND id = ?");
  }

  /** The key of a user name: IAM user names are unique ignoring case. */
  public static String userKey(String name) {
    return name.toLowerCase(java.util.Locale.ROOT);
  }

  /** Creates a role; completes with false when the name is taken. */
  public CompletionStage<Boolean> createRole(Role r) {
    return session.executeAsync(insertRole.bind(r.name(), r.id(), r.arn(), r.path(), r.trustPolicy(), r.description(),
        r.created()).setSerialConsistencyLevel(ConsistencyLevel.SERIAL)).thenApply(rs -> rs.wasApplied());
  }

  public CompletionStage<Optional<Role>> role(String name) {
    return session.executeAsync(selectRole.bind(name)).thenApply(rs -> Optional.ofNullable(rs.one()).map(IamStore::role));
  }

  public CompletionStage<List<Role>> roles() {
    return session.executeAsync(selectRoles.bind()).thenCompose(rs -> {
      List<Role> out = new ArrayList<>();
      return drain(rs, r -> out.add(role(r))).thenApply(x -> {
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
      });
    });
  }

  public CompletionStage<Void> deleteRole(String name) {
    return session.executeAsync(deleteRole.bind(name)).thenApply(rs -> null);
  }

  public CompletionStage<Void> putRolePolicy(String role, String policy, String document) {
    return session.executeAsync(putPolicy.bind(role, policy, document)).thenApply(rs -> null);
  }

  /** A role's inline policies by name, in name order. */
  public CompletionStage<Map<String, String>> rolePolicies(String role) {
    return session.executeAsync(selectPolicies.bind(role)).thenApply(rs -> {
      Map<String, String> out = new LinkedHashMap<>();
      for (Row r : rs.currentPage()) out.put(r.getString(0), r.getString(1));
      return out;
    });
  }

  public CompletionStage<Void> deleteRolePolicy(String role, String policy) {
    return session.executeAsync(deletePolicy.bind(role, policy)).thenApply(rs -> null);
  }

  /** Replaces a role's trust policy; completes with false when there is no such role. */
  public CompletionStage<Boolean> updateTrustPolicy(String role, String document) {
    return session.executeAsync(updateTrust.bind(document, role).setSerialConsistencyLevel(ConsistencyLevel.SERIAL))
        .thenApply(rs -> rs.wasApplied());
  }

  // ---- users ----

  /** Creates a user; completes with false when the name (ignoring case) is taken. */
  public CompletionStage<Boolean> createUser(User u) {
    return session.executeAsync(insertUser.bind(userKey(u.name()), u.name(), u.id(), u.arn(), u.path(), u.created())
        .setSerialConsistencyLevel(ConsistencyLevel.SERIAL)).thenApply(rs -> rs.wasApplied());
  }

  /** Rewrites an existing user's record (a new path and ARN). */
  public CompletionStage<Void> saveUser(User u) {
    return session.executeAsync(saveUser.bind(userKey(u.name()), u.name(), u.id(), u.arn(), u.path(), u.created()))
        .thenApply(rs -> null);
  }

  /** The user of that name, ignoring case. */
  public CompletionStage<Optional<User>> user(String name) {
    return session.executeAsync(selectUser.bind(userKey(name))).thenApply(rs -> Optional.ofNullable(rs.one()).map(IamStore::user));
  }

  /** Every user, by name ignoring case. */
  public CompletionStage<List<User>> users() {
    return session.executeAsync(selectUsers.bind()).thenCompose(rs -> {
      List<User> out = new ArrayList<>();
      return drain(rs, r -> out.add(user(r))).thenApply(x -> {
        out.sort((a, b) -> userKey(a.name()).compareTo(userKey(b.name())));
        return out;
      });
    });
  }

  public CompletionStage<Void> deleteUser(String name) {
    return session.executeAsync(deleteUser.bind(userKey(name))).thenApply(rs -> null);
  }

  public CompletionStage<Void> putUserPolicy(String user, String policy, String document) {
    return session.executeAsync(putUserPolicy.bind(userKey(user), policy, document)).thenApply(rs -> null);
  }

  /** A user's inline policies by name, in name order. */
  public CompletionStage<Map<String, String>> userPolicies(String user) {
    return session.executeAsync(selectUserPolicies.bind(userKey(user))).thenApply(rs -> {
      Map<String, String> out = new LinkedHashMap<>();
      for (Row r : rs.currentPage()) out.put(r.getString(0), r.getString(1));
      return out;
    });
  }

  public CompletionStage<Void> deleteUserPolicy(String user, String policy) {
    return session.executeAsync(deleteUserPolicy.bind(userKey(user), policy)).thenApply(rs -> null);
  }

  // ---- access keys ----

  /** Stores a new access key (ids are random, so no transaction is needed). */
  public CompletionStage<Void> createAccessKey(AccessKey k) {
    return session.executeAsync(insertKey.bind(k.id(), k.user(), k.sealedSecret(), k.status(), k.created()))
        .thenCompose(rs -> session.executeAsync(insertUserKey.bind(userKey(k.user()), k.id())))
        .thenApply(rs -> null);
  }

  public CompletionStage<Optional<AccessKey>> accessKey(String id) {
    return session.executeAsync(selectKey.bind(id)).thenApply(rs -> Optional.ofNullable(rs.one()).map(IamStore::key));
  }

  /** A user's access keys ("" for the root's), in id order. */
  public CompletionStage<List<AccessKey>> accessKeys(String user) {
    return session.executeAsync(selectUserKeys.bind(userKey(user))).thenCompose(rs -> {
      List<CompletionStage<Optional<AccessKey>>> keys = new ArrayList<>();
      for (Row r : rs.currentPage()) keys.add(accessKey(r.getString(0)));
      CompletionStage<List<AccessKey>> all = java.util.concurrent.CompletableFuture.completedFuture(new ArrayList<>());
      for (CompletionStage<Optional<AccessKey>> k : keys) {
        all = all.thenCombine(k, (list, key) -> {
          key.ifPresent(list::add);
          return list;
        });
      }
      return all;
    });
  }

  /** Sets a key Active or Inactive; completes with false when there is no such key. */
  public CompletionStage<Boolean> setAccessKeyStatus(String id, String status) {
    return session.executeAsync(updateKeyStatus.bind(status, id).setSerialConsistencyLevel(ConsistencyLevel.SERIAL))
        .thenApply(rs -> rs.wasApplied());
  }

  /** Moves an access key to another user (a renamed user keeps its keys). */
  public CompletionStage<Void> moveAccessKey(AccessKey k, String toUser) {
    return session.executeAsync(insertUserKey.bind(userKey(toUser), k.id()))
        .thenCompose(rs -> session.executeAsync(updateKeyUser.bind(toUser, k.id())))
        .thenCompose(rs -> userKey(toUser).equals(userKey(k.user())) ? java.util.concurrent.CompletableFuture.completedFuture(null)
            : session.executeAsync(deleteUserKey.bind(userKey(k.user()), k.id())).thenApply(x -> null))
        .thenApply(x -> null);
  }

  public CompletionStage<Void> deleteAccessKey(AccessKey k) {
    return session.executeAsync(deleteKey.bind(k.id()))
        .thenCompose(rs -> session.executeAsync(deleteUserKey.bind(userKey(k.user()), k.id())))
        .thenApply(rs -> null);
  }

  private static CompletionStage<Void> drain(com.datastax.oss.driver.api.core.cql.AsyncResultSet rs,
      java.util.function.Consumer<Row> each) {
    for (Row r : rs.currentPage()) each.accept(r);
    if (!rs.hasMorePages()) return java.util.concurrent.CompletableFuture.completedFuture(null);
    return rs.fetchNextPage().thenCompose(next -> drain(next, each));
  }

  private static User user(Row r) {
    return new User(r.getString("name"), r.getString("id"), r.getString("arn"), r.getString("path"), r.getInstant("created"));
  }

  private static AccessKey key(Row r) {
    return new AccessKey(r.getString("id"), r.getString("user_name"), r.getString("secret"), r.getString("status"),
        r.getInstant("created"));
  }

  private static Role role(Row r) {
    return new Role(r.getString("name"), r.getString("id"), r.getString("arn"), r.getString("path"),
        r.getString("trust_policy"), r.getString("description"), r.getInstant("created"));
  }
}
