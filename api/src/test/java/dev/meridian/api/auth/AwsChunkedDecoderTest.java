package dev.meridian.api.auth;

import static dev.meridian.api.auth.StreamHarness.cutAt;
import static dev.meridian.api.auth.StreamHarness.frames;
import static dev.meridian.api.auth.StreamHarness.randomFrames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.api.auth.SigV4Result.Verified;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.zip.CRC32C;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The aws-chunked decoder on the published S3 examples, split at awkward boundaries, and broken. */
class AwsChunkedDecoderTest {

    private static final Properties EX = Vectors.properties("/sigv4/s3-chunked-examples.properties");
    private static final byte[] KEY = SigV4Crypto.deriveSigningKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "20130524", "us-east-1", "s3");
    private static final String DATE = "20130524T000000Z";
    private static final String SCOPE = "20130524/us-east-1/s3/aws4_request";
    private static final byte[] OBJECT = "a".repeat(66560).getBytes(StandardCharsets.US_ASCII);
    private static StreamHarness streams;

    @BeforeAll
    static void start() {
        streams = new StreamHarness();
    }

    @AfterAll
    static void stop() throws Exception {
        streams.shutdown();
    }

    /** The documented chunked body, with the trailer section {@code trailer} after the final chunk. */
    private static byte[] docBody(String prefix, String trailer) {
        return concat(header(65536, EX.getProperty(prefix + ".chunk1")), a(65536), crlf(),
                header(1024, EX.getProperty(prefix + ".chunk2")), a(1024), crlf(),
                header(0, EX.getProperty(prefix + ".final")), trailer.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] signedBody() {
        return docBody("chunked", "\r\n");
    }

    private static byte[] trailerBody() {
        return docBody("trailer", EX.getProperty("trailer.checksum") + "\r\nx-amz-trailer-signature:"
                + EX.getProperty("trailer.signature") + "\r\n\r\n");
    }

    private static AwsChunkedDecoder signedDecoder() {
        return AwsChunkedDecoder.signed(KEY, DATE, SCOPE, EX.getProperty("chunked.seed"), false, OptionalLong.of(66560));
    }

    private static AwsChunkedDecoder trailerDecoder() {
        return AwsChunkedDecoder.signed(KEY, DATE, SCOPE, EX.getProperty("trailer.seed"), true, OptionalLong.of(66560));
    }

    @Test
    void publishedSignedExampleDecodesWhateverTheFraming() throws Exception {
        byte[] body = signedBody();
        assertEquals(66824, body.length, "Content-Length of the published example");
        for (List<ByteString> f : List.of(frames(body, body.length), frames(body, 1), frames(body, 7),
                frames(body, 4096), frames(body, 65536 + 88), randomFrames(body, 1, 300), randomFrames(body, 2, 70000))) {
            StreamHarness.Outcome o = streams.decode(signedDecoder(), f);
            assertArrayEquals(OBJECT, o.bytes().toArray());
            assertEquals(Map.of(), o.trailers());
        }
    }

    @Test
    void publishedTrailerExampleDecodesAndExposesTheChecksum() throws Exception {
        CRC32C crc = new CRC32C();
        crc.update(OBJECT);
        byte[] crcBytes = java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
        assertEquals("sOO8/Q==", Base64.getEncoder().encodeToString(crcBytes), "the example's CRC32C is the object's");
        byte[] body = trailerBody();
        for (List<ByteString> f : List.of(frames(body, body.length), frames(body, 1), frames(body, 13),
                randomFrames(body, 3, 1000))) {
            StreamHarness.Outcome o = streams.decode(trailerDecoder(), f);
            assertArrayEquals(OBJECT, o.bytes().toArray());
            assertEquals(Map.of("x-amz-checksum-crc32c", "sOO8/Q=="), o.trailers());
        }
    }

    @Test
    void trailerLayoutVariantsAreAccepted() throws Exception {
        String sig = "x-amz-trailer-signature:" + EX.getProperty("trailer.signature");
        String checksum = EX.getProperty("trailer.checksum");
        // A blank line before the trailers (as laid out in the S3 documentation), no final CRLF, bare LF.
        for (String trailer : List.of("\r\n" + checksum + "\r\n" + sig + "\r\n\r\n", checksum + "\r\n" + sig,
                checksum + "\r\n" + sig + "\r\n", checksum + "\n" + sig + "\n\n")) {
            StreamHarness.Outcome o = streams.decode(trailerDecoder(), frames(docBody("trailer", trailer), 997));
            assertEquals(Map.of("x-amz-checksum-crc32c", "sOO8/Q=="), o.trailers(), trailer);
        }
    }

    @Test
    void theVerifiedSeedRequestDrivesTheDecoder() throws Exception {
        Vectors.Vector seed = Vectors.load("/sigv4/s3-doc-examples.txt").stream()
                .filter(v -> v.name().equals("put-object-chunked-seed")).findFirst().orElseThrow();
        SigV4Result r = new SigV4Verifier().verify(seed.request(),
                CredentialsProvider.of(Map.of("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")),
                Instant.parse("2013-05-24T00:05:00Z"), Set.of("us-east-1"));
        Verified v = assertInstanceOf(Verified.class, r);
        long declared = Long.parseLong(seed.request().header("x-amz-decoded-content-length"));
        StreamHarness.Outcome o = streams.decode(AwsChunkedDecoder.forVerified(v, OptionalLong.of(declared)),
                frames(signedBody(), 1000));
        assertArrayEquals(OBJECT, o.bytes().toArray());
    }

    @Test
    void aTamperedChunkSignatureOrByteFails() throws Exception {
        byte[] badSig = signedBody();
        int at = indexOf(badSig, EX.getProperty("chunked.chunk2"));
        badSig[at] = (byte) (badSig[at] == 'a' ? 'b' : 'a');
        assertSignatureMismatch(streams.decodeFailure(signedDecoder(), frames(badSig, 4000)), "2");
        byte[] badData = signedBody();
        badData[66000] = 'b';
        assertSignatureMismatch(streams.decodeFailure(signedDecoder(), frames(badData, 4000)), "2");
        AwsChunkedDecoder wrongSeed = AwsChunkedDecoder.signed(KEY, DATE, SCOPE, EX.getProperty("trailer.seed"),
                false, OptionalLong.empty());
        assertSignatureMismatch(streams.decodeFailure(wrongSeed, frames(signedBody(), 4000)), "1");
        byte[] finalSig = signedBody();
        int f = indexOf(finalSig, EX.getProperty("chunked.final"));
        finalSig[f + 63] = (byte) (finalSig[f + 63] == '9' ? '8' : '9');
        assertSignatureMismatch(streams.decodeFailure(signedDecoder(), frames(finalSig, 4000)), "3");
    }

    @Test
    void aTamperedTrailerFails() throws Exception {
        String sig = EX.getProperty("trailer.signature");
        for (String trailer : List.of("x-amz-checksum-crc32c:sOO8/Q=X\r\nx-amz-trailer-signature:" + sig + "\r\n\r\n",
                "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:" + sig.replace('d', 'e') + "\r\n\r\n",
                "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-meta-extra:1\r\nx-amz-trailer-signature:" + sig + "\r\n\r\n",
                "x-amz-checksum-crc32c:sOO8/Q==\r\n\r\n")) {
            ChunkedEncodingException e = streams.decodeFailure(trailerDecoder(), frames(docBody("trailer", trailer), 5000));
            assertEquals(AuthError.SignatureDoesNotMatch, e.error(), trailer);
        }
        ChunkedEncodingException afterSig = streams.decodeFailure(trailerDecoder(), frames(docBody("trailer",
                "x-amz-trailer-signature:" + sig + "\r\nx-amz-checksum-crc32c:sOO8/Q==\r\n\r\n"), 5000));
        assertEquals(AuthError.MalformedTrailerError, afterSig.error());
    }

    @Test
    void everyTruncationFails() throws Exception {
        byte[] body = signedBody();
        // Everything before the final chunk's header line is complete must fail; only the
        // final empty line may be missing (accepted leniently).
        int[] cuts = {0, 1, 5, 86, 87, 88, 1000, 65536 + 87, 65536 + 88, 65536 + 89, 65536 + 90, 66700, body.length - 90,
            body.length - 3};
        for (int cut : cuts) {
            ChunkedEncodingException e = streams.decodeFailure(signedDecoder(),
                    frames(Arrays.copyOf(body, cut), 3000));
            assertEquals(AuthError.IncompleteBody, e.error(), "cut at " + cut);
        }
        for (int cut : new int[] {body.length - 2, body.length - 1}) {
            assertEquals(66560, streams.decode(signedDecoder(), frames(Arrays.copyOf(body, cut), 3000)).bytes().size());
        }
    }

    @Test
    void theDecodedLengthMustMatchTheDeclaredOne() throws Exception {
        AwsChunkedDecoder tooShort = AwsChunkedDecoder.signed(KEY, DATE, SCOPE, EX.getProperty("chunked.seed"), false,
                OptionalLong.of(100));
        assertEquals(AuthError.IncompleteBody, streams.decodeFailure(tooShort, frames(signedBody(), 50)).error());
        AwsChunkedDecoder tooLong = AwsChunkedDecoder.signed(KEY, DATE, SCOPE, EX.getProperty("chunked.seed"), false,
                OptionalLong.of(66561));
        assertEquals(AuthError.IncompleteBody, streams.decodeFailure(tooLong, frames(signedBody(), 5000)).error());
    }

    @Test
    void unsignedTrailerBodiesDecodeAtEverySplitPoint() throws Exception {
        byte[] body = ("3\r\nabc\r\n4;chunk-signature=ignored\r\ndefg\r\n0\r\n"
                + "x-amz-checksum-crc32:NSRBwg==\r\nx-amz-meta-note: spaced value \r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i <= body.length; i++) {
            for (int j = i; j <= body.length; j += 5) {
                StreamHarness.Outcome o = streams.decode(AwsChunkedDecoder.unsignedTrailer(OptionalLong.of(7)),
                        cutAt(body, i, j));
                assertEquals("abcdefg", o.bytes().utf8String(), i + "/" + j);
                assertEquals(Map.of("x-amz-checksum-crc32", "NSRBwg==", "x-amz-meta-note", "spaced value"), o.trailers());
            }
        }
    }

    @Test
    void malformedFramingIsRejected() throws Exception {
        Map<String, AuthError> cases = Map.of(
                "zz\r\nabc\r\n0\r\n\r\n", AuthError.InvalidRequest,
                "3\r\nabcX\r\n0\r\n\r\n", AuthError.InvalidRequest,
                "\r\n", AuthError.InvalidRequest,
                "3\r\nabc\r\n0\r\nx-amz-a:b\r\n\r\nextra", AuthError.InvalidRequest,
                "3\r\nabc\r\n0\r\n\r\nextra", AuthError.MalformedTrailerError,
                "3\r\nabc\r\n0\r\nno-colon-here\r\n\r\n", AuthError.MalformedTrailerError,
                "1" + "0".repeat(20) + "\r\n", AuthError.InvalidRequest,
                "3" + " ".repeat(5000) + "\r\n", AuthError.InvalidRequest,
                "3\r\nab", AuthError.IncompleteBody,
                "", AuthError.IncompleteBody);
        for (Map.Entry<String, AuthError> c : cases.entrySet()) {
            byte[] body = c.getKey().getBytes(StandardCharsets.US_ASCII);
            ChunkedEncodingException e = streams.decodeFailure(AwsChunkedDecoder.unsignedTrailer(OptionalLong.empty()),
                    frames(body, 2));
            assertEquals(c.getValue(), e.error(), c.getKey());
        }
        byte[] noSignature = "3\r\nabc\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(AuthError.SignatureDoesNotMatch, streams.decodeFailure(signedDecoder(), frames(noSignature, 4)).error());
    }

    @Test
    void minimumChunkSizeIsEnforcedWhenAskedExceptForTheLastChunk() throws Exception {
        byte[] body = "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ChunkedEncodingException e = streams.decodeFailure(
                AwsChunkedDecoder.unsignedTrailer(OptionalLong.empty()).withMinChunkSize(8192), frames(body, 100));
        assertEquals(AuthError.InvalidChunkSizeError, e.error());
        assertEquals(Map.of("Chunk", "1", "BadChunkSize", "3"), e.details());
        byte[] single = "3\r\nabc\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("abc", streams.decode(AwsChunkedDecoder.unsignedTrailer(OptionalLong.empty()).withMinChunkSize(8192),
                frames(single, 100)).bytes().utf8String());
        assertEquals(66560, streams.decode(signedDecoder().withMinChunkSize(8192), frames(signedBody(), 9000))
                .bytes().size());
    }

    private static void assertSignatureMismatch(ChunkedEncodingException e, String chunk) {
        assertEquals(AuthError.SignatureDoesNotMatch, e.error());
        assertEquals(403, e.error().httpStatus());
        assertEquals(chunk, e.details().get("Chunk"));
        assertTrue(e.getMessage().startsWith("The request signature we calculated"));
    }

    static byte[] header(int size, String signature) {
        return (Integer.toHexString(size) + ";chunk-signature=" + signature + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] a(int n) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) 'a');
        return out;
    }

    static byte[] crlf() {
        return new byte[] {'\r', '\n'};
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static int indexOf(byte[] haystack, String needle) {
        String s = new String(haystack, StandardCharsets.ISO_8859_1);
        return s.indexOf(needle);
    }
}
