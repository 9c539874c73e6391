package dev.meridian.cluster.policy;

/**
 * A policy document that IAM or S3 would refuse, with AWS's reason. The IAM API answers it as
 * MalformedPolicyDocument, the S3 API as MalformedPolicy.
 */
public final class PolicyException extends RuntimeException {

  public PolicyException(String message) {
    super(message, null, false, false);
  }
}
