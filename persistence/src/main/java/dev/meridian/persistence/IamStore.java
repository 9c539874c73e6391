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
 * IAM roles and their inline policies, in the keyspace replicated to every region, so every region sees
 * the same roles (and can read them while cut off from the others). A role is created with a
 * lightweight transaction, so a name is never created twice.
 */
public final class IamStore {

  /** A role: name, id, ARN, path, trust policy (JSON), description and creation time. */
  public record Role(String name, String id, String arn, String path, String trustPolicy, String description,
      Instant created) {}

  private final CqlSession session;
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
    return session.executeAsync(selectRoles.bind()).thenApply(rs -> {
      List<Role> out = new ArrayList<>();
      for (Row r : rs.currentPage()) out.add(role(r));
      out.sort((a, b) -> a.name().compareTo(b.name()));
      return out;
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

  private static Role role(Row r) {
    return new Role(r.getString("name"), r.getString("id"), r.getString("arn"), r.getString("path"),
        r.getString("trust_policy"), r.getString("description"), r.getInstant("created"));
  }
}
