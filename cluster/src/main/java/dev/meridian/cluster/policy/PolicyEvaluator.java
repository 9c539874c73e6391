package dev.meridian.cluster.policy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * AWS's policy evaluation for requests within one account, as pure functions: every statement of the
 * caller's identity policies and of the resource's policy (a bucket policy, a role's trust policy) that
 * applies to the request (principal, action, resource, conditions) is collected; an explicit Deny wins over
 * any Allow, an Allow from either side grants, and without one the request is denied by default.
 *
 * <p>Principals in resource policies: {@code "*"} matches everyone, anonymous callers included; a user's
 * ARN matches that user; {@code arn:aws:iam::ACCOUNT:root} or the bare account id names the account, which
 * in a resource policy matches the account's root (an Allow to the account does not reach its IAM users,
 * whose own policies must grant them access, as in AWS) while a Deny to the account applies to all of its
 * principals; {@code Service} principals match services (S3 assuming a replication role).
 */
public final class PolicyEvaluator {

  /** The outcome of an evaluation. */
  public enum Decision {
    ALLOW, EXPLICIT_DENY, IMPLICIT_DENY;

    public boolean allowed() {
      return this == ALLOW;
    }
  }

  private PolicyEvaluator() {}

  /**
   * Evaluates a request against the caller's identity policies and, when not null, the resource's policy.
   */
  public static Decision evaluate(List<Policy> identityPolicies, Policy resourcePolicy, RequestContext ctx) {
    boolean allowed = false;
    for (Policy p : identityPolicies) {
      for (Policy.Statement s : p.statements()) {
        if (!applies(s, p, ctx, false)) continue;
        if (s.effect() == Policy.Effect.DENY) return Decision.EXPLICIT_DENY;
        allowed = true;
      }
    }
    if (resourcePolicy != null) {
      for (Policy.Statement s : resourcePolicy.statements()) {
        if (!applies(s, resourcePolicy, ctx, true)) continue;
        if (s.effect() == Policy.Effect.DENY) return Decision.EXPLICIT_DENY;
        allowed = true;
      }
    }
    return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
  }

  /** Evaluates identity policies alone. */
  public static Decision evaluate(List<Policy> identityPolicies, RequestContext ctx) {
    return evaluate(identityPolicies, null, ctx);
  }

  /** Whether a statement applies to the request: principal (resource policies), action, resource, conditions. */
  static boolean applies(Policy.Statement s, Policy policy, RequestContext ctx, boolean resourcePolicy) {
    if (resourcePolicy) {
      boolean deny = s.effect() == Policy.Effect.DENY;
      if (s.principal() != null && !principalMatches(s.principal(), ctx.identity(), deny)) return false;
      if (s.notPrincipal() != null && principalMatches(s.notPrincipal(), ctx.identity(), deny)) return false;
    }
    if (s.actions() != null && !anyAction(s.actions(), ctx.action())) return false;
    if (s.notActions() != null && anyAction(s.notActions(), ctx.action())) return false;
    Function<String, String> vars = policy.variables() ? ctx::value : null;
    if (s.resources() != null && !anyResource(s.resources(), ctx.resource(), vars)) return false;
    if (s.notResources() != null && anyResource(s.notResources(), ctx.resource(), vars)) return false;
    return Conditions.all(s.conditions(), ctx, policy.variables());
  }

  private static boolean anyAction(List<String> patterns, String action) {
    for (String p : patterns) {
      if (p.equals("*") || Glob.matches(p, action, true, null)) return true;
    }
    return false;
  }

  private static boolean anyResource(List<String> patterns, String resource, Function<String, String> vars) {
    for (String p : patterns) {
      if (p.equals("*") || Glob.matches(p, resource, false, vars)) return true;
    }
    return false;
  }

  /** Whether a Principal element names the caller (see the class comment for the account form). */
  static boolean principalMatches(Policy.Principals p, Identity who, boolean deny) {
    if (p.anyone()) return true;
    for (Map.Entry<String, List<String>> e : p.byType().entrySet()) {
      for (String v : e.getValue()) {
        if (matches(e.getKey(), v, who, deny)) return true;
      }
    }
    return false;
  }

  private static boolean matches(String type, String value, Identity who, boolean deny) {
    switch (type) {
      case "AWS": {
        if (value.equals("*")) return true;
        if (who.kind() == Identity.Kind.ANONYMOUS || who.kind() == Identity.Kind.SERVICE) return false;
        if (value.equals(who.arn())) return true;
        String account = !value.startsWith("arn:") ? value
            : value.startsWith("arn:aws:iam::") && value.endsWith(":root")
                ? value.substring("arn:aws:iam::".length(), value.length() - ":root".length()) : null;
        if (account == null || !account.equals(who.account())) return false;
        return deny || who.isRoot();
      }
      case "Service":
        return who.kind() == Identity.Kind.SERVICE && value.equalsIgnoreCase(who.arn());
      case "CanonicalUser":
        return who.account() != null && value.equals(who.account()) && (deny || who.isRoot());
      default:
        return false;
    }
  }
}
