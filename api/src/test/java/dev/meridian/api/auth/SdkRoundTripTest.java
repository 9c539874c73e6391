package dev.meridian.api.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.meridian.api.auth.SigV4Result.Failed;
import dev.meridian.api.auth.SigV4Result.Verified;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/** Requests signed by the AWS SDK for Java v2 signer verify, and its aws-chunked bodies decode. */
class SdkRoundTripTest {

    static final String AKID = "AKIDSDKROUNDTRIP";
    static final String SECRET = "sdk/secret+with/odd=chars";
    static final CredentialsProvider KEYS = CredentialsProvider.of(Map.of(AKID, SECRET, "OTHER", "x"));
    private static final Instant NOW = Instant.parse("2024-02-29T23:59:30Z");
    private static final List<String> ODD_KEYS = List.of("plain.txt", "with space.txt", "plus+sign+", "tilde~key",
            "unicode/\u00fcn\u00efc\u00f8d\u00e9/\u65e5\u672c\u8a9e.txt", "emoji\ud83d\ude00", "percent%2Fin-key",
            "literal%percent%", "/double//slash//", "dots/./../x", "special!$&'()*,;=:@[]", "trailing/", "a?b#c");
    private static StreamHarness streams;
    private final SigV4Verifier verifier = new SigV4Verifier();

    @BeforeAll
    static void start() {
        ((Logger) LoggerFactory.getLogger("software.amazon.awssdk")).setLevel(Level.INFO);
        streams = new StreamHarness();
    }

    @AfterAll
    static void stop() throws Exception {
        streams.shutdown();
    }

