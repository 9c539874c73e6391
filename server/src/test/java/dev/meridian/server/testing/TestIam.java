package dev.meridian.server.testing;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;

/**
 * IAM for integration tests: an SDK IAM client against a node, and the replication role the replication
 * ITs name ({@link #REPLICATION_ROLE_ARN}), which replication now enforces: trusted by S3 and allowed every
 * S3 action, for tests about how replication behaves rather than about its permissions.
 */
public final class TestIam {

  public static final String REPLICATION_ROLE = "replication-role";
  public static final String REPLICATION_ROLE_ARN = "arn:aws:iam::000000000000:role/" + REPLICATION_ROLE;
  public static final String S3_TRUST = """
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
       "Action": "sts:AssumeRole"}]}""";

  private TestIam() {}

  /** An IAM client of {@code endpoint} (IAM is global: requests are signed for us-east-1). The caller closes it. */
  public static IamClient client(URI endpoint, AwsCredentialsProvider credentials) {
    return IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL).credentialsProvider(credentials).build();
  }

  /** An IAM client of the node with the root credentials. */
  public static IamClient client(MeridianTestNode node) {
    return client(node.endpoint(), node.credentials());
  }

  /** Creates {@value #REPLICATION_ROLE} with a permissive policy unless it exists (IAM state is global). */
  public static void permissiveReplicationRole(IamClient iam) {
    try {
      iam.createRole(r -> r.roleName(REPLICATION_ROLE).assumeRolePolicyDocument(S3_TRUST));
    } catch (EntityAlreadyExistsException e) {
      return;
    }
    iam.putRolePolicy(r -> r.roleName(REPLICATION_ROLE).policyName("replicate-anything").policyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"));
  }

  /** The same, through a node. */
  public static void permissiveReplicationRole(MeridianTestNode node) {
    try (IamClient iam = client(node)) {
      permissiveReplicationRole(iam);
    }
  }
}
