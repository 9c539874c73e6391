package dev.meridian.cluster.policy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS managed policies Meridian knows, by ARN, so that {@code aws iam attach-user-policy --policy-arn
 * arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess} works as it does in AWS: the S3 and IAM ones and
 * AdministratorAccess, with AWS's documents (actions of services Meridian does not have are left out, they
 * could never match). Customer managed policies (CreatePolicy) are not supported.
 */
public final class ManagedPolicies {

  /** A managed policy: its name, ARN and document. */
  public record Managed(String name, String arn, String document) {

    public Policy parsed() {
      return PolicyParser.parse(document, PolicyParser.Kind.IDENTITY);
    }
  }

  private static final Map<String, Managed> BY_ARN = new LinkedHashMap<>();

  static {
    add("AdministratorAccess", "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}");
    add("AmazonS3FullAccess", "{\"Effect\":\"Allow\",\"Action\":[\"s3:*\",\"s3-object-lambda:*\"],\"Resource\":\"*\"}");
    add("AmazonS3ReadOnlyAccess", "{\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\"s3:List*\",\"s3:Describe*\","
        + "\"s3-object-lambda:Get*\",\"s3-object-lambda:List*\"],\"Resource\":\"*\"}");
    add("IAMFullAccess", "{\"Effect\":\"Allow\",\"Action\":[\"iam:*\",\"organizations:DescribeAccount\","
        + "\"organizations:DescribeOrganization\",\"organizations:DescribeOrganizationalUnit\","
        + "\"organizations:DescribePolicy\",\"organizations:ListChildren\",\"organizations:ListParents\","
        + "\"organizations:ListPoliciesForTarget\",\"organizations:ListRoots\",\"organizations:ListPolicies\","
        + "\"organizations:ListTargetsForPolicy\"],\"Resource\":\"*\"}");
    add("IAMReadOnlyAccess", "{\"Effect\":\"Allow\",\"Action\":[\"iam:GenerateCredentialReport\","
        + "\"iam:GenerateServiceLastAccessedDetails\",\"iam:Get*\",\"iam:List*\",\"iam:SimulateCustomPolicy\","
        + "\"iam:SimulatePrincipalPolicy\"],\"Resource\":\"*\"}");
  }

  private static void add(String name, String statement) {
    String arn = "arn:aws:iam::aws:policy/" + name;
    BY_ARN.put(arn, new Managed(name, arn, "{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}"));
  }

  private ManagedPolicies() {}

  /** The managed policy of an ARN, if Meridian knows it. */
  public static Optional<Managed> of(String arn) {
    return Optional.ofNullable(BY_ARN.get(arn));
  }
}
