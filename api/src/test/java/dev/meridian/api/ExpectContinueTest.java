package dev.meridian.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.typesafe.config.ConfigFactory;
import dev.meridian.api.auth.PayloadMode;
import dev.meridian.api.auth.SigV4Result;
import dev.meridian.cluster.policy.Identity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * What a client sees when the storage fails while an upload's body streams in (a Cassandra chunk write
 * timing out), through the server's own path: {@link Bodies} reads the body, {@link S3Server#answer} turns
 * the failure into the S3 error, on a real Pekko HTTP server with Meridian's settings. The AWS SDK's Netty
 * client sends {@code Expect: 100-continue} with PutObject and UploadPart and reads the response only once
 * it has sent the whole body; it must get the final status and S3 error code, not "Status Code: 100" (a
 * second {@code 100 Continue}) nor a connection closed under its upload (an early response). The storage
 * here is a stand-in; the bucket in the path chooses how it fails.
 */
class ExpectContinueTest {

  private static final int MIB = 1024 * 1024;
  /** Bytes the stand-in storage takes before its writes fail. */
  private static final long STORED_BEFORE_FAILING = 256 * 1024;
  private static final Executor LATER = CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS);

  private static ActorSystem system;
  private static Materializer mat;
  private static int port;
  /** The Expect header of the last request, to show that the SDK asked for 100-continue. */
  private static volatile Optional<String> lastExpect = Optional.empty();

  @BeforeAll
  static void start() throws Exception {
    ((Logger) LoggerFactory.getLogger("software.amazon.awssdk")).setLevel(Level.INFO);
    ((Logger) LoggerFactory.getLogger(ErrorResponses.class)).setLevel(Level.OFF); // the failures are on purpose
    system = ActorSystem.create("expect-continue",
        ConfigFactory.parseString("pekko.loglevel = WARNING").withFallback(ConfigFactory.load()));
    mat = Materializer.matFromSystem(system);
    Function<HttpRequest, CompletionStage<HttpResponse>> handler = ExpectContinueTest::handle;
    ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(handler)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    port = binding.localAddress().getPort();
  }

  @AfterAll
  static void stop() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * An upload as the S3 routes run one: {@code /denied/...} fails before the body is read (as authorization
   * does), {@code /slow/...} and {@code /broken/...} fail while storing it (a driver timeout: 503; anything
   * else: 500), {@code /late/...} once it is stored (the commit); other buckets store it.
   */
  private static CompletionStage<HttpResponse> handle(HttpRequest request) {
    lastExpect = request.getHeader("Expect").map(HttpHeader::value);
    String bucket = request.getUri().pathSegments().iterator().next();
    RequestBody body = new RequestBody(request);
    SigV4Result.Verified auth = new SigV4Result.Verified("AKID", "us-east-1", "s3", Instant.now(), new byte[32],
        "0".repeat(64), "scope", PayloadMode.UNSIGNED_PAYLOAD, null);
    S3Call call = new S3Call("REQID", request, body, request.method().value(), bucket, "k", new LinkedHashMap<>(),
        auth, "000000000000", null, Identity.root("000000000000"));
    CompletionStage<HttpResponse> response;
    if (bucket.equals("denied")) {
      response = CompletableFuture.failedFuture(new S3Exception(S3Error.AccessDenied));
    } else {
      AtomicLong stored = new AtomicLong();
      RuntimeException failure = bucket.equals("slow") ? new DriverTimeoutException("Query timed out after PT2S")
          : new IllegalStateException("chunk write failed");
      boolean failWhileStoring = bucket.equals("slow") || bucket.equals("broken");
      response = Bodies.payload(call)
          .mapAsync(4, bytes -> stored.addAndGet(bytes.size()) > STORED_BEFORE_FAILING && failWhileStoring
              ? CompletableFuture.supplyAsync(() -> { throw failure; }, LATER)
              : CompletableFuture.completedFuture(bytes))
          .runWith(Sink.ignore(), mat)
          .thenApply(done -> {
            if (bucket.equals("late")) throw new IllegalStateException("commit failed");
            return Responses.ok();
          });
    }
    return S3Server.answer(response, body, call.resource(), call.requestId(), false, mat);
  }

  private static S3AsyncClient sdk() {
    return S3AsyncClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create("http://127.0.0.1:" + port))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
        .forcePathStyle(true).httpClientBuilder(NettyNioAsyncHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
  }

  /** The service error a failed SDK call reports (a client-side failure fails the test). */
  private static AwsServiceException serviceError(CompletableFuture<?> call) throws Exception {
    try {
      call.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AwsServiceException s) return s;
      throw new AssertionError("the client did not get the error response", e.getCause());
    }
    throw new AssertionError("the upload succeeded");
  }

  @Test
  void sdkUploadsSeeTheStorageErrorNotContinue() throws Exception {
    // 4 MiB is under Pekko's max-content-length (16m here), where discarding the failed body again put a
    // second 100 Continue on the wire; 20 MiB is over it, where the error closed the connection mid-upload.
    try (S3AsyncClient s3 = sdk()) {
      for (int size : List.of(4 * MIB, 20 * MIB)) {
        AwsServiceException put = serviceError(s3.putObject(b -> b.bucket("slow").key("k"),
            AsyncRequestBody.fromBytes(new byte[size])));
        assertEquals(Optional.of("100-continue"), lastExpect);
        assertEquals(503, put.statusCode(), put::toString);
        assertEquals("ServiceUnavailable", put.awsErrorDetails().errorCode());
        assertEquals("REQID", put.requestId());

        AwsServiceException part = serviceError(s3.uploadPart(b -> b.bucket("broken").key("k").uploadId("u")
            .partNumber(1), AsyncRequestBody.fromBytes(new byte[size])));
        assertEquals(Optional.of("100-continue"), lastExpect);
        assertEquals(500, part.statusCode(), part::toString);
        assertEquals("InternalError", part.awsErrorDetails().errorCode());
      }
      AwsServiceException late = serviceError(s3.putObject(b -> b.bucket("late").key("k"),
          AsyncRequestBody.fromBytes(new byte[4 * MIB])));
      assertEquals(500, late.statusCode(), late::toString);
      assertEquals("InternalError", late.awsErrorDetails().errorCode());

      AwsServiceException denied = serviceError(s3.putObject(b -> b.bucket("denied").key("k"),
          AsyncRequestBody.fromBytes(new byte[4 * MIB])));
      assertEquals(403, denied.statusCode(), denied::toString);
      assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());

      s3.putObject(b -> b.bucket("fine").key("k"), AsyncRequestBody.fromBytes(new byte[4 * MIB]))
          .get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void theWireCarriesOneContinueThenTheErrorAndTheConnectionStaysUsable() throws Exception {
    for (String bucket : List.of("slow", "late")) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        out.write(head("PUT", "/" + bucket + "/k", 8 * MIB, true));
        out.flush();
        Response interim = Response.read(in);
        assertEquals(100, interim.status(), interim.text());
        CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> send(out, new byte[8 * MIB]));

        Response last = Response.read(in);
        String expected = bucket.equals("slow") ? "ServiceUnavailable" : "InternalError";
        assertEquals(bucket.equals("slow") ? 503 : 500, last.status(), last.text());
        assertTrue(last.body().contains("<Code>" + expected + "</Code>"), last.text());
        assertFalse(last.headers().contains("connection: close"), last.text());
        upload.get(30, TimeUnit.SECONDS); // the whole body went out: the server read it

        // The body was read to its end, so the connection serves the next request.
        out.write(head("PUT", "/fine/k", 5, false));
        out.write("hello".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertEquals(200, Response.read(in).status());
      }
    }
  }

  @Test
  void anErrorBeforeTheBodyIsSentInsteadOfContinue() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(head("PUT", "/denied/k", 8 * MIB, true));
      socket.getOutputStream().flush();
      Response first = Response.read(socket.getInputStream());
      assertEquals(403, first.status(), first.text());
      assertTrue(first.body().contains("<Code>AccessDenied</Code>"), first.text());
      // The client never sent the body it announced: the connection cannot serve another request.
      assertTrue(first.headers().contains("connection: close"), first.text());
      assertEquals(-1, socket.getInputStream().read());
    }
  }

  private static void send(OutputStream out, byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] head(String method, String path, long length, boolean expectContinue) {
    return (method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + length + "\r\n"
        + (expectContinue ? "Expect: 100-continue\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** One response off the wire: status, header lines (lower case), and the body its Content-Length frames. */
  private record Response(int status, List<String> headers, String body) {

    static Response read(InputStream in) throws IOException {
      String statusLine = line(in);
      List<String> headers = new ArrayList<>();
      long length = 0;
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        headers.add(h.toLowerCase());
        if (h.toLowerCase().startsWith("content-length:")) length = Long.parseLong(h.substring(15).trim());
      }
      byte[] body = in.readNBytes((int) length);
      return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers,
          new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) throw new IOException("connection closed after: " + line);
        if (b != '\r') line.write(b);
      }
      return line.toString(StandardCharsets.ISO_8859_1);
    }

    String text() {
      return status + " " + headers + " " + body;
    }
  }
}
