package dev.meridian.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cryptographic primitives of SigV4: SHA-256, HMAC-SHA256, signing-key derivation (with a
 * small bounded cache), the chunk and trailer string-to-sign of aws-chunked bodies, and a
 * constant-time comparison of signatures.
 *
 * <p>Shared by the request verifier and the body decoders so that both compute the chain the
 * same way.
 */
public final class SigV4Crypto {

    /** The SigV4 algorithm name. */
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** Hex SHA-256 of the empty string; the "previous headers" hash line of a chunk string-to-sign. */
    public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /** {@code yyyyMMdd'T'HHmmss'Z'} in UTC, the form of {@code x-amz-date}. */
    public static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int CACHE_SIZE = 512;

    /**
     * Derived keys by access key id, date, region and service. The entry also keeps the secret so
     * a rotated secret (same id) never reuses a stale key; the secret comparison is constant-time.
     */
    private static final Map<String, CachedKey> KEY_CACHE = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CachedKey> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA256 is required by the JVM spec", e);
        }
    });

    private record CachedKey(byte[] secret, byte[] key) {
    }

    private SigV4Crypto() {
    }

    /** SHA-256 of {@code data}. */
    public static byte[] sha256(byte[] data) {
        return newSha256().digest(data);
    }

    /** Lowercase hex SHA-256 of the UTF-8 bytes of {@code s}. */
    public static String sha256Hex(String s) {
        return hex(sha256(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the JVM spec", e);
        }
    }

    /** HMAC-SHA256 of the UTF-8 bytes of {@code data} under {@code key}. */
    public static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = MAC.get(); // Mac.getInstance looks the provider up: per thread, not per call
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by the JVM spec", e);
        }
    }

    /** Lowercase hex of {@code bytes}. */
    public static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }

    /** {@code kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")}. */
    public static byte[] deriveSigningKey(String secret, String yyyymmdd, String region, String service) {
        byte[] kDate = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), yyyymmdd);
        byte[] kRegion = hmac(kDate, region);
        byte[] kService = hmac(kRegion, service);
        return hmac(kService, "aws4_request");
    }

    /** {@link #deriveSigningKey} through the bounded cache (one entry per id/day/region/service). */
    static byte[] cachedSigningKey(String accessKeyId, String secret, String yyyymmdd, String region,
                                   String service) {
        String cacheKey = accessKeyId + '\n' + yyyymmdd + '\n' + region + '\n' + service;
        byte[] secretBytes = secret.getBytes(StandardCharsets.UTF_8);
        synchronized (KEY_CACHE) {
            CachedKey hit = KEY_CACHE.get(cacheKey);
            if (hit != null && MessageDigest.isEqual(hit.secret(), secretBytes)) {
                return hit.key().clone();
            }
        }
        byte[] key = deriveSigningKey(secret, yyyymmdd, region, service);
        synchronized (KEY_CACHE) {
            KEY_CACHE.put(cacheKey, new CachedKey(secretBytes, key.clone()));
        }
        return key;
    }

    /** Lowercase hex HMAC of {@code stringToSign} under {@code signingKey}: the signature. */
    public static String sign(byte[] signingKey, String stringToSign) {
        return hex(hmac(signingKey, stringToSign));
    }

    /**
     * Compares a computed lowercase hex signature with the one the client sent, in time that does
     * not depend on where they differ. Hex case in {@code provided} is ignored.
     */
    public static boolean signaturesEqual(String computed, String provided) {
        if (provided == null) {
            return false;
        }
        byte[] a = computed.getBytes(StandardCharsets.US_ASCII);
        byte[] b = provided.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(a, b);
    }

    /** The request string-to-sign: algorithm, timestamp, scope and the canonical request's hash. */
    public static String requestStringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + sha256Hex(canonicalRequest);
    }

    /**
     * The string-to-sign of one aws-chunked chunk: {@code AWS4-HMAC-SHA256-PAYLOAD}, timestamp,
     * scope, the previous signature (the seed for the first chunk), the hash of the empty string
     * (chunks have no headers) and the hex SHA-256 of the chunk's data.
     */
    public static String chunkStringToSign(String amzDate, String scope, String previousSignature,
                                           String chunkDataSha256Hex) {
        return "AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + '\n' + scope + '\n' + previousSignature + '\n'
                + EMPTY_SHA256 + '\n' + chunkDataSha256Hex;
    }

    /**
     * The string-to-sign of the trailer section: {@code AWS4-HMAC-SHA256-TRAILER}, timestamp, scope,
     * the final (zero-length) chunk's signature, and the hex SHA-256 of the canonical trailers,
     * which are {@code name:value\n} per trailer in sent order (the form the AWS SDKs sign; checked
     * against the published S3 trailer example).
     */
    public static String trailerStringToSign(String amzDate, String scope, String previousSignature,
                                             String canonicalTrailers) {
        return "AWS4-HMAC-SHA256-TRAILER\n" + amzDate + '\n' + scope + '\n' + previousSignature + '\n'
                + sha256Hex(canonicalTrailers);
    }
}
