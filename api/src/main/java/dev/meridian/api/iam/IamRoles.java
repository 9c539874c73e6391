package dev.meridian.api.iam;

import static dev.meridian.api.iam.IamXml.esc;
import static dev.meridian.api.iam.IamXml.ok;

import dev.meridian.api.iam.IamXml.IamException;
import dev.meridian.cluster.iam.IamDirectory;
import dev.meridian.cluster.policy.PolicyParser;
import dev.meridian.persistence.IamStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * IAM roles: CreateRole, GetRole, ListRoles, UpdateRole, DeleteRole, UpdateAssumeRolePolicy, the inline
 * role policies (Put/Get/List/DeleteRolePolicy) and attached AWS managed policies
 * (Attach/Detach/ListAttachedRolePolicies). Role names are unique ignoring case. Trust and permissions
 * policies are validated as IAM does (MalformedPolicyDocument), and a role's inline policies may total
 * 10,240 characters (LimitExceeded).
 * Every change is forgotten at once by this node's {@link IamDirectory}, so replication acting with the role
 * sees it (other nodes within the cache time).
 */
final class IamRoles {

  static final Set<String> ACTIONS = Set.of("CreateRole", "GetRole", "ListRoles", "UpdateRole", "DeleteRole",
      "UpdateAssumeRolePolicy", "PutRolePolicy", "GetRolePolicy", "ListRolePolicies", "DeleteRolePolicy",
      "AttachRolePolicy", "DetachRolePolicy", "ListAttachedRolePolicies");
  /** IAM's quota on the inline policies of one role, in characters other than white space. */
  static final int MAX_ROLE_POLICY_SIZE = 10_240;

  private final IamDirectory iam;
  private final IamStore store;

  IamRoles(IamDirectory iam) {
    this.iam = iam;
    this.store = iam.store();
  }

  CompletionStage<org.apache.pekko.http.javadsl.model.HttpResponse> handle(String action, Map<String, List<String>> form,
      String requestId) {
    switch (action) {
      case "CreateRole":
        return createRole(form, requestId);
      case "GetRole":
        return role(IamXml.required(form, "RoleName")).thenApply(r -> ok("GetRole", "<Role>" + roleXml(r) + "</Role>", requestId));
      case "ListRoles": {
        String prefix = IamXml.param(form, "PathPrefix") == null ? "/" : IamXml.param(form, "PathPrefix");
        return store.roles().thenApply(all -> {
          var page = IamXml.page(all.stream().filter(r -> r.path().startsWith(prefix)).toList(),
              r -> IamStore.roleKey(r.name()), form);
          return ok("ListRoles", "<Roles>" + page.items().stream().map(r -> "<member>" + roleXml(r) + "</member>")
              .reduce("", String::concat) + "</Roles>" + page.tail(), requestId);
        });
      }
      case "DeleteRole": {
        String name = IamXml.required(form, "RoleName");
        return role(name).thenCompose(r -> store.rolePolicies(r.key()).thenCompose(policies -> {
          if (!policies.isEmpty()) throw new IamException(409, "DeleteConflict", "Cannot delete entity, must delete policies first.");
          return store.attachedPolicies("role:" + r.key());
        }).thenCompose(attached -> {
          if (!attached.isEmpty()) throw new IamException(409, "DeleteConflict", "Cannot delete entity, must detach all policies first.");
          return store.deleteRole(r.key());
        })).thenApply(x -> {
          iam.forgetRole(name);
          return ok("DeleteRole", null, requestId);
        });
      }
      case "UpdateAssumeRolePolicy": {
        String name = IamXml.required(form, "RoleName");
        String doc = IamXml.policyDocument(IamXml.required(form, "PolicyDocument"), PolicyParser.Kind.TRUST);
        return role(name).thenCompose(r -> store.saveRole(new IamStore.Role(r.key(), r.name(), r.id(), r.arn(), r.path(),
            doc, r.description(), r.maxSessionDuration(), r.created()))).thenApply(x -> {
          iam.forgetRole(name);
          return ok("UpdateAssumeRolePolicy", null, requestId);
        });
      }
      case "UpdateRole": {
        String name = IamXml.required(form, "RoleName");
        String description = IamXml.param(form, "Description");
        Integer duration = sessionDuration(form);
        return role(name).thenCompose(r -> store.saveRole(new IamStore.Role(r.key(), r.name(), r.id(), r.arn(), r.path(),
            r.trustPolicy(), description == null ? r.description() : description,
            duration == null ? r.maxSessionDuration() : duration, r.created()))).thenApply(x -> {
          iam.forgetRole(name);
          return ok("UpdateRole", "", requestId);
        });
      }
      case "AttachRolePolicy": {
        String name = IamXml.required(form, "RoleName");
        return role(name).thenCompose(r -> IamAttachments.attach(store, "role:" + r.key(), action, form, requestId))
            .thenApply(resp -> {
              iam.forgetRole(name);
              return resp;
            });
      }
      case "DetachRolePolicy": {
        String name = IamXml.required(form, "RoleName");
        return role(name).thenCompose(r -> IamAttachments.detach(store, "role:" + r.key(), action, form, requestId))
            .thenApply(resp -> {
              iam.forgetRole(name);
              return resp;
            });
      }
      case "ListAttachedRolePolicies": {
        String name = IamXml.required(form, "RoleName");
        return role(name).thenCompose(r -> IamAttachments.list(store, "role:" + r.key(), action, form, requestId));
      }
      case "PutRolePolicy": {
        String name = IamXml.required(form, "RoleName");
        String policy = IamXml.policyName(form);
        String doc = IamXml.policyDocument(IamXml.required(form, "PolicyDocument"), PolicyParser.Kind.IDENTITY);
        return role(name).thenCompose(r -> store.rolePolicies(r.key()).thenCompose(existing -> {
          int total = IamXml.policySize(doc) + existing.entrySet().stream().filter(e -> !e.getKey().equals(policy))
              .mapToInt(e -> IamXml.policySize(e.getValue())).sum();
          if (total > MAX_ROLE_POLICY_SIZE) {
            throw new IamException(409, "LimitExceeded", "Maximum policy size of " + MAX_ROLE_POLICY_SIZE
                + " bytes exceeded for role " + name);
          }
          return store.putRolePolicy(r.key(), policy, doc);
        })).thenApply(x -> {
          iam.forgetRole(name);
          return ok("PutRolePolicy", null, requestId);
        });
      }
      case "GetRolePolicy": {
        String name = IamXml.required(form, "RoleName");
        String policy = IamXml.policyName(form);
        return role(name).thenCompose(r -> store.rolePolicies(r.key()).thenApply(p -> {
          String doc = p.get(policy);
          if (doc == null) throw IamXml.noSuchEntity("The role policy with name " + policy + " cannot be found.");
          return ok("GetRolePolicy", "<RoleName>" + esc(r.name()) + "</RoleName><PolicyName>" + esc(policy)
              + "</PolicyName><PolicyDocument>" + esc(IamXml.urlEncode(doc)) + "</PolicyDocument>", requestId);
        }));
      }
      case "ListRolePolicies": {
        String name = IamXml.required(form, "RoleName");
        return role(name).thenCompose(r -> store.rolePolicies(r.key())).thenApply(p -> {
          var page = IamXml.page(List.copyOf(p.keySet()), n -> n, form);
          return ok("ListRolePolicies", "<PolicyNames>" + page.items().stream().map(n -> "<member>" + esc(n) + "</member>")
              .reduce("", String::concat) + "</PolicyNames>" + page.tail(), requestId);
        });
      }
      case "DeleteRolePolicy": {
        String name = IamXml.required(form, "RoleName");
        String policy = IamXml.policyName(form);
        return role(name).thenCompose(r -> store.rolePolicies(r.key()).thenCompose(p -> {
          if (!p.containsKey(policy)) throw IamXml.noSuchEntity("The role policy with name " + policy + " cannot be found.");
          return store.deleteRolePolicy(r.key(), policy);
        })).thenApply(x -> {
          iam.forgetRole(name);
          return ok("DeleteRolePolicy", null, requestId);
        });
      }
      default:
        throw new IllegalArgumentException(action);
    }
  }