    /** Signs with the SDK's v4 signer, S3 settings (no double encoding, no path normalisation). */
    static SignedRequest sign(SdkHttpFullRequest request, byte[] body, Consumer<SignRequest.Builder<AwsCredentialsIdentity>> extra) {
        return AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsCredentialsIdentity.create(AKID, SECRET)).request(request)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-central-1")
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC));
            if (body != null) {
                r.payload(ContentStreamProvider.fromByteArray(body));
            }
            extra.accept(r);
        });
    }

    /** The request as the server receives it: raw path and query from the wire, headers flattened. */
    static SigV4Request received(SdkHttpRequest request) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        request.forEachHeader((name, values) -> values.forEach(v -> headers.add(Map.entry(name, v))));
        return new SigV4Request(request.method().name(), request.encodedPath(), request.getUri().getRawQuery(), headers);
    }

    static SdkHttpFullRequest.Builder put(String protocol, String encodedPath, int length) {
        return SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT).protocol(protocol).host("localhost").port(9000)
                .encodedPath(encodedPath).putHeader("Content-Length", Integer.toString(length));
    }

    private Verified verify(SdkHttpRequest request, Instant now) {
        SigV4Result r = verifier.verify(received(request), KEYS, now, Set.of("eu-central-1"));
        return assertInstanceOf(Verified.class, r, () -> request.encodedPath() + " -> " + r);
    }

    @Test
    void oddKeysAndQueriesVerifyWithSignedPayloads() {
        byte[] body = "payload".getBytes();
        for (String key : ODD_KEYS) {
            SdkHttpFullRequest request = put("https", "/bucket/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key), body.length)
                    .putRawQueryParameter("prefix", "a b+c/\u00fc~*'")
                    .putRawQueryParameter("marker", "k=v&x")
                    .putRawQueryParameter("empty", "")
                    .putRawQueryParameter("list-type", "2")
                    .putHeader("x-amz-meta-note", "  spaced   out  ")
                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                    .build();
            Verified v = verify(sign(request, body, r -> { }).request(), NOW);
            assertEquals(PayloadMode.SIGNED_SHA256, v.mode());
            assertEquals(SigV4Crypto.hex(SigV4Crypto.sha256(body)), v.declaredSha256OrNull());
            assertEquals(AKID, v.accessKeyId());
            assertEquals("20240229/eu-central-1/s3/aws4_request", v.scope());
        }
    }

    @Test
    void rawPathsThatEscapeLessThanTheCanonicalFormStillVerify() {
        String encoded = "/bucket/" + SdkHttpUtils.urlEncodeIgnoreSlashes("special!$&'()*,;=:@ key");
        SignedRequest signed = sign(put("https", encoded, 0).build(), new byte[0], r -> { });
        SigV4Request wire = received(signed.request());
        String loose = wire.rawPath().replace("%24", "$").replace("%40", "@").replace("%3A", ":").replace("%21", "!");
        assertInstanceOf(Verified.class, verifier.verify(new SigV4Request(wire.method(), loose, wire.rawQuery(),
                wire.headers()), KEYS, NOW, Set.of("eu-central-1")));
        // An escaped slash is not a separator: turning it into one changes the key and the signature.
        SignedRequest slash = sign(put("https", "/bucket/a%2Fb", 0).build(), new byte[0], r -> { });
        SigV4Request slashWire = received(slash.request());
        assertInstanceOf(Verified.class, verifier.verify(slashWire, KEYS, NOW, Set.of("eu-central-1")));
        Failed f = assertInstanceOf(Failed.class, verifier.verify(new SigV4Request("PUT", "/bucket/a/b",
                slashWire.rawQuery(), slashWire.headers()), KEYS, NOW, Set.of("eu-central-1")));
        assertEquals(AuthError.SignatureDoesNotMatch, f.error());
    }

    @Test
    void unsignedPayloadVerifies() {
        SignedRequest signed = sign(put("https", "/bucket/k", 5).build(), "hello".getBytes(),
                r -> r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));
        Verified v = verify(signed.request(), NOW);
        assertEquals(PayloadMode.UNSIGNED_PAYLOAD, v.mode());
        assertNull(v.declaredSha256OrNull());
    }

    @Test
    void sdkChunkedBodiesVerifyAndDecode() throws Exception {
        byte[] object = new byte[300 * 1024 + 17];
        new Random(42).nextBytes(object);
        CRC32 crc = new CRC32();
        crc.update(object);
        String crc32 = Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        record Case(String protocol, boolean signPayload, boolean checksum, PayloadMode mode) {
        }
        for (Case c : List.of(new Case("http", true, false, PayloadMode.STREAMING_SIGNED),
                new Case("http", true, true, PayloadMode.STREAMING_SIGNED_TRAILER),
                new Case("https", false, true, PayloadMode.STREAMING_UNSIGNED_TRAILER))) {
            SignedRequest signed = sign(put(c.protocol(), "/bucket/" + SdkHttpUtils.urlEncodeIgnoreSlashes("big file+1"),
                    object.length).build(), object, r -> {
                        r.putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true)
                                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, c.signPayload());
                        if (c.checksum()) {
                            r.putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32);
                        }
                    });
            Verified v = verify(signed.request(), NOW.plusSeconds(600));
            assertEquals(c.mode(), v.mode(), c.toString());
            byte[] wire = readAll(signed.payload().orElseThrow());
            long declared = Long.parseLong(signed.request().firstMatchingHeader("x-amz-decoded-content-length")
                    .orElseThrow());
            assertEquals(object.length, declared);
            for (List<ByteString> frames : List.of(StreamHarness.frames(wire, 8192),
                    StreamHarness.randomFrames(wire, 7, 20000), StreamHarness.frames(wire, 131))) {
                StreamHarness.Outcome o = streams.decode(AwsChunkedDecoder.forVerified(v, OptionalLong.of(declared)),
                        frames);
                assertArrayEquals(object, o.bytes().toArray(), c.toString());
                assertEquals(c.checksum() ? Map.of("x-amz-checksum-crc32", crc32) : Map.of(), o.trailers());
            }
            // One flipped byte anywhere in the object's data must fail signed streams.
            if (c.signPayload()) {
                byte[] tampered = wire.clone();
                tampered[wire.length / 2] ^= 1;
                ChunkedEncodingException e = streams.decodeFailure(
                        AwsChunkedDecoder.forVerified(v, OptionalLong.of(declared)), StreamHarness.frames(tampered, 9000));
                assertEquals(AuthError.SignatureDoesNotMatch, e.error());
            }
        }
    }

    static byte[] readAll(ContentStreamProvider provider) {
        try (var in = provider.newStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
