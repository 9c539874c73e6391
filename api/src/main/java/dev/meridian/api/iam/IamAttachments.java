package dev.meridian.api.iam;

import static dev.meridian.api.iam.IamXml.esc;
import static dev.meridian.api.iam.IamXml.ok;

import dev.meridian.cluster.policy.ManagedPolicies;
import dev.meridian.persistence.IamStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Managed policies attached to a user or a role (Attach/Detach/ListAttached{User,Role}Policies): the AWS
 * managed policies {@link ManagedPolicies} knows. Attaching one twice is harmless; detaching one that is
 * not attached, or attaching an unknown ARN, is NoSuchEntity, as in IAM.
 */
final class IamAttachments {

  private IamAttachments() {}

  /** {@code principal} is "user:key" or "role:key". */
  static CompletionStage<HttpResponse> attach(IamStore store, String principal, String action,
      Map<String, List<String>> form, String requestId) {
    String arn = IamXml.required(form, "PolicyArn");
    if (ManagedPolicies.of(arn).isEmpty()) {
      throw IamXml.noSuchEntity("Policy " + arn + " does not exist or is not attachable.");
    }
    return store.attachPolicy(principal, arn).thenApply(x -> ok(action, null, requestId));
  }

  static CompletionStage<HttpResponse> detach(IamStore store, String principal, String action,
      Map<String, List<String>> form, String requestId) {
    String arn = IamXml.required(form, "PolicyArn");
    return store.attachedPolicies(principal).thenCompose(attached -> {
      if (!attached.contains(arn)) throw IamXml.noSuchEntity("Policy " + arn + " was not found.");
      return store.detachPolicy(principal, arn);
    }).thenApply(x -> ok(action, null, requestId));
  }

  static CompletionStage<HttpResponse> list(IamStore store, String principal, String action,
      Map<String, List<String>> form, String requestId) {
    return store.attachedPolicies(principal).thenApply(arns -> {
      var page = IamXml.page(arns, a -> a, form);
      return ok(action, "<AttachedPolicies>" + page.items().stream().map(a -> "<member><PolicyName>"
          + esc(a.substring(a.lastIndexOf('/') + 1)) + "</PolicyName><PolicyArn>" + esc(a) + "</PolicyArn></member>")
          .reduce("", String::concat) + "</AttachedPolicies>" + page.tail(), requestId);
    });
  }
}
