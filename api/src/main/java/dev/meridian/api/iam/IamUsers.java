package dev.meridian.api.iam;

import static dev.meridian.api.iam.IamXml.esc;
import static dev.meridian.api.iam.IamXml.ok;

import dev.meridian.api.iam.IamXml.IamException;
import dev.meridian.cluster.iam.IamDirectory;
import dev.meridian.cluster.policy.Identity;
import dev.meridian.cluster.policy.PolicyParser;
import dev.meridian.persistence.IamStore;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * IAM users, their access keys and policies: CreateUser, GetUser, ListUsers, UpdateUser (name, path),
 * DeleteUser; CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey; Put/Get/List/DeleteUserPolicy;
 * Attach/Detach/ListAttachedUserPolicies (AWS managed policies).
 * User names are unique ignoring case; a user has at most two access keys and 2,048 characters of inline
 * policies (IAM's quotas); a user with keys or policies cannot be deleted (DeleteConflict). Access key
 * calls without a UserName act on the caller: the root's own keys (which authenticate as the root) or
 * the calling user's. A new secret is shown once, in CreateAccessKey's answer, and stored sealed.
 */
final class IamUsers {

  static final Set<String> ACTIONS = Set.of("CreateUser", "GetUser", "ListUsers", "UpdateUser", "DeleteUser",
      "CreateAccessKey", "ListAccessKeys", "UpdateAccessKey", "DeleteAccessKey",
      "PutUserPolicy", "GetUserPolicy", "ListUserPolicies", "DeleteUserPolicy",
      "AttachUserPolicy", "DetachUserPolicy", "ListAttachedUserPolicies");
  static final int MAX_KEYS_PER_USER = 2;
  static final int MAX_USER_POLICY_SIZE = 2_048;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private final IamDirectory iam;
  private final IamStore store;

  IamUsers(IamDirectory iam) {
    this.iam = iam;
    this.store = iam.store();
  }

  /** Random upper-case letters and digits, as IAM's ids (AIDA..., AKIA...) are made of. */
  static String randomId(int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) b.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
    return b.toString();
  }

  CompletionStage<HttpResponse> handle(Identity who, String action, Map<String, List<String>> form, String requestId) {
    switch (action) {
      case "CreateUser": {
        String name = IamXml.entityName(form, "UserName");
        String path = IamXml.path(form, "Path");
        IamStore.User u = new IamStore.User(name, "AIDA" + randomId(17), iam.userArn(path, name), path, Instant.now());
        return store.createUser(u).thenApply(created -> {
          if (!created) throw new IamException(409, "EntityAlreadyExists", "User with name " + name + " already exists.");
          iam.forgetUser(name);
          return ok("CreateUser", "<User>" + userXml(u) + "</User>", requestId);
        });
      }
      case "GetUser": {
        String name = IamXml.param(form, "UserName");
        if (name == null && who.isRoot()) {
          return CompletableFuture.completedFuture(ok("GetUser", "<User><UserId>" + esc(who.id()) + "</UserId><Arn>"
              + esc(who.arn()) + "</Arn><CreateDate>" + IamXml.date(Instant.EPOCH) + "</CreateDate></User>", requestId));
        }
        return user(name == null ? who.name() : name).thenApply(u -> ok("GetUser", "<User>" + userXml(u) + "</User>", requestId));
      }
      case "ListUsers": {
        String prefix = IamXml.param(form, "PathPrefix") == null ? "/" : IamXml.param(form, "PathPrefix");
        return store.users().thenApply(all -> {
          var page = IamXml.page(all.stream().filter(u -> u.path().startsWith(prefix)).toList(),
              u -> IamStore.userKey(u.name()), form);
          return ok("ListUsers", "<Users>" + page.items().stream().map(u -> "<member>" + userXml(u) + "</member>")
              .reduce("", String::concat) + "</Users>" + page.tail(), requestId);
        });
      }
      case "UpdateUser":
        return updateUser(form, requestId);
      case "DeleteUser": {
        String name = IamXml.entityName(form, "UserName");
        return user(name).thenCompose(u -> store.accessKeys(name).thenCompose(keys -> {
          if (!keys.isEmpty()) throw new IamException(409, "DeleteConflict", "Cannot delete entity, must delete access keys first.");
          return store.userPolicies(name);
        }).thenCompose(policies -> {
          if (!policies.isEmpty()) throw new IamException(409, "DeleteConflict", "Cannot delete entity, must delete policies first.");
          return store.attachedPolicies("user:" + IamStore.userKey(name));
        }).thenCompose(attached -> {
          if (!attached.isEmpty()) throw new IamException(409, "DeleteConflict", "Cannot delete entity, must detach all policies first.");
          return store.deleteUser(name);
        })).thenApply(x -> {
          iam.forgetUser(name);
          return ok("DeleteUser", null, requestId);
        });
      }
      case "CreateAccessKey":
        return createAccessKey(who, form, requestId);
      case "ListAccessKeys":
        return keyOwner(who, form).thenCompose(owner -> store.accessKeys(owner).thenApply(keys -> {
          List<IamStore.AccessKey> sorted = keys.stream().sorted(Comparator.comparing(IamStore.AccessKey::id)).toList();
          var page = IamXml.page(sorted, IamStore.AccessKey::id, form);
          return ok("ListAccessKeys", "<AccessKeyMetadata>" + page.items().stream().map(k -> "<member>"
              + (k.user().isEmpty() ? "" : "<UserName>" + esc(k.user()) + "</UserName>") + "<AccessKeyId>" + k.id()
              + "</AccessKeyId><Status>" + k.status() + "</Status><CreateDate>" + IamXml.date(k.created())
              + "</CreateDate></member>").reduce("", String::concat) + "</AccessKeyMetadata>" + page.tail(), requestId);
        }));
      case "UpdateAccessKey": {
        String id = IamXml.required(form, "AccessKeyId");
        String status = IamXml.required(form, "Status");
        if (!status.equals("Active") && !status.equals("Inactive")) {
          throw new IamException(400, "ValidationError", "1 validation error detected: Value '" + status
              + "' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]");
        }
        return ownKey(who, form, id).thenCompose(k -> store.setAccessKeyStatus(id, status)).thenApply(x -> {
          iam.forgetKey(id);
          return ok("UpdateAccessKey", null, requestId);
        });
      }
      case "DeleteAccessKey": {
        String id = IamXml.required(form, "AccessKeyId");
        return ownKey(who, form, id).thenCompose(store::deleteAccessKey).thenApply(x -> {
          iam.forgetKey(id);
          return ok("DeleteAccessKey", null, requestId);
        });
      }
      case "PutUserPolicy": {
        String name = IamXml.entityName(form, "UserName");
        String policy = IamXml.policyName(form);
        String doc = IamXml.policyDocument(IamXml.required(form, "PolicyDocument"), PolicyParser.Kind.IDENTITY);
        return user(name).thenCompose(u -> store.userPolicies(name)).thenCompose(existing -> {
          int total = IamXml.policySize(doc) + existing.entrySet().stream().filter(e -> !e.getKey().equals(policy))
              .mapToInt(e -> IamXml.policySize(e.getValue())).sum();
          if (total > MAX_USER_POLICY_SIZE) {
            throw new IamException(409, "LimitExceeded", "Maximum policy size of " + MAX_USER_POLICY_SIZE
                + " bytes exceeded for user " + name);
          }
          return store.putUserPolicy(name, policy, doc);
        }).thenApply(x -> {
          iam.forgetUser(name);
          return ok("PutUserPolicy", null, requestId);
        });
      }
      case "GetUserPolicy": {
        String name = IamXml.entityName(form, "UserName");
        String policy = IamXml.policyName(form);
        return user(name).thenCompose(u -> store.userPolicies(name).thenApply(p -> {
          String doc = p.get(policy);
          if (doc == null) throw IamXml.noSuchEntity("The user policy with name " + policy + " cannot be found.");
          return ok("GetUserPolicy", "<UserName>" + esc(u.name()) + "</UserName><PolicyName>" + esc(policy)
              + "</PolicyName><PolicyDocument>" + esc(IamXml.urlEncode(doc)) + "</PolicyDocument>", requestId);
        }));
      }
      case "ListUserPolicies": {
        String name = IamXml.entityName(form, "UserName");
        return user(name).thenCompose(u -> store.userPolicies(name)).thenApply(p -> {
          var page = IamXml.page(List.copyOf(p.keySet()), n -> n, form);
          return ok("ListUserPolicies", "<PolicyNames>" + page.items().stream().map(n -> "<member>" + esc(n) + "</member>")
              .reduce("", String::concat) + "</PolicyNames>" + page.tail(), requestId);
        });
      }
      case "DeleteUserPolicy": {
        String name = IamXml.entityName(form, "UserName");
        String policy = IamXml.policyName(form);
        return user(name).thenCompose(u -> store.userPolicies(name)).thenCompose(p -> {
          if (!p.containsKey(policy)) throw IamXml.noSuchEntity("The user policy with name " + policy + " cannot be found.");
          return store.deleteUserPolicy(name, policy);
        }).thenApply(x -> {
          iam.forgetUser(name);
          return ok("DeleteUserPolicy", null, requestId);
        });
      }
      case "AttachUserPolicy": {
        String name = IamXml.entityName(form, "UserName");
        return user(name).thenCompose(u -> IamAttachments.attach(store, "user:" + IamStore.userKey(name), action, form, requestId))
            .thenApply(resp -> {
              iam.forgetUser(name);
              return resp;
            });
      }
      case "DetachUserPolicy": {
        String name = IamXml.entityName(form, "UserName");
        return user(name).thenCompose(u -> IamAttachments.detach(store, "user:" + IamStore.userKey(name), action, form, requestId))
            .thenApply(resp -> {
              iam.forgetUser(name);
              return resp;
            });
      }
      case "ListAttachedUserPolicies": {
        String name = IamXml.entityName(form, "UserName");
        return user(name).thenCompose(u -> IamAttachments.list(store, "user:" + IamStore.userKey(name), action, form, requestId));
      }
      default:
        throw new IllegalArgumentException(action);
    }
  }

  /**
   * UpdateUser: a new path and/or a new name. A renamed user keeps its id, keys and inline policies (they
   * are moved under the new name, then the old name is released); the steps are not one transaction, and
   * a rename interrupted half-way is finished by running it again.
   */
  private CompletionStage<HttpResponse> updateUser(Map<String, List<String>> form, String requestId) {
    String name = IamXml.entityName(form, "UserName");
    String newName = IamXml.param(form, "NewUserName") == null ? null : IamXml.entityName(form, "NewUserName");
    String newPath = IamXml.param(form, "NewPath") == null ? null : IamXml.path(form, "NewPath");
    return user(name).thenCompose(u -> {
      String path = newPath == null ? u.path() : newPath;
      String renamed = newName == null ? u.name() : newName;
      IamStore.User updated = new IamStore.User(renamed, u.id(), iam.userArn(path, renamed), path, u.created());
      if (IamStore.userKey(renamed).equals(IamStore.userKey(u.name()))) return store.saveUser(updated);
      return store.createUser(updated).thenCompose(created -> {
        if (!created) throw new IamException(409, "EntityAlreadyExists", "User with name " + renamed + " already exists.");
        return store.userPolicies(u.name());
      }).thenCompose(policies -> {
        CompletionStage<Void> moved = CompletableFuture.completedFuture(null);
        for (var p : policies.entrySet()) {
          moved = moved.thenCompose(x -> store.putUserPolicy(renamed, p.getKey(), p.getValue()))
              .thenCompose(x -> store.deleteUserPolicy(u.name(), p.getKey()));
        }
        return moved.thenCompose(x -> store.attachedPolicies("user:" + IamStore.userKey(u.name()))).thenCompose(arns -> {
          CompletionStage<Void> all = CompletableFuture.completedFuture(null);
          for (String arn : arns) {
            all = all.thenCompose(x -> store.attachPolicy("user:" + IamStore.userKey(renamed), arn))
                .thenCompose(x -> store.detachPolicy("user:" + IamStore.userKey(u.name()), arn));
          }
          return all;
        }).thenCompose(x -> store.accessKeys(u.name())).thenCompose(keys -> {
          CompletionStage<Void> all = CompletableFuture.completedFuture(null);
          for (IamStore.AccessKey k : keys) {
            all = all.thenCompose(x -> store.moveAccessKey(k, renamed)).thenApply(x -> {
              iam.forgetKey(k.id());
              return null;
            });
          }
          return all;
        }).thenCompose(x -> store.deleteUser(u.name())).thenApply(x -> {
          iam.forgetUser(renamed);
          return null;
        });
      });
    }).thenApply(x -> {
      iam.forgetUser(name);
      return ok("UpdateUser", null, requestId);
    });
  }

  private CompletionStage<HttpResponse> createAccessKey(Identity who, Map<String, List<String>> form, String requestId) {
    return keyOwner(who, form).thenCompose(owner -> store.accessKeys(owner).thenCompose(keys -> {
      if (keys.size() >= MAX_KEYS_PER_USER) {
        throw new IamException(409, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: " + MAX_KEYS_PER_USER);
      }
      String id = "AKIA" + randomId(16);
      StringBuilder secret = new StringBuilder(40);
      for (int i = 0; i < 40; i++) secret.append(SECRET_CHARS.charAt(RANDOM.nextInt(SECRET_CHARS.length())));
      IamStore.AccessKey k = new IamStore.AccessKey(id, owner, iam.seal(id, secret.toString()), "Active", Instant.now());
      return store.createAccessKey(k).thenApply(x -> ok("CreateAccessKey", "<AccessKey>"
          + (owner.isEmpty() ? "" : "<UserName>" + esc(owner) + "</UserName>") + "<AccessKeyId>" + id
          + "</AccessKeyId><Status>Active</Status><SecretAccessKey>" + secret + "</SecretAccessKey><CreateDate>"
          + IamXml.date(k.created()) + "</CreateDate></AccessKey>", requestId));
    }));
  }

  /** The user whose keys a call is about: UserName (which must exist), else the caller ("" for the root). */
  private CompletionStage<String> keyOwner(Identity who, Map<String, List<String>> form) {
    String name = IamXml.param(form, "UserName");
    if (name == null) return CompletableFuture.completedFuture(who.isRoot() ? "" : who.name());
    return user(IamXml.entityName(form, "UserName")).thenApply(IamStore.User::name);
  }

  /** An access key of the user the call is about, or NoSuchEntity. */
  private CompletionStage<IamStore.AccessKey> ownKey(Identity who, Map<String, List<String>> form, String id) {
    return keyOwner(who, form).thenCompose(owner -> store.accessKey(id).thenApply(k -> {
      if (k.isEmpty() || !IamStore.userKey(k.get().user()).equals(IamStore.userKey(owner))) {
        throw IamXml.noSuchEntity("The Access Key with id " + id + " cannot be found.");
      }
      return k.get();
    }));
  }

  private CompletionStage<IamStore.User> user(String name) {
    return store.user(name).thenApply(u -> u.orElseThrow(() ->
        IamXml.noSuchEntity("The user with name " + name + " cannot be found.")));
  }

  private static String userXml(IamStore.User u) {
    return "<Path>" + esc(u.path()) + "</Path><UserName>" + esc(u.name()) + "</UserName><UserId>" + u.id()
        + "</UserId><Arn>" + esc(u.arn()) + "</Arn><CreateDate>" + IamXml.date(u.created()) + "</CreateDate>";
  }
}
