/**
 * IAM policies as pure functions: {@link dev.meridian.cluster.policy.PolicyParser} validates documents as
 * IAM and S3 do, {@link dev.meridian.cluster.policy.PolicyEvaluator} decides a request as AWS's evaluation
 * logic does within one account (explicit deny wins, an allow from the identity's or the resource's policy
 * grants, nothing else does), with {@link dev.meridian.cluster.policy.Conditions} and
 * {@link dev.meridian.cluster.policy.Glob}. Shared by the S3 and IAM APIs and by replication (role checks).
 */
package dev.meridian.cluster.policy;
