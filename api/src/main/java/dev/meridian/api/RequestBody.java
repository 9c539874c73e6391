package dev.meridian.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The body of one request: streamed at most once (by {@link Bodies}), and read to its end before an error
 * is answered ({@link #settle}), so that the client gets to read the error.
 *
 * <p>Two traps of Pekko HTTP make a client miss an error answered while the body is (or was) being read.
 * Pekko sends {@code 100 Continue} to an {@code Expect: 100-continue} request when the entity's stream is
 * first pulled, and it does so for each materialization: discarding the entity after the operation's
 * stream failed materializes it again and puts a second {@code 100 Continue} on the wire before the final
 * response (the second run itself fails at once: an entity streams only once). The AWS SDK's Netty client
 * takes the first as its go-ahead and the second as the final response, and reports "Status Code: 100".
 * And a response sent before the body has fully arrived is an early response, after which Pekko closes
 * the connection; a client that reads only once it has sent the whole body (the SDK's Netty client) then
 * sees the connection closed under its upload, not the error.
 *
 * <p>So {@link #data()} never cancels the entity: when its reader stops early (a storage write failed, a
 * chunk signature did not match), the rest of the body is read and dropped, and the request's error waits
 * for the end of the body. The client, done sending, reads the status and the S3 error, and the
 * connection stays usable. A body that no operation started to read is drained the same way, except
 * after {@code Expect: 100-continue}: then Pekko sends the error in place of {@code 100 Continue} (and
 * closes the connection), and the client sends no body at all.
 */
public final class RequestBody {

  private final HttpRequest request;
  /** Set when the stream of {@link #data()} is materialized: synchronously, before its reader can fail. */
  private final AtomicBoolean taken = new AtomicBoolean();
  /** The request is being answered: the bytes still to come are dropped. */
  private volatile boolean abandoned;
  /** Switches a running stream to dropping; set once its stage has started. */
  private final AtomicReference<Runnable> dropper = new AtomicReference<>();
  /** Completes when the body has ended: read to its end, failed (the client went away) or torn down. */
  private final CompletableFuture<Done> ended = new CompletableFuture<>();

  public RequestBody(HttpRequest request) {
    this.request = request;
  }

  /**
   * The body's bytes as they arrive, without Pekko's size limit (the operation bounds what it keeps). To be
   * materialized once; cancelling it drops the rest of the body rather than the connection.
   */
  public Source<ByteString, NotUsed> data() {
    return request.entity().withoutSizeLimit().getDataBytes()
        .via(new DropOnCancel())
        .mapMaterializedValue(x -> {
          taken.set(true);
          return NotUsed.getInstance();
        });
  }

  /**
   * Completes when an error can be answered without the client missing it: once the body has been read to
   * its end (what remains after the operation stopped reading is dropped), or at once when the client
   * still waits for {@code 100 Continue} (Pekko then answers instead, and the body is never sent).
   */
  public CompletionStage<Done> settle(Materializer mat) {
    abandoned = true;
    if (!taken.get()) {
      if (request.entity().isStrict() || expectsContinue()) return CompletableFuture.completedFuture(Done.done());
      data().runWith(Sink.ignore(), mat);
    }
    Runnable drop = dropper.get();
    if (drop != null) drop.run();
    return ended;
  }

  private boolean expectsContinue() {
    return request.getHeader("Expect").map(HttpHeader::value).map(v -> v.trim().equalsIgnoreCase("100-continue"))
        .orElse(false);
  }

  /**
   * Passes the body on until its reader cancels or the request is answered, then reads the rest and drops
   * it. Completes {@link #ended} however the body ends.
   */
  private final class DropOnCancel extends GraphStage<FlowShape<ByteString, ByteString>> {

    private final Inlet<ByteString> in = Inlet.create("RequestBody.in");
    private final Outlet<ByteString> out = Outlet.create("RequestBody.out");
    private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);

    @Override
    public FlowShape<ByteString, ByteString> shape() {
      return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      return new GraphStageLogic(shape) {
        private boolean dropping;

        {
          setHandler(in, new AbstractInHandler() {
            @Override
            public void onPush() {
              ByteString bytes = grab(in);
              if (dropping) pull(in);
              else push(out, bytes);
            }

            @Override
            public void onUpstreamFinish() {
              ended.complete(Done.done());
              completeStage();
            }

            @Override
            public void onUpstreamFailure(Throwable ex) {
              ended.complete(Done.done());
              failStage(ex);
            }
          });
          setHandler(out, new AbstractOutHandler() {
            @Override
            public void onPull() {
              pull(in);
            }

            @Override
            public void onDownstreamFinish(Throwable cause) {
              dropRest();
            }
          });
        }

        @Override
        public void preStart() {
          AsyncCallback<Done> callback = createAsyncCallback(x -> dropRest());
          dropper.set(() -> callback.invoke(Done.done()));
          if (abandoned) dropRest();
        }

        @Override
        public void postStop() {
          ended.complete(Done.done());
        }

        /** Stops passing bytes on (a reader still attached sees a failure, never a short body) and drains. */
        private void dropRest() {
          if (dropping) return;
          dropping = true;
          if (!isClosed(out)) fail(out, new IllegalStateException("The request was answered before its body was read"));
          if (!isClosed(in) && !hasBeenPulled(in)) pull(in);
        }
      };
    }
  }
}
