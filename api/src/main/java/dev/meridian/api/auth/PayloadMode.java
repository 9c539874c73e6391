package dev.meridian.api.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * How the request body is protected, as declared by {@code x-amz-content-sha256} (or, for a
 * presigned URL, by the {@code X-Amz-Content-Sha256} parameter or its absence).
 *
 * <p>The caller picks its body pipeline from this value:
 * <ul>
 *   <li>{@link #SIGNED_SHA256}: the body is plain bytes; pipe it through
 *       {@link PayloadSha256Check} so the upload fails with {@code XAmzContentSHA256Mismatch}
 *       when the digest differs.</li>
 *   <li>{@link #UNSIGNED_PAYLOAD}: plain bytes, nothing to verify.</li>
 *   <li>the three {@code STREAMING_*} modes: the body is aws-chunked; decode it with
 *       {@link AwsChunkedDecoder#forVerified}.</li>
 * </ul>
 */
public enum PayloadMode {
    /** A lowercase hex SHA-256 of the whole body. */
    SIGNED_SHA256(null),
    /** {@code UNSIGNED-PAYLOAD}. */
    UNSIGNED_PAYLOAD("UNSIGNED-PAYLOAD"),
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}: signed chunks, no trailer. */
    STREAMING_SIGNED("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER}: signed chunks and signed trailer. */
    STREAMING_SIGNED_TRAILER("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"),
    /** {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}: unsigned chunks, unsigned checksum trailer. */
    STREAMING_UNSIGNED_TRAILER("STREAMING-UNSIGNED-PAYLOAD-TRAILER");

    /**
     * The message S3 sends (code {@code InvalidArgument}, argument {@code x-amz-content-sha256})
     * for a value that is neither a known literal nor a SHA-256 hex digest.
     */
    public static final String INVALID_VALUE_MESSAGE = "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
            + "STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, "
            + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, "
            + "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.";

    private final String literal;

    PayloadMode(String literal) {
        this.literal = literal;
    }

    /** The header literal, or {@code null} for {@link #SIGNED_SHA256}. */
    public String literal() {
        return literal;
    }

    /** True for the three aws-chunked modes. */
    public boolean isStreaming() {
        return this == STREAMING_SIGNED || this == STREAMING_SIGNED_TRAILER || this == STREAMING_UNSIGNED_TRAILER;
    }

    /**
     * Classifies a header value. The literals are matched exactly (S3 is case-sensitive here);
     * a 64-character hex string is a digest (returned lower-cased by {@link #normalizeDigest}).
     * The SigV4a ECDSA streaming literals are not supported and come back empty, like garbage.
     */
    public static Optional<PayloadMode> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (PayloadMode m : values()) {
            if (m.literal != null && m.literal.equals(value)) {
                return Optional.of(m);
            }
        }
        return isSha256Hex(value) ? Optional.of(SIGNED_SHA256) : Optional.empty();
    }

    /** Lower-cases a hex digest so that it compares equal to a computed one. */
    public static String normalizeDigest(String hex) {
        return hex.toLowerCase(Locale.ROOT);
    }

    static boolean isSha256Hex(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return false;
            }
        }
        return true;
    }
}
