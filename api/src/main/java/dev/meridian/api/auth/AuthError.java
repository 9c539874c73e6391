package dev.meridian.api.auth;

/**
 * The S3 error codes that request authentication and body verification can produce.
 *
 * <p>The constant names are the exact {@code <Code>} strings S3 puts in its error documents, so a
 * caller renders an error with {@link #name()} and {@link #httpStatus()} and needs no mapping
 * table of its own. Only codes this package actually raises are listed.
 */
public enum AuthError {
    /** 403. Expired or not-yet-valid presigned URL, unsigned {@code x-amz-*} headers, bad date. */
    AccessDenied(403),
    /** 403. The access key id in the credential scope is not configured. */
    InvalidAccessKeyId(403),
    /** 403. The computed signature (request, chunk or trailer) differs from the one sent. */
    SignatureDoesNotMatch(403),
    /** 403. Header-signed request more than 15 minutes away from the server clock. */
    RequestTimeTooSkewed(403),
    /** 400. The {@code Authorization} header cannot be parsed, or its scope is wrong. */
    AuthorizationHeaderMalformed(400),
    /** 400. The {@code X-Amz-*} presigning query parameters are missing or invalid. */
    AuthorizationQueryParametersError(400),
    /** 400. Unknown authorization type, both header and query auth, bad x-amz-content-sha256. */
    InvalidArgument(400),
    /** 400. SigV2 / SigV4a (not supported), missing x-amz-content-sha256, malformed aws-chunked framing. */
    InvalidRequest(400),
    /** 400. A session token was sent; this server issues none, so no token can be valid. */
    InvalidToken(400),
    /** 400. The body's SHA-256 differs from the hex digest declared in x-amz-content-sha256. */
    XAmzContentSHA256Mismatch(400),
    /** 400. The body ended early or its decoded length differs from x-amz-decoded-content-length. */
    IncompleteBody(400),
    /** 400. A chunk other than the last was smaller than the configured minimum (S3: 8192). */
    InvalidChunkSizeError(400),
    /** 400. The trailer section of an aws-chunked body is not well formed. */
    MalformedTrailerError(400);

    private final int httpStatus;

    AuthError(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status S3 answers with for this code. */
    public int httpStatus() {
        return httpStatus;
    }
}
