package dev.meridian.server;

/**
 * The IAM documents of a replication role as the project's own tools create it (the chaos workload and
 * the benchmark; the tutorial's user writes them by hand): trusted by S3, allowed exactly the
 * replication actions on every bucket. Replication checks its role before every copy, as S3 does, so a
 * tool that sets up replication creates this role first.
 */
public final class ReplicationRoleDocuments {

  public static final String TRUST_POLICY = """
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
       "Action": "sts:AssumeRole"}]}""";

  public static final String PERMISSIONS_POLICY = """
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "arn:aws:s3:::*/*",
       "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionTagging", "s3:ReplicateObject",
                  "s3:ReplicateDelete", "s3:ReplicateTags"]}]}""";

  private ReplicationRoleDocuments() {}
}
