package dev.meridian.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.api.auth.SigV4Result.Anonymous;
import dev.meridian.api.auth.SigV4Result.Failed;
import dev.meridian.api.auth.SigV4Result.Verified;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every way a request can fail authentication, with S3's codes and messages. */
class SigV4VerifierTest {

    private static final String AKID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final CredentialsProvider KEYS = CredentialsProvider.of(Map.of(AKID, SECRET));
    private static final Instant T = Instant.parse("2013-05-24T00:00:00Z");
    private static final Set<String> US_EAST_1 = Set.of("us-east-1");
    private final SigV4Verifier verifier = new SigV4Verifier();

    private static SigV4Request example(String name) {
        return Vectors.load("/sigv4/s3-doc-examples.txt").stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow().request();
    }

    private static SigV4Request getObject() {
        return example("get-object");
    }

    private static SigV4Request presigned() {
        return example("presigned-get-object");
    }

    private static SigV4Request withHeader(SigV4Request r, String name, String value) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Map.Entry<String, String> h : r.headers()) {
            if (!h.getKey().equalsIgnoreCase(name)) {
                headers.add(h);
            }
        }
        if (value != null) {
            headers.add(Map.entry(name, value));
        }
        return new SigV4Request(r.method(), r.rawPath(), r.rawQuery(), headers);
    }

    private static SigV4Request withQuery(SigV4Request r, String query) {
        return new SigV4Request(r.method(), r.rawPath(), query, r.headers());
    }

    private Failed fails(SigV4Request r, Instant now, AuthError error, String message) {
        Failed f = assertInstanceOf(Failed.class, verifier.verify(r, KEYS, now, US_EAST_1));
        assertEquals(error, f.error());
        if (message != null) {
            assertEquals(message, f.message());
        }
        return f;
    }

    @Test
    void noAuthenticationIsAnonymous() {
        SigV4Request plain = new SigV4Request("GET", "/bucket/key", "versionId=1",
                List.of(Map.entry("Host", "localhost")));
        assertInstanceOf(Anonymous.class, verifier.verify(plain, KEYS, T, US_EAST_1));
    }

    @Test
    void unsupportedSchemes() {
        String unsupported = SigV4Verifier.UNSUPPORTED_MECHANISM;
        fails(withHeader(getObject(), "Authorization", "AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg="), T,
                AuthError.InvalidRequest, unsupported);
        fails(withHeader(getObject(), "Authorization", "AWS4-ECDSA-P256-SHA256 Credential=x"), T,
                AuthError.InvalidRequest, unsupported);
        fails(withQuery(withHeader(getObject(), "Authorization", null),
                "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1141889120&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D"), T,
                AuthError.InvalidRequest, unsupported);
        Failed bearer = fails(withHeader(getObject(), "Authorization", "Bearer abc"), T, AuthError.InvalidArgument,
                "Unsupported Authorization Type");
        assertEquals("Authorization", bearer.details().get("ArgumentName"));
        fails(withHeader(presigned(), "Authorization", getObject().header("Authorization")), T,
                AuthError.InvalidArgument, null);
    }

    @Test
    void malformedAuthorizationHeaders() {
        String prefix = "The authorization header is malformed; ";
        fails(withHeader(getObject(), "Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/"
                + "us-east-1/s3/aws4_request, Signature=abc"), T, AuthError.AuthorizationHeaderMalformed, null);
        String sig = ", SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=" + "0".repeat(64);
        fails(withHeader(getObject(), "Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/"
                + "us-east-1/s3" + sig), T, AuthError.AuthorizationHeaderMalformed, prefix + "the Credential is "
                + "mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        fails(withHeader(getObject(), "Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/"
                + "us-east-1/s3/aws4_requesx" + sig), T, AuthError.AuthorizationHeaderMalformed, null);
        fails(withHeader(getObject(), "Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130525/"
                + "us-east-1/s3/aws4_request" + sig), T, AuthError.AuthorizationHeaderMalformed,
                prefix + "Invalid credential date. Date is not the same as X-Amz-Date.");
        fails(withHeader(getObject(), "Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/2013-5-24/"
                + "us-east-1/s3/aws4_request" + sig), T, AuthError.AuthorizationHeaderMalformed, null);
    }

    @Test
    void regionAndServiceMustBeAccepted() {
        Failed region = assertInstanceOf(Failed.class, verifier.verify(getObject(), KEYS, T, Set.of("eu-west-1")));
        assertEquals(AuthError.AuthorizationHeaderMalformed, region.error());
        assertEquals("The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'",
                region.message());
        assertEquals("eu-west-1", region.details().get("Region"));
        assertInstanceOf(Verified.class, verifier.verify(getObject(), KEYS, T, Set.of("eu-west-1", "us-east-1")));
        Failed service = assertInstanceOf(Failed.class,
                verifier.verify(getObject(), KEYS, T, US_EAST_1, Set.of("iam")));
        assertEquals("The authorization header is malformed; incorrect service \"s3\". This endpoint belongs to \"iam\".",
                service.message());
        Failed presignedRegion = assertInstanceOf(Failed.class, verifier.verify(presigned(), KEYS, T, Set.of("eu-west-1")));
        assertEquals(AuthError.AuthorizationQueryParametersError, presignedRegion.error());
        assertTrue(presignedRegion.message().startsWith("Error parsing the X-Amz-Credential parameter; the region"));
    }

    @Test
    void requestTimeMustBeWithinFifteenMinutes() {
        assertInstanceOf(Verified.class, verifier.verify(getObject(), KEYS, T.plus(Duration.ofMinutes(15)), US_EAST_1));
        assertInstanceOf(Verified.class, verifier.verify(getObject(), KEYS, T.minus(Duration.ofMinutes(15)), US_EAST_1));
        Failed late = fails(getObject(), T.plus(Duration.ofMinutes(16)), AuthError.RequestTimeTooSkewed,
                "The difference between the request time and the current time is too large.");
        assertEquals(Map.of("RequestTime", "20130524T000000Z", "ServerTime", "2013-05-24T00:16:00Z",
                "MaxAllowedSkewMilliseconds", "900000"), late.details());
        fails(getObject(), T.minus(Duration.ofMinutes(16)), AuthError.RequestTimeTooSkewed, null);
        String required = "AWS authentication requires a valid Date or x-amz-date header";
        fails(withHeader(getObject(), "x-amz-date", null), T, AuthError.AccessDenied, required);
        fails(withHeader(getObject(), "x-amz-date", "2013-05-24T00:00:00Z"), T, AuthError.AccessDenied, required);
    }

    @Test
    void theDateHeaderIsTheFallbackForXAmzDate() {
        SigV4Request unsigned = new SigV4Request("GET", "/test.txt", null, List.of(Map.entry("Host", "h"),
                Map.entry("Date", "Fri, 24 May 2013 00:00:00 GMT"),
                Map.entry("x-amz-content-sha256", SigV4Crypto.EMPTY_SHA256)));
        String signedHeaders = "date;host;x-amz-content-sha256";
        String canonical = SigV4Canonical.canonicalRequest("GET", "/test.txt", null, null, signedHeaders,
                unsigned.headers(), SigV4Crypto.EMPTY_SHA256);
        String scope = "20130524/us-east-1/s3/aws4_request";
        String signature = SigV4Crypto.sign(SigV4Crypto.deriveSigningKey(SECRET, "20130524", "us-east-1", "s3"),
                SigV4Crypto.requestStringToSign("20130524T000000Z", scope, canonical));
        SigV4Request signed = withHeader(unsigned, "Authorization", "AWS4-HMAC-SHA256 Credential=" + AKID + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        Verified v = assertInstanceOf(Verified.class, verifier.verify(signed, KEYS, T, US_EAST_1));
        assertEquals(T, v.requestTime());
    }

    @Test
    void payloadHashHeaderIsRequiredAndChecked() {
        fails(withHeader(getObject(), "x-amz-content-sha256", null), T, AuthError.InvalidRequest,
                "Missing required header for this request: x-amz-content-sha256");
        for (String bad : List.of("abc", "streaming-aws4-hmac-sha256-payload", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
                "z".repeat(64))) {
            Failed f = fails(withHeader(getObject(), "x-amz-content-sha256", bad), T, AuthError.InvalidArgument,
                    PayloadMode.INVALID_VALUE_MESSAGE);
            assertEquals(Map.of("ArgumentName", "x-amz-content-sha256", "ArgumentValue", bad), f.details());
        }
    }

    @Test
    void hostAndEveryXAmzHeaderMustBeSigned() {
        Failed extra = fails(withHeader(getObject(), "X-Amz-Meta-Color", "blue"), T, AuthError.AccessDenied,
                "There were headers present in the request which were not signed");
        assertEquals(Map.of("HeadersNotSigned", "x-amz-meta-color"), extra.details());
        SigV4Request noHost = withHeader(getObject(), "Authorization", getObject().header("Authorization")
                .replace("SignedHeaders=host;", "SignedHeaders="));
        assertEquals("host", fails(noHost, T, AuthError.AccessDenied, null).details().get("HeadersNotSigned"));
        fails(withHeader(presigned(), "x-amz-acl", "public-read"), T, AuthError.AccessDenied, null);
        // Headers that are not x-amz-* may be added unsigned, as with S3.
        assertInstanceOf(Verified.class, verifier.verify(withHeader(getObject(), "User-Agent", "curl"), KEYS, T, US_EAST_1));
    }

    @Test
    void unknownKeysTokensAndBadSignatures() {
        Failed unknown = assertInstanceOf(Failed.class, verifier.verify(getObject(),
                CredentialsProvider.of(Map.of("OTHER", "x")), T, US_EAST_1));
        assertEquals(AuthError.InvalidAccessKeyId, unknown.error());
        assertEquals("The AWS Access Key Id you provided does not exist in our records.", unknown.message());
        assertEquals(AKID, unknown.details().get("AWSAccessKeyId"));
        fails(withHeader(getObject(), "x-amz-security-token", "token"), T, AuthError.AccessDenied, null);
        String withToken = getObject().header("Authorization").replace("x-amz-date,", "x-amz-date;x-amz-security-token,");
        fails(withHeader(withHeader(getObject(), "x-amz-security-token", "token"), "Authorization", withToken), T,
                AuthError.InvalidToken, "The provided token is malformed or otherwise invalid.");
        Failed mismatch = fails(withHeader(getObject(), "Range", "bytes=0-10"), T, AuthError.SignatureDoesNotMatch,
                SigV4Verifier.SIGNATURE_MISMATCH);
        assertTrue(mismatch.details().get("CanonicalRequest").contains("range:bytes=0-10\n"));
        assertTrue(mismatch.details().get("StringToSign").startsWith("AWS4-HMAC-SHA256\n20130524T000000Z\n"));
        String upper = getObject().header("Authorization").replace("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
                "F0E8BDB87C964420E857BD35B5D6ED310BD44F0170ABA48DD91039C6036BDB41");
        assertInstanceOf(Verified.class, verifier.verify(withHeader(getObject(), "Authorization", upper), KEYS, T, US_EAST_1));
    }

    @Test
    void aRotatedSecretIsNeverServedFromTheKeyCache() {
        assertInstanceOf(Verified.class, verifier.verify(getObject(), KEYS, T, US_EAST_1));
        Failed f = assertInstanceOf(Failed.class, verifier.verify(getObject(),
                CredentialsProvider.of(Map.of(AKID, SECRET + "-rotated")), T, US_EAST_1));
        assertEquals(AuthError.SignatureDoesNotMatch, f.error());
        assertInstanceOf(Verified.class, verifier.verify(getObject(), KEYS, T, US_EAST_1));
    }

    @Test
    void presignedUrlValidity() {
        assertInstanceOf(Verified.class, verifier.verify(presigned(), KEYS, T.plusSeconds(86399), US_EAST_1));
        Failed expired = fails(presigned(), T.plusSeconds(86400), AuthError.AccessDenied, "Request has expired");
        assertEquals("86400", expired.details().get("X-Amz-Expires"));
        assertEquals("2013-05-25T00:00:00Z", expired.details().get("Expires"));
        assertInstanceOf(Verified.class, verifier.verify(presigned(), KEYS, T.minus(Duration.ofMinutes(15)), US_EAST_1));
        fails(presigned(), T.minus(Duration.ofMinutes(16)), AuthError.AccessDenied, "Request is not yet valid");
        String q = presigned().rawQuery();
        AuthError qe = AuthError.AuthorizationQueryParametersError;
        fails(withQuery(presigned(), q.replace("X-Amz-Expires=86400", "X-Amz-Expires=604801")), T, qe,
                "X-Amz-Expires must be less than a week (in seconds) that is 604800");
        fails(withQuery(presigned(), q.replace("X-Amz-Expires=86400", "X-Amz-Expires=-1")), T, qe,
                "X-Amz-Expires must be non-negative");
        fails(withQuery(presigned(), q.replace("X-Amz-Expires=86400", "X-Amz-Expires=1d")), T, qe,
                "X-Amz-Expires should be a number");
        fails(withQuery(presigned(), q.replace("&X-Amz-SignedHeaders=host", "")), T, qe, null);
        fails(withQuery(presigned(), q.replace("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1")),
                T, qe, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        fails(withQuery(presigned(), q.replace("X-Amz-Date=20130524T000000Z", "X-Amz-Date=20130525T000000Z")), T, qe,
                "Invalid credential date \"20130524\". This date is not the same as X-Amz-Date: \"20130525\".");
        fails(withQuery(presigned(), q.replace("X-Amz-Date=20130524T000000Z", "X-Amz-Date=2013")), T, qe, null);
        fails(withQuery(presigned(), q + "&extra=1"), T,
                AuthError.SignatureDoesNotMatch, null);
        fails(withQuery(presigned(), q + "&X-Amz-Security-Token=abc"), T, AuthError.InvalidToken, null);
    }
}