  private CompletionStage<org.apache.pekko.http.javadsl.model.HttpResponse> createRole(Map<String, List<String>> form,
      String requestId) {
    String name = IamXml.entityName(form, "RoleName");
    String path = IamXml.path(form, "Path");
    String trust = IamXml.policyDocument(IamXml.required(form, "AssumeRolePolicyDocument"), PolicyParser.Kind.TRUST);
    Integer duration = sessionDuration(form);
    IamStore.Role role = new IamStore.Role(IamStore.roleKey(name), name, "AROA" + IamUsers.randomId(17), "arn:aws:iam::"
        + iam.accountId() + ":role" + path + name, path, trust, IamXml.param(form, "Description"),
        duration == null ? 3600 : duration, Instant.now());
    return store.createRole(role).thenApply(created -> {
      if (!created) throw new IamException(409, "EntityAlreadyExists", "Role with name " + name + " already exists.");
      iam.forgetRole(name); // a lookup before it existed may be cached as "no such role"
      return ok("CreateRole", "<Role>" + roleXml(role) + "</Role>", requestId);
    });
  }

  private CompletionStage<IamStore.Role> role(String name) {
    return store.role(name).thenApply(r -> r.orElseThrow(() ->
        IamXml.noSuchEntity("The role with name " + name + " cannot be found.")));
  }

  private static String roleXml(IamStore.Role r) {
    return "<Path>" + esc(r.path()) + "</Path><RoleName>" + esc(r.name()) + "</RoleName><RoleId>" + r.id()
        + "</RoleId><Arn>" + esc(r.arn()) + "</Arn><CreateDate>" + IamXml.date(r.created())
        + "</CreateDate><AssumeRolePolicyDocument>" + esc(IamXml.urlEncode(r.trustPolicy())) + "</AssumeRolePolicyDocument>"
        + (r.description() == null ? "" : "<Description>" + esc(r.description()) + "</Description>")
        + "<MaxSessionDuration>" + r.maxSessionDuration() + "</MaxSessionDuration>";
  }

  /** MaxSessionDuration, when given: 3600 to 43200 seconds. */
  private static Integer sessionDuration(Map<String, List<String>> form) {
    String v = IamXml.param(form, "MaxSessionDuration");
    if (v == null) return null;
    int seconds;
    try {
      seconds = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 3600 || seconds > 43200) {
      throw new IamException(400, "ValidationError", "1 validation error detected: Value '" + v
          + "' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200");
    }
    return seconds;
  }
}
