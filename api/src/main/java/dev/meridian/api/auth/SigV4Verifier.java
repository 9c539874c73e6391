package dev.meridian.api.auth;

import dev.meridian.api.auth.SigV4Result.Anonymous;
import dev.meridian.api.auth.SigV4Result.Failed;
import dev.meridian.api.auth.SigV4Result.Verified;
import java.time.Duration;
import java.time.Instant;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Verifies AWS Signature Version 4 on an S3 request, as a pure function of the request, the
 * credentials, the clock and the accepted regions/services.
 *
 * <p>Both forms S3 accepts are handled: the {@code Authorization: AWS4-HMAC-SHA256 ...} header and
 * presigned URLs ({@code X-Amz-Algorithm}, {@code X-Amz-Credential}, ... query parameters). Error
 * codes and messages are S3's (see {@link AuthError}); the choices where S3 is not documented:
 * <ul>
 *   <li>SigV2 ({@code Authorization: AWS AKID:sig}, or {@code AWSAccessKeyId}+{@code Signature}
 *       query) and SigV4a are refused with {@code InvalidRequest} "The authorization mechanism you
 *       have provided is not supported. Please use AWS4-HMAC-SHA256.", as S3 regions without SigV2
 *       do; any other scheme gets {@code InvalidArgument} "Unsupported Authorization Type".</li>
 *   <li>{@code host} must be signed, and so must every {@code x-amz-*} header present (S3's
 *       {@code AccessDenied} "There were headers present in the request which were not signed"),
 *       except {@code x-amz-content-sha256}, which S3 tolerates unsigned.</li>
 *   <li>A session token ({@code x-amz-security-token}) is refused with {@code InvalidToken}: this
 *       server issues none, so none can be valid.</li>
 *   <li>For services other than {@code s3} (IAM/STS later) a missing {@code x-amz-content-sha256}
 *       is allowed when the caller passes the body's hash to
 *       {@link #verify(SigV4Request, CredentialsProvider, Instant, Set, Set, String)}.</li>
 * </ul>
 *
 * <p>Signatures are compared in constant time; derived signing keys are cached (bounded) per
 * access key, day, region and service. Instances hold no state and may be shared.
 */
public final class SigV4Verifier {

    /** How far a header-signed request's time may be from the server clock. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    /** The largest {@code X-Amz-Expires} S3 accepts: one week. */
    public static final long MAX_PRESIGN_EXPIRES_SECONDS = 604800;

    static final String UNSUPPORTED_MECHANISM =
            "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.";
    static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature "
            + "you provided. Check your key and signing method.";
    private static final String HEADER_PREFIX = "The authorization header is malformed; ";
    private static final String QUERY_PREFIX = "Error parsing the X-Amz-Credential parameter; ";
    private static final String CREDENTIAL_FORM = "the Credential is mal-formed; expecting "
            + "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".";
    private static final String DATE_REQUIRED = "AWS authentication requires a valid Date or x-amz-date header";
    private static final String QUERY_REQUIRED = "Query-string authentication version 4 requires the X-Amz-Algorithm, "
            + "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.";

    /** The parsed, not yet verified, signature claims of either form. */
    private record Claims(boolean presigned, String accessKeyId, String date, String region, String service,
                          String signedHeaders, String signature, String amzDate, Instant requestTime) {
    }

    /** Verifies an S3 request ({@code s3} service only). */
    public SigV4Result verify(SigV4Request req, CredentialsProvider creds, Instant now, Set<String> allowedRegions) {
        return verify(req, creds, now, allowedRegions, Set.of("s3"), null);
    }

    /** Verifies a request for one of {@code allowedServices} (e.g. {@code s3}, {@code iam}, {@code sts}). */
    public SigV4Result verify(SigV4Request req, CredentialsProvider creds, Instant now, Set<String> allowedRegions,
                              Set<String> allowedServices) {
        return verify(req, creds, now, allowedRegions, allowedServices, null);
    }

    /**
     * The full form.
     *
     * @param bodySha256Hex for non-S3 services whose clients do not send {@code x-amz-content-sha256}:
     *        the hex SHA-256 of the (small, already read) body, used as the payload hash. {@code null}
     *        otherwise; S3 requests always need the header.
     */
    public SigV4Result verify(SigV4Request req, CredentialsProvider creds, Instant now, Set<String> allowedRegions,
                              Set<String> allowedServices, String bodySha256Hex) {
        String authorization = req.header("Authorization");
        Map<String, String> query = decodeQuery(req.rawQuery());
        boolean v4Query = query.containsKey("X-Amz-Algorithm");
        boolean v2Query = query.containsKey("AWSAccessKeyId") && query.containsKey("Signature");
        if (authorization != null && (v4Query || v2Query)) {
            return new Failed(AuthError.InvalidArgument, "Only one auth mechanism allowed; only the X-Amz-Algorithm "
                    + "query parameter, Signature query string parameter or the Authorization header should be "
                    + "specified", Map.of("ArgumentName", "Authorization", "ArgumentValue", authorization));
        }
        Object claims;
        if (authorization != null) {
            claims = headerClaims(req, authorization.trim());
        } else if (v4Query) {
            claims = queryClaims(query);
        } else if (v2Query) {
            return new Failed(AuthError.InvalidRequest, UNSUPPORTED_MECHANISM);
        } else {
            return new Anonymous();
        }
        if (claims instanceof Failed f) {
            return f;
        }
        Claims c = (Claims) claims;
        Failed scopeError = checkScope(c, allowedRegions, allowedServices);
        if (scopeError != null) {
            return scopeError;
        }
        Failed timeError = c.presigned() ? checkExpiry(c, query, now) : checkSkew(c, req, now);
        if (timeError != null) {
            return timeError;
        }
        // The payload hash line: header form reads x-amz-content-sha256, presigned URLs default to
        // UNSIGNED-PAYLOAD unless the URL itself carries X-Amz-Content-Sha256.
        String declared = c.presigned() ? queryIgnoreCase(query, "X-Amz-Content-Sha256")
                : req.header("x-amz-content-sha256");
        String payloadHash;
        PayloadMode mode;
        if (declared == null && c.presigned()) {
            payloadHash = PayloadMode.UNSIGNED_PAYLOAD.literal();
            mode = PayloadMode.UNSIGNED_PAYLOAD;
        } else if (declared == null) {
            if ("s3".equals(c.service()) || bodySha256Hex == null) {
                return new Failed(AuthError.InvalidRequest,
                        "Missing required header for this request: x-amz-content-sha256");
            }
            payloadHash = PayloadMode.normalizeDigest(bodySha256Hex);
            mode = PayloadMode.SIGNED_SHA256;
        } else {
            payloadHash = declared.trim();
            Optional<PayloadMode> parsed = PayloadMode.parse(payloadHash);
            if (parsed.isEmpty()) {
                return new Failed(AuthError.InvalidArgument, PayloadMode.INVALID_VALUE_MESSAGE,
                        Map.of("ArgumentName", "x-amz-content-sha256", "ArgumentValue", declared));
            }
            mode = parsed.get();
        }
        Failed unsigned = checkSignedHeaders(req, c.signedHeaders());
        if (unsigned != null) {
            return unsigned;
        }
        if (req.header("x-amz-security-token") != null || query.containsKey("X-Amz-Security-Token")) {
            return new Failed(AuthError.InvalidToken, "The provided token is malformed or otherwise invalid.");
        }
        Optional<String> secret = creds.secretFor(c.accessKeyId());
        if (secret.isEmpty()) {
            return new Failed(AuthError.InvalidAccessKeyId,
                    "The AWS Access Key Id you provided does not exist in our records.",
                    Map.of("AWSAccessKeyId", c.accessKeyId()));
        }
        String canonical = SigV4Canonical.canonicalRequest(req.method(), req.rawPath(), req.rawQuery(),
                c.presigned() ? "X-Amz-Signature" : null, c.signedHeaders(), req.headers(), payloadHash);
        String scope = c.date() + '/' + c.region() + '/' + c.service() + "/aws4_request";
        String stringToSign = SigV4Crypto.requestStringToSign(c.amzDate(), scope, canonical);
        byte[] key = SigV4Crypto.cachedSigningKey(c.accessKeyId(), secret.get(), c.date(), c.region(), c.service());
        String computed = SigV4Crypto.sign(key, stringToSign);
        if (!SigV4Crypto.signaturesEqual(computed, c.signature())) {
            return new Failed(AuthError.SignatureDoesNotMatch, SIGNATURE_MISMATCH, Map.of(
                    "AWSAccessKeyId", c.accessKeyId(), "StringToSign", stringToSign,
                    "SignatureProvided", c.signature(), "CanonicalRequest", canonical));
        }
        String digest = mode == PayloadMode.SIGNED_SHA256 ? PayloadMode.normalizeDigest(payloadHash) : null;
        return new Verified(c.accessKeyId(), c.region(), c.service(), c.requestTime(), key, computed, scope, mode,
                digest);
    }

    /** Parses {@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}. */
    private static Object headerClaims(SigV4Request req, String authorization) {
        if (authorization.startsWith("AWS ") || authorization.startsWith("AWS4-ECDSA-P256-SHA256")) {
            return new Failed(AuthError.InvalidRequest, UNSUPPORTED_MECHANISM);
        }
        if (!authorization.startsWith(SigV4Crypto.ALGORITHM + " ")) {
            return new Failed(AuthError.InvalidArgument, "Unsupported Authorization Type",
                    Map.of("ArgumentName", "Authorization", "ArgumentValue", authorization));
        }
        Map<String, String> parts = new HashMap<>();
        for (String component : authorization.substring(SigV4Crypto.ALGORITHM.length()).split(",")) {
            String t = component.trim();
            int eq = t.indexOf('=');
            if (eq > 0) {
                parts.putIfAbsent(t.substring(0, eq).trim(), t.substring(eq + 1).trim());
            }
        }
        String credential = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signedHeaders == null || signature == null) {
            return new Failed(AuthError.AuthorizationHeaderMalformed, HEADER_PREFIX + "the authorization header "
                    + "requires three components: Credential, SignedHeaders, and Signature.");
        }
        String[] scope = splitCredential(credential);
        if (scope == null) {
            return new Failed(AuthError.AuthorizationHeaderMalformed, HEADER_PREFIX + CREDENTIAL_FORM);
        }
        // x-amz-date wins; the Date header (RFC 1123) is the fallback S3 also accepts.
        String xAmzDate = req.header("x-amz-date");
        Instant time = null;
        String amzDate = null; // the timestamp in the form the string-to-sign takes
        if (xAmzDate != null) {
            amzDate = xAmzDate.trim(); // already in that form when it parses
            time = parseAmzDate(amzDate);
        } else if (req.header("Date") != null) {
            try {
                time = ZonedDateTime.parse(req.header("Date").trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                amzDate = SigV4Crypto.AMZ_DATE.format(time);
            } catch (DateTimeParseException e) {
                time = null;
            }
        }
        if (time == null) {
            return new Failed(AuthError.AccessDenied, DATE_REQUIRED);
        }
        return new Claims(false, scope[0], scope[1], scope[2], scope[3], signedHeaders, signature, amzDate, time);
    }

    /** Parses and checks the presigning parameters (except time and scope, checked later). */
    private static Object queryClaims(Map<String, String> q) {
        for (String name : List.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date",
                "X-Amz-SignedHeaders", "X-Amz-Expires")) {
            if (!q.containsKey(name)) {
                return new Failed(AuthError.AuthorizationQueryParametersError, QUERY_REQUIRED);
            }
        }
        if (!SigV4Crypto.ALGORITHM.equals(q.get("X-Amz-Algorithm"))) {
            return new Failed(AuthError.AuthorizationQueryParametersError,
                    "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }
        Instant time = parseAmzDate(q.get("X-Amz-Date"));
        if (time == null) {
            return new Failed(AuthError.AuthorizationQueryParametersError,
                    "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }
        long expires;
        try {
            expires = Long.parseLong(q.get("X-Amz-Expires"));
        } catch (NumberFormatException e) {
            return new Failed(AuthError.AuthorizationQueryParametersError, "X-Amz-Expires should be a number");
        }
        if (expires < 0) {
            return new Failed(AuthError.AuthorizationQueryParametersError, "X-Amz-Expires must be non-negative");
        }
        if (expires > MAX_PRESIGN_EXPIRES_SECONDS) {
            return new Failed(AuthError.AuthorizationQueryParametersError,
                    "X-Amz-Expires must be less than a week (in seconds) that is 604800");
        }
        String[] scope = splitCredential(q.get("X-Amz-Credential"));
        if (scope == null) {
            return new Failed(AuthError.AuthorizationQueryParametersError, QUERY_PREFIX + CREDENTIAL_FORM);
        }
        return new Claims(true, scope[0], scope[1], scope[2], scope[3], q.get("X-Amz-SignedHeaders"),
                q.get("X-Amz-Signature"), q.get("X-Amz-Date"), time);
    }

    /** Date, region, service and terminal of the credential scope. */
    private static Failed checkScope(Claims c, Set<String> regions, Set<String> services) {
        AuthError code = c.presigned() ? AuthError.AuthorizationQueryParametersError
                : AuthError.AuthorizationHeaderMalformed;
        String prefix = c.presigned() ? QUERY_PREFIX : HEADER_PREFIX;
        String requestDay = c.amzDate().substring(0, 8); // yyyyMMdd'T'HHmmss'Z' of the request time
        if (!isDate(c.date())) {
            return new Failed(code, prefix + "incorrect date format \"" + c.date()
                    + "\". This date in the credential must be in the format \"yyyyMMdd\".");
        }
        if (!c.date().equals(requestDay)) {
            return c.presigned()
                    ? new Failed(code, "Invalid credential date \"" + c.date()
                            + "\". This date is not the same as X-Amz-Date: \"" + requestDay + "\".")
                    : new Failed(code, prefix + "Invalid credential date. Date is not the same as X-Amz-Date.");
        }
        if (!regions.contains(c.region())) {
            String expected = first(regions);
            return new Failed(code, prefix + "the region '" + c.region() + "' is wrong; expecting '" + expected + "'",
                    Map.of("Region", expected));
        }
        if (!services.contains(c.service())) {
            return new Failed(code, prefix + "incorrect service \"" + c.service() + "\". This endpoint belongs to \""
                    + first(services) + "\".");
        }
        return null;
    }

    private static Failed checkSkew(Claims c, SigV4Request req, Instant now) {
        if (Duration.between(c.requestTime(), now).abs().compareTo(MAX_SKEW) > 0) {
            String sent = req.header("x-amz-date") != null ? req.header("x-amz-date") : req.header("Date");
            return new Failed(AuthError.RequestTimeTooSkewed,
                    "The difference between the request time and the current time is too large.",
                    Map.of("RequestTime", sent.trim(), "ServerTime", now.truncatedTo(ChronoUnit.SECONDS).toString(),
                            "MaxAllowedSkewMilliseconds", Long.toString(MAX_SKEW.toMillis())));
        }
        return null;
    }

    private static Failed checkExpiry(Claims c, Map<String, String> q, Instant now) {
        if (c.requestTime().isAfter(now.plus(MAX_SKEW))) {
            return new Failed(AuthError.AccessDenied, "Request is not yet valid",
                    Map.of("ServerTime", now.truncatedTo(ChronoUnit.SECONDS).toString()));
        }
        Instant expiry = c.requestTime().plusSeconds(Long.parseLong(q.get("X-Amz-Expires")));
        if (!now.isBefore(expiry)) {
            return new Failed(AuthError.AccessDenied, "Request has expired", Map.of(
                    "X-Amz-Expires", q.get("X-Amz-Expires"), "Expires", expiry.toString(),
                    "ServerTime", now.truncatedTo(ChronoUnit.SECONDS).toString()));
        }
        return null;
    }

    /** {@code host} and every {@code x-amz-*} header present must be in the signed list. */
    private static Failed checkSignedHeaders(SigV4Request req, String signedHeaders) {
        Set<String> signed = new TreeSet<>();
        for (String n : signedHeaders.split(";")) {
            signed.add(n.trim().toLowerCase(Locale.ROOT));
        }
        List<String> missing = new ArrayList<>();
        if (!signed.contains("host")) {
            missing.add("host");
        }
        for (String name : req.lowerCaseHeaderNames()) {
            if (name.startsWith("x-amz-") && !name.equals("x-amz-content-sha256") && !signed.contains(name)) {
                missing.add(name);
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        return new Failed(AuthError.AccessDenied, "There were headers present in the request which were not signed",
                Map.of("HeadersNotSigned", String.join(", ", missing)));
    }

    /** {@code AKID/yyyymmdd/region/service/aws4_request} to its first four parts, or null. */
    private static String[] splitCredential(String credential) {
        String[] p = credential.split("/", -1);
        if (p.length != 5 || p[0].isEmpty() || p[2].isEmpty() || p[3].isEmpty() || !p[4].equals("aws4_request")) {
            return null;
        }
        return new String[] {p[0], p[1], p[2], p[3]};
    }

    /** Strict {@code yyyyMMdd'T'HHmmss'Z'} (a real date and time), or null. Parsed by hand: it runs per request. */
    static Instant parseAmzDate(String s) {
        if (s == null || s.length() != 16 || s.charAt(8) != 'T' || s.charAt(15) != 'Z' || !isDate(s.substring(0, 8))) {
            return null;
        }
        int hour = digits(s, 9, 11);
        int minute = digits(s, 11, 13);
        int second = digits(s, 13, 15);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        return LocalDate.of(digits(s, 0, 4), digits(s, 4, 6), digits(s, 6, 8)).atTime(hour, minute, second)
                .toInstant(ZoneOffset.UTC);
    }

    /** Strict {@code yyyyMMdd}: eight digits that name a real day. */
    static boolean isDate(String s) {
        if (s.length() != 8 || digits(s, 0, 8) < 0) {
            return false;
        }
        try {
            LocalDate.of(digits(s, 0, 4), digits(s, 4, 6), digits(s, 6, 8));
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** The decimal number in {@code s[from, to)}, or -1 unless every character there is an ASCII digit. */
    private static int digits(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static String first(Set<String> values) {
        return values.isEmpty() ? "" : new TreeSet<>(values).first();
    }

    /** Decoded query parameters, first occurrence wins. */
    private static Map<String, String> decodeQuery(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String param : rawQuery.split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String name = SigV4Canonical.percentDecodeToString(eq < 0 ? param : param.substring(0, eq));
            String value = eq < 0 ? "" : SigV4Canonical.percentDecodeToString(param.substring(eq + 1));
            out.putIfAbsent(name, value);
        }
        return out;
    }

    private static String queryIgnoreCase(Map<String, String> q, String name) {
        for (Map.Entry<String, String> e : q.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
