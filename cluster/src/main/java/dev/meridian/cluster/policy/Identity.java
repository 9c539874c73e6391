package dev.meridian.cluster.policy;

/**
 * Who makes a request, as policies see it: the account's root (the configured credentials, or access keys
 * IAM created for the root), an IAM user, a role (replication acting with its role), a service principal (S3 assuming a replication role) or an
 * anonymous caller. {@code arn} is what a Principal element names; {@code id} is the unique id
 * ({@code aws:userid}); {@code name} the user name ({@code aws:username}, null for others).
 */
public record Identity(Kind kind, String arn, String account, String name, String id) {

  public enum Kind { ROOT, USER, ROLE, SERVICE, ANONYMOUS }

  public static Identity root(String account) {
    return new Identity(Kind.ROOT, "arn:aws:iam::" + account + ":root", account, null, account);
  }

  public static Identity user(String account, String name, String arn, String id) {
    return new Identity(Kind.USER, arn, account, name, id);
  }

  /** A role acting (S3 replicating with the role a replication configuration names). */
  public static Identity role(String account, String name, String arn, String id) {
    return new Identity(Kind.ROLE, arn, account, null, id);
  }

  /** A service principal such as {@code s3.amazonaws.com}. */
  public static Identity service(String service) {
    return new Identity(Kind.SERVICE, service, null, null, service);
  }

  public static Identity anonymous() {
    return new Identity(Kind.ANONYMOUS, "*", null, null, "anonymous");
  }

  /** The root credentials may do everything in their account; policies are not consulted. */
  public boolean isRoot() {
    return kind == Kind.ROOT;
  }

  /** The {@code aws:PrincipalType} of this identity. */
  public String principalType() {
    return switch (kind) {
      case ROOT -> "Account";
      case USER -> "User";
      case ROLE -> "AssumedRole";
      case SERVICE -> "Service";
      case ANONYMOUS -> "Anonymous";
    };
  }
}
