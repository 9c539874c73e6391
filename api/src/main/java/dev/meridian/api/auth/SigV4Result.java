package dev.meridian.api.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of {@link SigV4Verifier#verify}: the request is {@link Verified}, {@link Failed},
 * or {@link Anonymous} (it carried no authentication at all).
 *
 * <p>A sealed type rather than exceptions, so that every caller handles all three outcomes and the
 * verifier stays a pure function.
 */
public sealed interface SigV4Result permits SigV4Result.Verified, SigV4Result.Failed, SigV4Result.Anonymous {

    /**
     * The signature is valid. Everything a body decoder needs to continue the signature chain is
     * here: {@code signingKey}, {@code seedSignature} (the request signature, lowercase hex, which
     * the first aws-chunked chunk chains from), {@code scope} ({@code date/region/service/aws4_request})
     * and {@code requestTime} (whose {@link #amzDate()} is the timestamp line of chunk
     * string-to-signs).
     *
     * @param declaredSha256OrNull the lowercase hex digest when {@code mode} is
     *        {@link PayloadMode#SIGNED_SHA256}, otherwise {@code null}
     */
    record Verified(String accessKeyId, String region, String service, Instant requestTime,
                    byte[] signingKey, String seedSignature, String scope, PayloadMode mode,
                    String declaredSha256OrNull) implements SigV4Result {

        /** Checks the components and copies the key so callers cannot alter it. */
        public Verified {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(requestTime, "requestTime");
            Objects.requireNonNull(mode, "mode");
            signingKey = signingKey.clone();
        }

        /** A copy of the derived signing key. */
        @Override
        public byte[] signingKey() {
            return signingKey.clone();
        }

        /** The request time as SigV4 writes it: {@code yyyyMMdd'T'HHmmss'Z'}. */
        public String amzDate() {
            return SigV4Crypto.AMZ_DATE.format(requestTime);
        }

        @Override
        public String toString() {
            // Never print the signing key.
            return "Verified[accessKeyId=" + accessKeyId + ", scope=" + scope + ", mode=" + mode + "]";
        }
    }

    /**
     * Authentication failed. {@code error.name()} is the S3 code and {@code message} the S3
     * message; {@code details} holds the extra elements S3 adds to the error document, e.g.
     * {@code HeadersNotSigned}, {@code RequestTime}/{@code ServerTime}/{@code MaxAllowedSkewMilliseconds},
     * {@code AWSAccessKeyId}, {@code StringToSign}/{@code CanonicalRequest}, {@code Region},
     * {@code ArgumentName}/{@code ArgumentValue}. They hold no secret and can be rendered as-is.
     */
    record Failed(AuthError error, String message, Map<String, String> details) implements SigV4Result {

        /** Checks the components and copies the details. */
        public Failed {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(message, "message");
            details = details == null ? Map.of() : Map.copyOf(details);
        }

        /** A failure without extra elements. */
        public Failed(AuthError error, String message) {
            this(error, message, Map.of());
        }
    }

    /**
     * No {@code Authorization} header and no presigning parameters. The caller decides: S3 serves
     * public resources to such requests and otherwise answers {@code AccessDenied} "Access Denied".
     */
    record Anonymous() implements SigV4Result {
    }
}
