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

  /**
   * A role: its key (the stored name: the name in lower case, as role names are unique ignoring case;
   * roles created before that keep their exact name), name, id, ARN, path, trust policy (JSON),
   * description, maximum session duration (seconds) and creation time.
   */
  public record Role(String key, String name, String id, String arn, String path, String trustPolicy,
      String description, int maxSessionDuration, Instant created) {}

  /** A user: name as created, id (AIDA...), ARN, path and creation time. */
  public record User(String name, String id, String arn, String path, Instant created) {}

  /**
   * An access key: id, the user it belongs to (empty for the root), the sealed secret, Active or Inactive,
   * and creation time.
   */
  public record AccessKey(String id, String user, String sealedSecret, String status, Instant created) {}

  private final CqlSession session;
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
  private final PreparedStatement saveRole;
  private final PreparedStatement attach;
  private final PreparedStatement detach;
  private final PreparedStatement selectAttached;
  private final PreparedStatement selectRole;
  private final PreparedStatement selectRoles;
  private final PreparedStatement deleteRole;
  private final PreparedStatement putPolicy;
  private final PreparedStatement selectPolicies;
  private final PreparedStatement deletePolicy;

  public IamStore(CqlSession session, String ks) {
    this.session = session;
    String cols = "name, role_name, id, arn, path, trust_policy, description, max_session_duration, created";
    insertRole = session.prepare("INSERT INTO " + ks + ".iam_roles (" + cols + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS");
    saveRole = session.prepare("INSERT INTO " + ks + ".iam_roles (" + cols + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    attach = session.prepare("INSERT INTO " + ks + ".iam_attached_policies (principal, policy_arn) VALUES (?, ?)");
    detach = session.prepare("DELETE FROM " + ks + ".iam_attached_policies WHERE principal = ? AND policy_arn = ?");
    selectAttached = session.prepare("SELECT policy_arn FROM " + ks + ".iam_attached_policies WHERE principal = ?");
    selectRole = session.prepare("SELECT " + cols + " FROM " + ks + ".iam_roles WHERE name = ?");
    selectRoles = session.prepare("SELECT " + cols + " FROM " + ks + ".iam_roles");
    deleteRole = session.prepare("DELETE FROM " + ks + ".iam_roles WHERE name = ?");
    putPolicy = session.prepare("INSERT INTO " + ks + ".iam_role_policies (role, policy, document) VALUES (?, ?, ?)");
    selectPolicies = session.prepare("SELECT policy, document FROM " + ks + ".iam_role_policies WHERE role = ?");
    deletePolicy = session.prepare("DELETE FROM " + ks + ".iam_role_policies WHERE role = ? AND policy = ?");
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

  /** The key of a role name: role names are unique ignoring case. */
  public static String roleKey(String name) {
    return name.toLowerCase(java.util.Locale.ROOT);
  }

  /** Creates a role (its key is {@link #roleKey}); completes with false when the name (ignoring case) is taken. */
  public CompletionStage<Boolean> createRole(Role r) {
    return role(r.name()).thenCompose(existing -> {
      if (existing.isPresent()) return java.util.concurrent.CompletableFuture.completedFuture(false);
      return session.executeAsync(bindRole(insertRole, r).setSerialConsistencyLevel(ConsistencyLevel.SERIAL))
          .thenApply(rs -> rs.wasApplied());
    });
  }

  /** Rewrites an existing role's record (description, session duration, trust policy). */
  public CompletionStage<Void> saveRole(Role r) {
    return session.executeAsync(bindRole(saveRole, r)).thenApply(rs -> null);
  }

  private static com.datastax.oss.driver.api.core.cql.BoundStatement bindRole(PreparedStatement ps, Role r) {
    return ps.bind(r.key(), r.name(), r.id(), r.arn(), r.path(), r.trustPolicy(), r.description(), r.maxSessionDuration(),
        r.created());
  }

  /** The role of that name, ignoring case (and a role stored by its exact name before names were keyed so). */
  public CompletionStage<Optional<Role>> role(String name) {
    String key = roleKey(name);
    return session.executeAsync(selectRole.bind(key)).thenCompose(rs -> {
      Optional<Role> found = Optional.ofNullable(rs.one()).map(IamStore::role);
      if (found.isPresent() || key.equals(name)) return java.util.concurrent.CompletableFuture.completedFuture(found);
      return session.executeAsync(selectRole.bind(name)).thenApply(legacy -> Optional.ofNullable(legacy.one()).map(IamStore::role));
    });
  }

  // ---- managed policies attached to users ("user:<key>") and roles ("role:<key>") ----

  public CompletionStage<Void> attachPolicy(String principal, String policyArn) {
    return session.executeAsync(attach.bind(principal, policyArn)).thenApply(rs -> null);
  }

  public CompletionStage<Void> detachPolicy(String principal, String policyArn) {
    return session.executeAsync(detach.bind(principal, policyArn)).thenApply(rs -> null);
  }

  /** The ARNs of the managed policies attached to a principal, in ARN order. */
  public CompletionStage<List<String>> attachedPolicies(String principal) {
    return session.executeAsync(selectAttached.bind(principal)).thenApply(rs -> {
      List<String> out = new ArrayList<>();
      for (Row r : rs.currentPage()) out.add(r.getString(0));
      return out;
    });
  }

  public CompletionStage<List<Role>> roles() {
    return session.executeAsync(selectRoles.bind()).thenCompose(rs -> {
      List<Role> out = new ArrayList<>();
      return Pages.forEachRow(rs, r -> out.add(role(r))).thenApply(x -> {
        out.sort((a, b) -> roleKey(a.name()).compareTo(roleKey(b.name())));
        return out;
      });
    });
  }

  /** Deletes a role by its key. */
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
      return Pages.forEachRow(rs, r -> out.add(user(r))).thenApply(x -> {
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

  private static User user(Row r) {
    return new User(r.getString("name"), r.getString("id"), r.getString("arn"), r.getString("path"), r.getInstant("created"));
  }

  private static AccessKey key(Row r) {
    return new AccessKey(r.getString("id"), r.getString("user_name"), r.getString("secret"), r.getString("status"),
        r.getInstant("created"));
  }

  private static Role role(Row r) {
    String key = r.getString("name");
    String name = r.isNull("role_name") ? key : r.getString("role_name");
    int duration = r.isNull("max_session_duration") ? 3600 : r.getInt("max_session_duration");
    return new Role(key, name, r.getString("id"), r.getString("arn"), r.getString("path"), r.getString("trust_policy"),
        r.getString("description"), duration, r.getInstant("created"));
  }
}
