package dev.meridian.api.auth;

import java.util.Map;
import java.util.Objects;

/**
 * A request body failed verification while streaming: bad aws-chunked framing, a chunk or trailer
 * signature that does not match, a truncated body, a decoded length different from
 * {@code x-amz-decoded-content-length}, or a SHA-256 different from the declared one.
 *
 * <p>It is the failure cause of the streams built by {@link AwsChunkedDecoder} and
 * {@link PayloadSha256Check}; the sink that writes the object sees the stream fail and must not
 * commit it. {@link #error()} gives the S3 code and HTTP status, {@link #getMessage()} the S3
 * message, {@link #details()} the extra error elements (e.g. {@code Chunk}, {@code BadChunkSize},
 * {@code ClientComputedContentSHA256}).
 */
public final class ChunkedEncodingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final AuthError error;
    private final transient Map<String, String> details;

    /** A failure with extra error elements. */
    public ChunkedEncodingException(AuthError error, String message, Map<String, String> details) {
        super(message, null, false, false);
        this.error = Objects.requireNonNull(error, "error");
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** A failure without extra error elements. */
    public ChunkedEncodingException(AuthError error, String message) {
        this(error, message, Map.of());
    }

    /** The S3 error code (its {@code name()}) and HTTP status. */
    public AuthError error() {
        return error;
    }

    /** Extra elements for the S3 error document; never null. */
    public Map<String, String> details() {
        return details == null ? Map.of() : details;
    }
}
