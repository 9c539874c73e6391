/**
 * IAM as a node reads it: {@link dev.meridian.cluster.iam.IamDirectory} caches access keys (secrets
 * opened with {@link dev.meridian.cluster.iam.SecretBox}), user and role policies from the global
 * {@code IamStore}, for authentication, authorization and replication's role checks.
 */
package dev.meridian.cluster.iam;
