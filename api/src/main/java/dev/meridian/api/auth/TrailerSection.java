package dev.meridian.api.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Collects the trailer lines that follow the final zero-length chunk of an aws-chunked body, and
 * builds the canonical form the trailer signature covers. Pure and single-use; the decoder feeds
 * it one line at a time (without its line terminator).
 */
final class TrailerSection {

    private static final String MALFORMED = "The request contained trailing data that was not well-formed or did "
            + "not conform to our published schema.";

    private final boolean allowed;
    private final boolean signed;
    private final Map<String, String> trailers = new LinkedHashMap<>();
    private final StringBuilder canonical = new StringBuilder();
    private String signature;
    private int lines;
    private int bytes;
    private boolean blankAfterFinalChunk;

    /**
     * @param allowed whether trailers may appear at all (not for {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD})
     * @param signed whether an {@code x-amz-trailer-signature} line is expected and kept
     */
    TrailerSection(boolean allowed, boolean signed) {
        this.allowed = allowed;
        this.signed = signed;
    }

    /**
     * Takes the next line; returns true when it was the blank line that ends the section.
     *
     * @throws ChunkedEncodingException {@code MalformedTrailerError} for a line that is not
     *         {@code name:value}, a trailer after the signature, or a section that is too long
     */
    boolean onLine(String line) {
        if (line.isEmpty()) {
            // One blank line right after the final chunk is skipped when more follows: the published
            // S3 trailer example lays its body out that way. Any other blank line ends the section.
            if (lines > 0 || blankAfterFinalChunk) {
                return true;
            }
            blankAfterFinalChunk = true;
            return false;
        }
        lines++;
        bytes += line.length() + 2;
        int colon = line.indexOf(':');
        if (!allowed || signature != null || bytes > AwsChunkedDecoder.MAX_TRAILER_BYTES || colon <= 0) {
            throw new ChunkedEncodingException(AuthError.MalformedTrailerError, MALFORMED);
        }
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        if (name.equals("x-amz-trailer-signature")) {
            // In unsigned mode a signature has nothing to chain from; it is ignored.
            signature = signed ? value : null;
            return false;
        }
        trailers.put(name, value);
        // The signed canonical form: "name:value\n" per trailer, in the order sent.
        canonical.append(name).append(':').append(value).append('\n');
        return false;
    }

    /** The trailers received, lower-cased names in sent order, without the signature. */
    Map<String, String> trailers() {
        return Collections.unmodifiableMap(trailers);
    }

    /** What the trailer signature covers. */
    String canonical() {
        return canonical.toString();
    }

    /** The {@code x-amz-trailer-signature} value, or null when none was sent. */
    String signature() {
        return signature;
    }
}
