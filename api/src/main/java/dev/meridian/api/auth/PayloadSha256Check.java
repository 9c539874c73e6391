package dev.meridian.api.auth;

import dev.meridian.api.auth.SigV4Result.Verified;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Map;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Passes a body through unchanged while computing its SHA-256, and fails the stream at the end with
 * {@code XAmzContentSHA256Mismatch} when the digest differs from the one the client declared in
 * {@code x-amz-content-sha256} ({@link PayloadMode#SIGNED_SHA256}).
 *
 * <p>The declared digest is part of the signed canonical request, so this check is what makes a
 * signed-payload request's body authentic. Like the aws-chunked decoder it fails before
 * completing, so the sink sees the failure and must not commit the object.
 */
public final class PayloadSha256Check extends GraphStage<FlowShape<ByteString, ByteString>> {

    private final Inlet<ByteString> in = Inlet.create("PayloadSha256Check.in");
    private final Outlet<ByteString> out = Outlet.create("PayloadSha256Check.out");
    private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
    private final String expectedHex;

    /** Checks against a hex digest (any case). */
    public PayloadSha256Check(String expectedSha256Hex) {
        if (!PayloadMode.isSha256Hex(expectedSha256Hex)) {
            throw new IllegalArgumentException("Not a SHA-256 hex digest: " + expectedSha256Hex);
        }
        this.expectedHex = PayloadMode.normalizeDigest(expectedSha256Hex);
    }

    /** The check for a verified {@link PayloadMode#SIGNED_SHA256} request. */
    public static PayloadSha256Check of(Verified verified) {
        if (verified.mode() != PayloadMode.SIGNED_SHA256) {
            throw new IllegalArgumentException("Not a signed-payload request: " + verified.mode());
        }
        return new PayloadSha256Check(verified.declaredSha256OrNull());
    }

    @Override
    public FlowShape<ByteString, ByteString> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new GraphStageLogic(shape) {
            private final MessageDigest digest = SigV4Crypto.newSha256();

            {
                setHandler(in, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        ByteString bytes = grab(in);
                        for (ByteBuffer bb : bytes.getByteBuffers()) {
                            digest.update(bb);
                        }
                        push(out, bytes);
                    }

                    @Override
                    public void onUpstreamFinish() {
                        String actual = SigV4Crypto.hex(digest.digest());
                        if (actual.equals(expectedHex)) {
                            completeStage();
                        } else {
                            failStage(new ChunkedEncodingException(AuthError.XAmzContentSHA256Mismatch,
                                    "The provided 'x-amz-content-sha256' header does not match what was computed.",
                                    Map.of("ClientComputedContentSHA256", expectedHex,
                                            "S3ComputedContentSHA256", actual)));
                        }
                    }
                });
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        pull(in);
                    }
                });
            }
        };
    }
}
