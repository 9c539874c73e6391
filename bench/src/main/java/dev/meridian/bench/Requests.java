package dev.meridian.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 requests the workloads issue, each a future of the bytes it moved. Bodies come from one shared
 * random buffer without copying; GET bodies are counted and dropped as they stream in, so the client holds
 * no object whole.
 */
final class Requests {

  private Requests() {}

  static CompletableFuture<Long> put(S3AsyncClient s3, String bucket, String key, byte[] data, int size) {
    return s3.putObject(b -> b.bucket(bucket).key(key).contentLength((long) size), body(data, 0, size))
        .thenApply(r -> (long) size);
  }

  static CompletableFuture<Long> get(S3AsyncClient s3, String bucket, String key) {
    return s3.getObject(b -> b.bucket(bucket).key(key), new Discard());
  }

  static CompletableFuture<Long> head(S3AsyncClient s3, String bucket, String key) {
    return s3.headObject(b -> b.bucket(bucket).key(key)).thenApply(r -> 0L);
  }

  static CompletableFuture<Long> delete(S3AsyncClient s3, String bucket, String key) {
    return s3.deleteObject(b -> b.bucket(bucket).key(key)).thenApply(r -> 0L);
  }

  /** One page of ListObjectsV2 (up to 1,000 keys) after {@code startAfter}. */
  static CompletableFuture<Long> list(S3AsyncClient s3, String bucket, String prefix, String startAfter) {
    return s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(1000)
        .startAfter(startAfter == null || startAfter.isEmpty() ? null : startAfter))
        .thenApply(r -> 0L);
  }

  /**
   * A whole multipart upload: create, the parts ({@code partSize} each, the last one shorter) with up to
   * {@code parallelism} in flight, complete. A failed upload is aborted (not awaited).
   */
  static CompletableFuture<Long> multipart(S3AsyncClient s3, String bucket, String key, byte[] data, int size,
      int partSize, int parallelism) {
    int parts = Math.max(1, (size + partSize - 1) / partSize);
    return s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).thenCompose(created -> {
      String uploadId = created.uploadId();
      CompletedPart[] done = new CompletedPart[parts];
      List<CompletableFuture<Void>> lanes = new ArrayList<>();
      for (int lane = 0; lane < Math.min(parallelism, parts); lane++) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int p = lane; p < parts; p += parallelism) {
          int partNumber = p + 1;
          int off = p * partSize;
          int len = Math.min(partSize, size - off);
          chain = chain.thenCompose(x -> s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                  .partNumber(partNumber).contentLength((long) len), body(data, off, len))
              .thenAccept(r -> done[partNumber - 1] = CompletedPart.builder().partNumber(partNumber).eTag(r.eTag()).build()));
        }
        lanes.add(chain);
      }
      return CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new))
          .thenCompose(x -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
              .multipartUpload(m -> m.parts(done))))
          .thenApply(r -> (long) size)
          .whenComplete((r, err) -> {
            if (err != null) s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
          });
    });
  }

  static AsyncRequestBody body(byte[] data, int off, int len) {
    return AsyncRequestBody.fromByteBufferUnsafe(ByteBuffer.wrap(data, off, len).slice());
  }

  /** The kind of a failure for the error counts: the HTTP status and S3 code, or the exception's class. */
  static String errorKind(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof S3Exception s3) {
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      return "HTTP " + s3.statusCode() + (code == null ? "" : " " + code);
    }
    Throwable root = c;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root == c ? c.getClass().getSimpleName() : c.getClass().getSimpleName() + " (" + root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + abbreviate(root.getMessage())) + ")";
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  /** Counts a GET body's bytes as they arrive and drops them. */
  static final class Discard implements AsyncResponseTransformer<GetObjectResponse, Long> {
    private volatile CompletableFuture<Long> result;

    @Override
    public CompletableFuture<Long> prepare() {
      result = new CompletableFuture<>();
      return result;
    }

    @Override
    public void onResponse(GetObjectResponse response) {}

    @Override
    public void onStream(SdkPublisher<ByteBuffer> publisher) {
      CompletableFuture<Long> out = result;
      publisher.subscribe(new Subscriber<ByteBuffer>() {
        private long n;

        @Override
        public void onSubscribe(Subscription s) {
          s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ByteBuffer b) {
          n += b.remaining();
        }

        @Override
        public void onError(Throwable t) {
          out.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
          out.complete(n);
        }
      });
    }

    @Override
    public void exceptionOccurred(Throwable error) {
      CompletableFuture<Long> out = result;
      if (out != null) out.completeExceptionally(error);
    }
  }
}
