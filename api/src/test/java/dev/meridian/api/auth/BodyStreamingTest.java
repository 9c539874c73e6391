package dev.meridian.api.auth;

import static dev.meridian.api.auth.StreamHarness.frames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streaming behaviour: data flows before a chunk ends, failures arrive before completion, SHA-256 check. */
class BodyStreamingTest {

    private static StreamHarness streams;

    @BeforeAll
    static void start() {
        streams = new StreamHarness();
    }

    @AfterAll
    static void stop() throws Exception {
        streams.shutdown();
    }

    @Test
    void dataIsEmittedBeforeItsChunkEndsAndABadSignatureFailsTheStreamAfterwards() throws Exception {
        byte[] key = SigV4Crypto.deriveSigningKey("secret", "20240101", "us-east-1", "s3");
        AwsChunkedDecoder decoder = AwsChunkedDecoder.signed(key, "20240101T000000Z",
                "20240101/us-east-1/s3/aws4_request", "0".repeat(64), false, OptionalLong.empty());
        Pair<Pair<TestPublisher.Probe<ByteString>, CompletionStage<Map<String, String>>>, TestSubscriber.Probe<ByteString>> run =
                TestSource.<ByteString>probe(streams.system).viaMat(decoder, Keep.both())
                        .toMat(TestSink.probe(streams.system), Keep.both()).run(streams.system);
        TestPublisher.Probe<ByteString> upstream = run.first().first();
        TestSubscriber.Probe<ByteString> downstream = run.second();
        downstream.request(10);
        upstream.sendNext(ByteString.fromString("100000;chunk-signature=" + "f".repeat(64) + "\r\nhello"));
        assertEquals("hello", downstream.expectNext().utf8String());
        upstream.sendNext(ByteString.fromString(" world"));
        assertEquals(" world", downstream.expectNext().utf8String());
        assertFalse(run.first().second().toCompletableFuture().isDone(), "trailers wait for the end");
        // The body ends inside the 1 MiB chunk: the bytes already went downstream, the stream fails.
        upstream.sendComplete();
        Throwable error = downstream.expectError();
        assertEquals(AuthError.IncompleteBody, StreamHarness.chunkedFailure(error).error());
        assertTrue(run.first().second().toCompletableFuture().isCompletedExceptionally());

        Pair<TestPublisher.Probe<ByteString>, TestSubscriber.Probe<ByteString>> run2 =
                TestSource.<ByteString>probe(streams.system).via(AwsChunkedDecoder.signed(key, "20240101T000000Z",
                        "20240101/us-east-1/s3/aws4_request", "0".repeat(64), false, OptionalLong.empty()))
                        .toMat(TestSink.probe(streams.system), Keep.both()).run(streams.system);
        // A one-byte chunk whose claimed signature is wrong: its byte passes, then its end fails.
        run2.second().request(10);
        run2.first().sendNext(ByteString.fromString("1;chunk-signature=" + "f".repeat(64) + "\r\nx"));
        assertEquals("x", run2.second().expectNext().utf8String());
        run2.first().sendNext(ByteString.fromString("\r\n"));
        assertEquals(AuthError.SignatureDoesNotMatch, StreamHarness.chunkedFailure(run2.second().expectError()).error());
    }

    @Test
    void noBytesAreEmittedWithoutDemand() {
        Pair<TestPublisher.Probe<ByteString>, TestSubscriber.Probe<ByteString>> run =
                TestSource.<ByteString>probe(streams.system).via(AwsChunkedDecoder.unsignedTrailer(OptionalLong.empty()))
                        .toMat(TestSink.probe(streams.system), Keep.both()).run(streams.system);
        run.second().request(1);
        run.first().sendNext(ByteString.fromString("a\r\n01234"));
        assertEquals("01234", run.second().expectNext().utf8String());
        // No demand now: the next chunk's bytes are buffered, not pushed.
        run.first().sendNext(ByteString.fromString("56789\r\n0\r\n\r\n"));
        run.second().expectNoMessage(Duration.ofMillis(100));
        run.second().request(5);
        assertEquals("56789", run.second().expectNext().utf8String());
        run.first().sendComplete();
        run.second().expectComplete();
    }

    @Test
    void sha256CheckPassesMatchingBodiesAndFailsOthersAtTheEnd() throws Exception {
        byte[] body = "Welcome to Amazon S3.".getBytes(StandardCharsets.UTF_8);
        String digest = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";
        assertEquals("Welcome to Amazon S3.", streams.pass(new PayloadSha256Check(digest.toUpperCase()),
                frames(body, 3)).utf8String());
        byte[] other = "Welcome to Amazon S4.".getBytes(StandardCharsets.UTF_8);
        ChunkedEncodingException e = assertThrows(ChunkedEncodingException.class,
                () -> streams.pass(new PayloadSha256Check(digest), frames(other, 3)));
        assertEquals(AuthError.XAmzContentSHA256Mismatch, e.error());
        assertEquals(400, e.error().httpStatus());
        assertEquals(digest, e.details().get("ClientComputedContentSHA256"));
        assertEquals(SigV4Crypto.hex(SigV4Crypto.sha256(other)), e.details().get("S3ComputedContentSHA256"));
        assertEquals(SigV4Crypto.EMPTY_SHA256, SigV4Crypto.hex(SigV4Crypto.sha256(new byte[0])));
        assertThrows(IllegalArgumentException.class, () -> new PayloadSha256Check("UNSIGNED-PAYLOAD"));
    }
}
