package dev.meridian.cluster.policy;

import java.util.List;
import java.util.Map;

/**
 * A parsed IAM policy document (identity policy, bucket policy or role trust policy): the elements AWS's
 * evaluation reads. Built by {@link PolicyParser}, which validates as IAM and S3 do; evaluated by
 * {@link PolicyEvaluator}. Single values of the JSON are lists of one here.
 *
 * @param version "2012-10-17" or "2008-10-17" (the latter has no policy variables)
 */
public record Policy(String version, String id, List<Statement> statements) {

  public Policy {
    statements = List.copyOf(statements);
  }

  /** Whether policy variables ({@code ${aws:username}}) are interpreted (only from version 2012-10-17). */
  public boolean variables() {
    return "2012-10-17".equals(version);
  }

  public enum Effect { ALLOW, DENY }

  /**
   * One statement. Exactly one of {@code actions}/{@code notActions} is non-null; likewise resources (both
   * null in a trust policy, which names no resource) and principals (both null in an identity policy).
   */
  public record Statement(
      String sid,
      Effect effect,
      Principals principal,
      Principals notPrincipal,
      List<String> actions,
      List<String> notActions,
      List<String> resources,
      List<String> notResources,
      List<Condition> conditions) {

    public Statement {
      conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }
  }

  /**
   * A Principal or NotPrincipal element: {@code "*"} (anyone, anonymous included), or principals by type
   * ({@code AWS}, {@code Service}, {@code Federated}, {@code CanonicalUser}).
   */
  public record Principals(boolean anyone, Map<String, List<String>> byType) {

    public Principals {
      byType = byType == null ? Map.of() : Map.copyOf(byType);
    }
  }

  /**
   * One test of a Condition block: the operator as written (e.g. {@code ForAnyValue:StringLikeIfExists}),
   * the context key and the policy's values (a logical OR, NOR for negated operators).
   */
  public record Condition(String operator, String key, List<String> values) {

    public Condition {
      values = List.copyOf(values);
    }
  }
}
