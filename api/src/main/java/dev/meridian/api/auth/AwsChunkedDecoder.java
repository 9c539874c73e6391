package dev.meridian.api.auth;

import dev.meridian.api.auth.SigV4Result.Verified;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.GraphStageWithMaterializedValue;
import org.apache.pekko.util.ByteString;
import scala.Tuple2;

/**
 * Decodes an aws-chunked request body ({@code Content-Encoding: aws-chunked}) into the object's
 * bytes, verifying chunk and trailer signatures as it goes.
 *
 * <p>Wire formats (all three end-of-body forms are accepted leniently where clients differ):
 * <pre>
 * signed:            hex-size;chunk-signature=SIG\r\n DATA \r\n ... 0;chunk-signature=SIG\r\n \r\n
 * signed + trailer:  ... 0;chunk-signature=SIG\r\n name:value\r\n ... x-amz-trailer-signature:SIG\r\n \r\n
 * unsigned trailer:  hex-size\r\n DATA \r\n ... 0\r\n name:value\r\n ... \r\n
 * </pre>
 * Data is emitted as it arrives, so memory stays bounded by one upstream element plus one header
 * line whatever the chunk size; a chunk's signature can only be checked once its last byte has
 * passed, so a bad chunk fails the stream after its data went downstream. That is intended: the
 * failure reaches the sink before completion, and the sink must not commit a failed upload. The
 * stream completes only after the whole body, including trailers, was verified and upstream ended.
 *
 * <p>Materialises a {@code CompletionStage<Map<String,String>>} of the trailers (lower-cased names,
 * in sent order, without {@code x-amz-trailer-signature}); it completes when the stream completes
 * and fails with the stream. Failures are {@link ChunkedEncodingException}s: {@code SignatureDoesNotMatch}
 * for a bad chunk or trailer signature, {@code IncompleteBody} for truncation or a decoded length
 * other than {@code x-amz-decoded-content-length}, {@code InvalidRequest} for bad framing,
 * {@code MalformedTrailerError} for bad trailers, {@code InvalidChunkSizeError} when a minimum
 * chunk size is set ({@link #withMinChunkSize}; S3 requires 8192, off by default to stay lenient).
 * Chunk extensions other than {@code chunk-signature} are ignored, as is a chunk signature in
 * unsigned mode. Each materialisation is independent.
 */
