package dev.meridian.api;

/**
 * Every S3 error Meridian returns: wire code, HTTP status and AWS's default message. The one table of
 * protocol errors; {@link S3Exception} carries an entry (and optionally a more specific message) to
 * {@link ErrorResponses}, which renders the XML.
 */
public enum S3Error {
  AccessControlListNotSupported(400, "The bucket does not allow ACLs"),
  AccessDenied(403, "Access Denied"),
  /** A CORS preflight that no rule allows (S3 prefixes its messages with "CORSResponse: "). */
  AccessForbidden(403, "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."),
  AuthorizationHeaderMalformed(400, "The authorization header is malformed."),
  AuthorizationQueryParametersError(400, "Error parsing the X-Amz-Credential parameter."),
  BadRequest(400, "Insufficient information. Origin request header needed."),
  BadDigest(400, "The Content-MD5 or checksum you specified did not match what we received."),
  BucketAlreadyExists(409, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again."),
  BucketAlreadyOwnedByYou(409, "Your previous request to create the named bucket succeeded and you already own it."),
  BucketNotEmpty(409, "The bucket you tried to delete is not empty"),
  ConditionalRequestConflict(409, "A conflicting operation occurred. If using PutObject you can retry the request. If using multipart upload you should initiate another CreateMultipartUpload request and re-upload each part."),
  EntityTooLarge(400, "Your proposed upload exceeds the maximum allowed size"),
  EntityTooSmall(400, "Your proposed upload is smaller than the minimum allowed object size."),
  IllegalLocationConstraintException(400, "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."),
  IllegalVersioningConfigurationException(400, "The Versioning element must be specified"),
  IncompleteBody(400, "You did not provide the number of bytes specified by the Content-Length HTTP header."),
  InternalError(500, "We encountered an internal error. Please try again."),
  InvalidAccessKeyId(403, "The AWS Access Key Id you provided does not exist in our records."),
  InvalidArgument(400, "Invalid Argument"),
  InvalidBucketName(400, "The specified bucket is not valid."),
  InvalidBucketState(409, "The request is not valid with the current state of the bucket."),
  InvalidChunkSizeError(403, "Only the last chunk is allowed to have a size less than 8192 bytes"),
  InvalidDigest(400, "The Content-MD5 you specified is not valid."),
  InvalidLocationConstraint(400, "The specified location-constraint is not valid"),
  InvalidPart(400, "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag."),
  InvalidPartOrder(400, "The list of parts was not in ascending order. Parts must be ordered by part number."),
  InvalidPartNumber(416, "The requested partnumber is not satisfiable"),
  InvalidRange(416, "The requested range is not satisfiable"),
  InvalidRequest(400, "Invalid Request"),
  InvalidTag(400, "The TagValue you have provided is invalid"),
  InvalidStorageClass(400, "The storage class you specified is not valid"),
  InvalidToken(400, "The provided token is malformed or otherwise invalid."),
  InvalidURI(400, "Couldn't parse the specified URI."),
  KeyTooLongError(400, "Your key is too long"),
  MalformedACLError(400, "The XML you provided was not well-formed or did not validate against our published schema"),
  MalformedPolicy(400, "Policies must be valid JSON and the first byte must be '{'"),
  MalformedXML(400, "The XML you provided was not well-formed or did not validate against our published schema"),
  MalformedTrailerError(400, "The request contained trailing data that was not well-formed or did not conform to our published schema."),
  MetadataTooLarge(400, "Your metadata headers exceed the maximum allowed metadata size"),
  MethodNotAllowed(405, "The specified method is not allowed against this resource."),
  MissingContentLength(411, "You must provide the Content-Length HTTP header."),
  MissingSecurityHeader(400, "Your request was missing a required header"),
  NoSuchBucket(404, "The specified bucket does not exist"),
  NoSuchBucketPolicy(404, "The bucket policy does not exist"),
  NoSuchCORSConfiguration(404, "The CORS configuration does not exist"),
  NoSuchKey(404, "The specified key does not exist."),
  ReplicationConfigurationNotFoundError(404, "The replication configuration was not found"),
  NoSuchUpload(404, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."),
  NoSuchTagSet(404, "The TagSet does not exist"),
  NoSuchVersion(404, "The specified version does not exist."),
  NotImplemented(501, "A header you provided implies functionality that is not implemented"),
  PreconditionFailed(412, "At least one of the pre-conditions you specified did not hold"),
  RequestTimeTooSkewed(403, "The difference between the request time and the current time is too large."),
  ServiceUnavailable(503, "Service is unable to handle request."),
  SignatureDoesNotMatch(403, "The request signature we calculated does not match the signature you provided. Check your key and signing method."),
  SlowDown(503, "Please reduce your request rate."),
  XAmzContentSHA256Mismatch(400, "The provided 'x-amz-content-sha256' header does not match what was computed.");

  public final int status;
  public final String message;

  S3Error(int status, String message) {
    this.status = status;
    this.message = message;
  }
}
