package dev.meridian.api.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.meridian.api.auth.SigV4Result.Verified;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * What the real S3 client and presigner of the AWS SDK v2 send verifies: requests are captured by
 * an in-memory HTTP client (no network) and handed to the verifier and the decoder.
 */
class S3ClientRoundTripTest {

    private static final AwsBasicCredentials CREDS = AwsBasicCredentials.create(SdkRoundTripTest.AKID,
            SdkRoundTripTest.SECRET);
    private static StreamHarness streams;
    private final SigV4Verifier verifier = new SigV4Verifier();

    /** Records each request with its body and answers 200 with an empty body. */
    static final class CapturingClient implements SdkHttpClient {
        final List<SdkHttpRequest> requests = new ArrayList<>();
        final List<byte[]> bodies = new ArrayList<>();

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    requests.add(request.httpRequest());
                    bodies.add(request.contentStreamProvider().map(SdkRoundTripTest::readAll).orElse(new byte[0]));
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200).putHeader("ETag", "\"e\"").build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(new byte[0]))).build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }
    }

    @BeforeAll
    static void start() {
        ((Logger) LoggerFactory.getLogger("software.amazon.awssdk")).setLevel(Level.INFO);
        streams = new StreamHarness();
    }

    @AfterAll
    static void stop() throws Exception {
        streams.shutdown();
    }

    private static S3Client client(String endpoint, CapturingClient http) {
        return S3Client.builder().region(Region.US_EAST_1).endpointOverride(URI.create(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(CREDS)).forcePathStyle(true).httpClient(http)
                .build();
    }

    private Verified verify(SdkHttpRequest request) {
        SigV4Result r = verifier.verify(SdkRoundTripTest.received(request), SdkRoundTripTest.KEYS, Instant.now(),
                Set.of("us-east-1"));
        return assertInstanceOf(Verified.class, r, () -> request.getUri() + " -> " + r);
    }

    @Test
    void putObjectFromTheS3ClientVerifiesAndItsBodyDecodes() throws Exception {
        byte[] object = new byte[200_000];
        new Random(7).nextBytes(object);
        CRC32 crc = new CRC32();
        crc.update(object);
        String crc32 = Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        for (String endpoint : List.of("http://localhost:9000", "https://localhost:9443")) {
            CapturingClient http = new CapturingClient();
            try (S3Client s3 = client(endpoint, http)) {
                s3.putObject(b -> b.bucket("bucket").key("dir/odd key+\u00e9~%2F.bin").metadata(Map.of("color", "blue")),
                        RequestBody.fromBytes(object));
            }
            SdkHttpRequest sent = http.requests.get(0);
            Verified v = verify(sent);
            byte[] wire = http.bodies.get(0);
            if (v.mode().isStreaming()) {
                long declared = Long.parseLong(sent.firstMatchingHeader("x-amz-decoded-content-length").orElseThrow());
                StreamHarness.Outcome o = streams.decode(AwsChunkedDecoder.forVerified(v, OptionalLong.of(declared)),
                        StreamHarness.randomFrames(wire, 11, 16384));
                assertArrayEquals(object, o.bytes().toArray(), endpoint);
                assertEquals(crc32, o.trailers().get("x-amz-checksum-crc32"), endpoint);
            } else if (v.mode() == PayloadMode.SIGNED_SHA256) {
                assertArrayEquals(object, streams.pass(PayloadSha256Check.of(v),
                        StreamHarness.frames(wire, 4096)).toArray(), endpoint);
            } else {
                assertArrayEquals(object, wire, endpoint);
            }
        }
    }

    @Test
    void listAndGetRequestsWithOddParametersVerify() {
        CapturingClient http = new CapturingClient();
        try (S3Client s3 = client("http://localhost:9000", http)) {
            try {
                s3.listObjectsV2(b -> b.bucket("bucket").prefix("a b+c/\u00fc").delimiter("/").startAfter("x=y&z"));
            } catch (RuntimeException ignoredBecauseTheCannedResponseIsEmpty) {
                // Only the request matters here.
            }
            s3.getObject(b -> b.bucket("bucket").key("//lead/and//double").versionId("v+1")
                    .responseContentDisposition("attachment; filename=\"a b.txt\"").range("bytes=0-9"),
                    (response, in) -> null);
        }
        assertFalse(http.requests.isEmpty());
        for (SdkHttpRequest request : http.requests) {
            verify(request);
        }
        assertTrue(http.requests.stream().anyMatch(r -> r.encodedPath().contains("//lead/and//double")),
                "the double slashes reach the wire unnormalised");
    }

    @Test
    void presignedUrlsFromS3PresignerVerify() {
        try (S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(CREDS))
                .endpointOverride(URI.create("http://localhost:9000"))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
            for (String key : List.of("plain.txt", "with space+plus.txt", "\u00fcnicode/\u65e5\u672c", "a%2Fb",
                    "//double//slash", "tilde~")) {
                PresignedGetObjectRequest get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofHours(1))
                        .getObjectRequest(g -> g.bucket("bucket").key(key).responseContentType("text/plain; x=1")));
                Verified v = verify(withHeaders(get.httpRequest(), get.signedHeaders()));
                assertEquals(PayloadMode.UNSIGNED_PAYLOAD, v.mode());
                SigV4Result late = verifier.verify(SdkRoundTripTest.received(withHeaders(get.httpRequest(),
                        get.signedHeaders())), SdkRoundTripTest.KEYS, Instant.now().plus(Duration.ofHours(2)),
                        Set.of("us-east-1"));
                assertEquals(AuthError.AccessDenied, assertInstanceOf(SigV4Result.Failed.class, late).error());

                PresignedPutObjectRequest put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofDays(7))
                        .putObjectRequest(o -> o.bucket("bucket").key(key).contentType("image/png")
                                .metadata(Map.of("owner", "me"))));
                assertTrue(put.signedHeaders().containsKey("x-amz-meta-owner"));
                verify(withHeaders(put.httpRequest(), put.signedHeaders()));
            }
        }
    }

    /** The presigned request as a client sends it: the URL plus the headers that were signed. */
    private static SdkHttpRequest withHeaders(SdkHttpRequest request, Map<String, List<String>> signedHeaders) {
        SdkHttpRequest.Builder b = request.toBuilder();
        signedHeaders.forEach(b::putHeader);
        return b.build();
    }
}