public final class AwsChunkedDecoder
        extends GraphStageWithMaterializedValue<FlowShape<ByteString, ByteString>, CompletionStage<Map<String, String>>> {

    /** Longest accepted chunk-header or trailer line, in bytes. */
    public static final int MAX_LINE = 4096;
    /** Largest accepted trailer section, in bytes. */
    public static final int MAX_TRAILER_BYTES = 16 * 1024;
    private static final String INCOMPLETE =
            "You did not provide the number of bytes specified by the Content-Length HTTP header";

    private enum Framing { SIGNED, SIGNED_TRAILER, UNSIGNED_TRAILER }

    private enum State { HEADER, DATA, DATA_END, TRAILER, DONE }

    private final Inlet<ByteString> in = Inlet.create("AwsChunkedDecoder.in");
    private final Outlet<ByteString> out = Outlet.create("AwsChunkedDecoder.out");
    private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);

    private final Framing framing;
    private final byte[] signingKey;
    private final String amzDate;
    private final String scope;
    private final String seedSignature;
    private final long decodedLength;
    private final int minChunkSize;

    private AwsChunkedDecoder(Framing framing, byte[] signingKey, String amzDate, String scope, String seedSignature,
                              long decodedLength, int minChunkSize) {
        this.framing = framing;
        this.signingKey = signingKey == null ? null : signingKey.clone();
        this.amzDate = amzDate;
        this.scope = scope;
        this.seedSignature = seedSignature;
        this.decodedLength = decodedLength;
        this.minChunkSize = minChunkSize;
    }

    /**
     * The decoder for a verified streaming request, chosen by its {@link PayloadMode}.
     *
     * @param decodedContentLength the {@code x-amz-decoded-content-length} header, if sent
     * @throws IllegalArgumentException when the mode is not one of the three streaming modes
     */
    public static AwsChunkedDecoder forVerified(Verified verified, OptionalLong decodedContentLength) {
        return switch (verified.mode()) {
            case STREAMING_SIGNED, STREAMING_SIGNED_TRAILER -> signed(verified, decodedContentLength);
            case STREAMING_UNSIGNED_TRAILER -> unsignedTrailer(decodedContentLength);
            default -> throw new IllegalArgumentException("Not an aws-chunked payload mode: " + verified.mode());
        };
    }

    /** Signed chunks (with a signed trailer when the mode is {@code STREAMING_SIGNED_TRAILER}). */
    public static AwsChunkedDecoder signed(Verified verified, OptionalLong decodedContentLength) {
        if (verified.mode() != PayloadMode.STREAMING_SIGNED && verified.mode() != PayloadMode.STREAMING_SIGNED_TRAILER) {
            throw new IllegalArgumentException("Not a signed streaming mode: " + verified.mode());
        }
        return signed(verified.signingKey(), verified.amzDate(), verified.scope(), verified.seedSignature(),
                verified.mode() == PayloadMode.STREAMING_SIGNED_TRAILER, decodedContentLength);
    }

    /**
     * Signed chunks from explicit signing parameters.
     *
     * @param amzDate the request timestamp, {@code yyyyMMdd'T'HHmmss'Z'}
     * @param scope {@code yyyymmdd/region/service/aws4_request}
     * @param seedSignature the request's signature, which the first chunk's signature chains from
     */
    public static AwsChunkedDecoder signed(byte[] signingKey, String amzDate, String scope, String seedSignature,
                                           boolean withTrailer, OptionalLong decodedContentLength) {
        Objects.requireNonNull(signingKey, "signingKey");
        Objects.requireNonNull(amzDate, "amzDate");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(seedSignature, "seedSignature");
        return new AwsChunkedDecoder(withTrailer ? Framing.SIGNED_TRAILER : Framing.SIGNED, signingKey, amzDate,
                scope, seedSignature, decodedContentLength.orElse(-1), 0);
    }

    /** {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}: unsigned chunks and unsigned trailers. */
    public static AwsChunkedDecoder unsignedTrailer(OptionalLong decodedContentLength) {
        return new AwsChunkedDecoder(Framing.UNSIGNED_TRAILER, null, null, null, null,
                decodedContentLength.orElse(-1), 0);
    }

    /** A copy that fails with {@code InvalidChunkSizeError} when a chunk other than the last is smaller. */
    public AwsChunkedDecoder withMinChunkSize(int bytes) {
        return new AwsChunkedDecoder(framing, signingKey, amzDate, scope, seedSignature, decodedLength, bytes);
    }

    @Override
    public FlowShape<ByteString, ByteString> shape() {
        return shape;
    }

    @Override
    public Tuple2<GraphStageLogic, CompletionStage<Map<String, String>>> createLogicAndMaterializedValue(
            Attributes attributes) {
        CompletableFuture<Map<String, String>> trailers = new CompletableFuture<>();
        return Tuple2.apply(new Logic(trailers), trailers);
    }

    private static ChunkedEncodingException err(AuthError error, String message) {
        return new ChunkedEncodingException(error, message);
    }

    private final class Logic extends GraphStageLogic {
        private final CompletableFuture<Map<String, String>> trailersFuture;
        private final boolean signing = framing != Framing.UNSIGNED_TRAILER;
        private final MessageDigest chunkDigest = SigV4Crypto.newSha256();
        private final TrailerSection trailers = new TrailerSection(framing != Framing.SIGNED,
                framing == Framing.SIGNED_TRAILER);
        private ByteString buf = ByteString.emptyByteString();
        private State state = State.HEADER;
        private boolean upstreamDone;
        private long remaining;
        private long decoded;
        private long chunkIndex;
        private long previousChunkSize = -1;
        private String claimedSignature;
        private String previousSignature = seedSignature;

        Logic(CompletableFuture<Map<String, String>> trailersFuture) {
            super(shape);
            this.trailersFuture = trailersFuture;
            setHandler(in, new AbstractInHandler() {
                @Override
                public void onPush() {
                    buf = buf.concat(grab(in));
                    safeDrive();
                }

                @Override
                public void onUpstreamFinish() {
                    upstreamDone = true;
                    safeDrive();
                }

                @Override
                public void onUpstreamFailure(Throwable ex) {
                    trailersFuture.completeExceptionally(ex);
                    failStage(ex);
                }
            });
            setHandler(out, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    safeDrive();
                }
            });
        }

        @Override
        public void postStop() {
            if (!trailersFuture.isDone()) {
                trailersFuture.completeExceptionally(err(AuthError.IncompleteBody, "The request body was not fully read"));
            }
        }

        private void safeDrive() {
            try {
                drive();
            } catch (ChunkedEncodingException e) {
                trailersFuture.completeExceptionally(e);
                failStage(e);
            }
        }

        /** Advances the state machine as far as the buffered bytes and downstream demand allow. */
        private void drive() {
            while (true) {
                switch (state) {
                    case HEADER -> {
                        String line = takeLine();
                        if (line == null) {
                            awaitInput();
                            return;
                        }
                        onChunkHeader(line);
                    }
                    case DATA -> {
                        if (buf.isEmpty()) {
                            awaitInput();
                            return;
                        }
                        if (!isAvailable(out)) {
                            return;
                        }
                        int n = (int) Math.min(remaining, buf.size());
                        ByteString data = buf.take(n);
                        buf = buf.drop(n);
                        if (signing) {
                            for (ByteBuffer bb : data.getByteBuffers()) {
                                chunkDigest.update(bb);
                            }
                        }
                        remaining -= n;
                        decoded += n;
                        if (decodedLength >= 0 && decoded > decodedLength) {
                            throw err(AuthError.IncompleteBody, "The decoded body is longer than "
                                    + "x-amz-decoded-content-length (" + decodedLength + ")");
                        }
                        if (remaining == 0) {
                            state = State.DATA_END;
                        }
                        push(out, data);
                    }
                    case DATA_END -> {
                        if (!consumeLineEnd()) {
                            awaitInput();
                            return;
                        }
                        if (signing) {
                            verifyChunk(SigV4Crypto.hex(chunkDigest.digest()));
                        }
                        state = State.HEADER;
                    }
                    case TRAILER -> {
                        String line = takeLine();
                        if (line == null && upstreamDone) {
                            endTrailers();
                        } else if (line == null) {
                            awaitInput();
                            return;
                        } else if (trailers.onLine(line)) {
                            endTrailers();
                        }
                    }
                    case DONE -> {
                        if (!buf.isEmpty()) {
                            throw err(AuthError.InvalidRequest, "Unexpected data after the end of the aws-chunked body");
                        }
                        if (upstreamDone) {
                            trailersFuture.complete(trailers.trailers());
                            completeStage();
                        } else {
                            awaitInput();
                        }
                        return;
                    }
                    default -> throw new IllegalStateException(state.name());
                }
            }
        }

        /** Pulls for more bytes, or fails when the body has already ended. */
        private void awaitInput() {
            if (upstreamDone) {
                throw err(AuthError.IncompleteBody, INCOMPLETE);
            }
            if (!hasBeenPulled(in)) {
                pull(in);
            }
        }

        /**
         * Removes and returns the next line without its CR LF (a bare LF is accepted too), or null
         * when no complete line is buffered. At the end of the body an unterminated trailer line
         * counts as a line: some clients omit the final CR LF.
         */
        private String takeLine() {
            int nl = buf.indexOf((byte) '\n');
            if (nl < 0) {
                if (buf.size() > MAX_LINE) {
                    throw err(AuthError.InvalidRequest, "An aws-chunked header line is longer than " + MAX_LINE);
                }
                if (upstreamDone && state == State.TRAILER && !buf.isEmpty()) {
                    nl = buf.size();
                } else {
                    return null;
                }
            }
            if (nl > MAX_LINE) {
                throw err(AuthError.InvalidRequest, "An aws-chunked header line is longer than " + MAX_LINE);
            }
            String line = new String(buf.take(nl).toArray(), StandardCharsets.ISO_8859_1);
            buf = buf.drop(nl + 1);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        }

        /** Consumes the CR LF after chunk data; false when more bytes are needed. */
        private boolean consumeLineEnd() {
            if (buf.isEmpty()) {
                return false;
            }
            byte first = buf.apply(0);
            if (first == '\n') {
                buf = buf.drop(1);
                return true;
            }
            if (first == '\r' && buf.size() < 2) {
                return false;
            }
            if (first != '\r' || buf.apply(1) != '\n') {
                throw err(AuthError.InvalidRequest, "Chunk data is not followed by CRLF (chunk " + chunkIndex + ")");
            }
            buf = buf.drop(2);
            return true;
        }

        /** Parses {@code hex-size[;name=value]*}. */
        private void onChunkHeader(String line) {
            ChunkHeader header = ChunkHeader.parse(line);
            long chunkSize = header.size();
            String signature = header.signature();
            chunkIndex++;
            if (signing && signature == null) {
                throw err(AuthError.SignatureDoesNotMatch, "Chunk " + chunkIndex + " has no chunk-signature");
            }
            // S3 rejects a short chunk once a further data chunk shows it was not the last one.
            if (chunkSize > 0 && previousChunkSize >= 0 && previousChunkSize < minChunkSize) {
                throw new ChunkedEncodingException(AuthError.InvalidChunkSizeError,
                        "Only the last chunk is allowed to have a size less than " + minChunkSize + " bytes",
                        Map.of("Chunk", Long.toString(chunkIndex - 1), "BadChunkSize", Long.toString(previousChunkSize)));
            }
            claimedSignature = signature;
            chunkDigest.reset();
            if (chunkSize > 0) {
                previousChunkSize = chunkSize;
                remaining = chunkSize;
                state = State.DATA;
                return;
            }
            if (signing) {
                verifyChunk(SigV4Crypto.EMPTY_SHA256);
            }
            if (decodedLength >= 0 && decoded != decodedLength) {
                throw err(AuthError.IncompleteBody, "The decoded body has " + decoded
                        + " bytes but x-amz-decoded-content-length is " + decodedLength);
            }
            state = State.TRAILER;
        }

        private void verifyChunk(String dataSha256Hex) {
            String expected = SigV4Crypto.sign(signingKey,
                    SigV4Crypto.chunkStringToSign(amzDate, scope, previousSignature, dataSha256Hex));
            if (!SigV4Crypto.signaturesEqual(expected, claimedSignature)) {
                throw new ChunkedEncodingException(AuthError.SignatureDoesNotMatch, SigV4Verifier.SIGNATURE_MISMATCH,
                        Map.of("Chunk", Long.toString(chunkIndex)));
            }
            previousSignature = expected;
        }

        private void endTrailers() {
            if (framing == Framing.SIGNED_TRAILER) {
                if (trailers.signature() == null) {
                    throw err(AuthError.SignatureDoesNotMatch, "The trailer has no x-amz-trailer-signature");
                }
                String expected = SigV4Crypto.sign(signingKey, SigV4Crypto.trailerStringToSign(amzDate, scope,
                        previousSignature, trailers.canonical()));
                if (!SigV4Crypto.signaturesEqual(expected, trailers.signature())) {
                    throw new ChunkedEncodingException(AuthError.SignatureDoesNotMatch,
                            SigV4Verifier.SIGNATURE_MISMATCH, Map.of("Chunk", "trailer"));
                }
            }
            state = State.DONE;
        }
    }
}
