package dev.meridian.api.auth;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Graph;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/** Runs byte frames through the body stages in a shared actor system. */
final class StreamHarness {

    /** What a run produced: the bytes, and the trailers when the stage has them. */
    record Outcome(ByteString bytes, Map<String, String> trailers) {
    }

    final ActorSystem system = ActorSystem.create("auth-test",
            ConfigFactory.parseString("pekko.loglevel = WARNING\npekko.stdout-loglevel = WARNING")
                    .withFallback(ConfigFactory.load()));

    void shutdown() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Decodes {@code frames}; throws the stream's failure cause. */
    Outcome decode(AwsChunkedDecoder decoder, List<ByteString> frames) throws Exception {
        Pair<CompletionStage<Map<String, String>>, CompletionStage<ByteString>> run = Source.from(frames)
                .viaMat(decoder, Keep.right())
                .toMat(Sink.fold(ByteString.emptyByteString(), ByteString::concat), Keep.both())
                .run(system);
        ByteString bytes = await(run.second());
        return new Outcome(bytes, await(run.first()));
    }

    /** Passes {@code frames} through a stage without materialised value. */
    ByteString pass(Graph<FlowShape<ByteString, ByteString>, ?> stage, List<ByteString> frames) throws Exception {
        return await(Source.from(frames).via(stage)
                .runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat), system));
    }

    /** Decodes and expects a {@link ChunkedEncodingException}. */
    ChunkedEncodingException decodeFailure(AwsChunkedDecoder decoder, List<ByteString> frames) throws Exception {
        try {
            Outcome o = decode(decoder, frames);
            fail("Expected a failure, decoded " + o.bytes().size() + " bytes, trailers " + o.trailers());
            return null;
        } catch (ChunkedEncodingException e) {
            return e;
        }
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("Stream did not finish", e);
        }
    }

    static ChunkedEncodingException chunkedFailure(Throwable t) {
        return assertInstanceOf(ChunkedEncodingException.class, t);
    }

    /** {@code body} cut into frames of {@code size} bytes. */
    static List<ByteString> frames(byte[] body, int size) {
        List<ByteString> out = new ArrayList<>();
        for (int i = 0; i < body.length; i += size) {
            out.add(ByteString.fromArray(body, i, Math.min(size, body.length - i)));
        }
        return out;
    }

    /** {@code body} cut into frames of random sizes from 1 to {@code max}, reproducibly. */
    static List<ByteString> randomFrames(byte[] body, long seed, int max) {
        Random random = new Random(seed);
        List<ByteString> out = new ArrayList<>();
        for (int i = 0; i < body.length; ) {
            int n = Math.min(1 + random.nextInt(max), body.length - i);
            out.add(ByteString.fromArray(body, i, n));
            i += n;
        }
        return out;
    }

    /** {@code body} cut at the given offsets (ascending). */
    static List<ByteString> cutAt(byte[] body, int... offsets) {
        List<ByteString> out = new ArrayList<>();
        int from = 0;
        for (int at : offsets) {
            out.add(ByteString.fromArray(body, from, at - from));
            from = at;
        }
        out.add(ByteString.fromArray(body, from, body.length - from));
        return out;
    }
}
