/**
 * Access control of the S3 endpoint: who a request's access key belongs to
 * ({@link dev.meridian.api.access.Callers}), which IAM permissions each operation needs
 * ({@link dev.meridian.api.access.S3Actions}), the request's condition keys
 * ({@link dev.meridian.api.access.S3RequestKeys}) and the decision ({@link dev.meridian.api.access.S3Authorizer}).
 */
package dev.meridian.api.access;
