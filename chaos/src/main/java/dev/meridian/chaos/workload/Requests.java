package dev.meridian.chaos.workload;

import dev.meridian.chaos.history.History;
import dev.meridian.chaos.history.Op;
import dev.meridian.chaos.history.Op.OpType;
import dev.meridian.chaos.history.Op.Outcome;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The workload's S3 requests, each run once (no SDK retries) and recorded in the {@link History} with its
 * outcome. Classification, as the checker needs it: a 4xx answer or a refused connection means the
 * request certainly did not take effect (FAIL); a 5xx answer, a timeout or a connection lost after
 * sending may or may not have (UNKNOWN), since a node can apply a write and die before answering.
 */
public final class Requests {

  /** Which node a request goes to. */
  public record Via(String node, String region, S3Client s3) {}

  private final History history;
  private final long seed;

  public Requests(History history, long seed) {
    this.history = history;
    this.seed = seed;
  }

  public Op put(int worker, Via via, String bucket, String key, int size) {
    long id = history.nextId();
    byte[] body = Bodies.body(seed, id, bucket, key, size);
    Op op = Op.started(id, worker, OpType.PUT, bucket, key, null, via.node(), via.region(), history.now(),
        Bodies.etag(body), Bodies.sha256(body), body.length);
    try {
      var r = via.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
      return record(op.ok(history.now(), r.versionId(), false));
    } catch (RuntimeException e) {
      return record(failed(op, e));
    }
  }

  /** A two-part multipart upload recorded as one request: its version can only appear after Complete. */
  public Op multipart(int worker, Via via, String bucket, String key, int partSize, int lastSize) {
    long id = history.nextId();
    byte[] body = Bodies.body(seed, id, bucket, key, partSize + lastSize);
    List<byte[]> parts = List.of(java.util.Arrays.copyOfRange(body, 0, partSize),
        java.util.Arrays.copyOfRange(body, partSize, body.length));
    Op op = Op.started(id, worker, OpType.MPU, bucket, key, null, via.node(), via.region(), history.now(),
        Bodies.multipartEtag(parts), Bodies.sha256(body), body.length);
    S3Client s3 = via.s3();
    String uploadId;
    List<CompletedPart> done = new ArrayList<>();
    try {
      uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
      for (int n = 1; n <= parts.size(); n++) {
        int number = n;
        var r = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
            RequestBody.fromBytes(parts.get(number - 1)));
        done.add(CompletedPart.builder().partNumber(number).eTag(r.eTag()).build());
      }
    } catch (RuntimeException e) {
      // Without CompleteMultipartUpload no version can exist: certainly not applied.
      Op f = failed(op, e);
      return record(f.failed(f.end(), Outcome.FAIL, f.status(), "before complete: " + f.error()));
    }
    try {
      var r = s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
          .multipartUpload(m -> m.parts(done)));
      return record(op.ok(history.now(), r.versionId(), false));
    } catch (RuntimeException e) {
      return record(failed(op, e));
    }
  }

  /** DeleteObject without a version id: a delete marker in a versioned bucket. */
  public Op delete(int worker, Via via, String bucket, String key) {
    Op op = Op.started(history.nextId(), worker, OpType.DELETE, bucket, key, null, via.node(), via.region(),
        history.now(), null, null, 0);
    try {
      var r = via.s3().deleteObject(b -> b.bucket(bucket).key(key));
      return record(op.ok(history.now(), r.versionId(), Boolean.TRUE.equals(r.deleteMarker())));
    } catch (RuntimeException e) {
      return record(failed(op, e));
    }
  }

  /** DeleteObject of one version: permanent, and not replicated. */
  public Op deleteVersion(int worker, Via via, String bucket, String key, String versionId) {
    Op op = Op.started(history.nextId(), worker, OpType.DELETE_VERSION, bucket, key, versionId, via.node(), via.region(),
        history.now(), null, null, 0);
    try {
      var r = via.s3().deleteObject(b -> b.bucket(bucket).key(key).versionId(versionId));
      return record(op.ok(history.now(), r.versionId(), Boolean.TRUE.equals(r.deleteMarker())));
    } catch (RuntimeException e) {
      return record(failed(op, e));
    }
  }

  /** GetObject of the latest version or of {@code versionId}; a 404 is a successful read of nothing. */
  public Op get(int worker, Via via, String bucket, String key, String versionId) {
    Op op = Op.started(history.nextId(), worker, OpType.GET, bucket, key, versionId, via.node(), via.region(),
        history.now(), null, null, 0);
    try {
      ResponseBytes<GetObjectResponse> r = via.s3().getObjectAsBytes(b -> {
        b.bucket(bucket).key(key);
        if (versionId != null) b.versionId(versionId);
      });
      byte[] bytes = r.asByteArray();
      return record(op.read(history.now(), 200, r.response().versionId(), Bodies.unquote(r.response().eTag()),
          Bodies.sha256(bytes), bytes.length, false));
    } catch (AwsServiceException e) {
      if (e.statusCode() == 404 || (versionId != null && e.statusCode() == 405)) {
        boolean marker = e.awsErrorDetails() != null && e.awsErrorDetails().sdkHttpResponse() != null
            && e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-delete-marker").map("true"::equals).orElse(false);
        return record(op.read(history.now(), e.statusCode(), null, null, null, 0, marker));
      }
      return record(failed(op, e));
    } catch (RuntimeException e) {
      return record(failed(op, e));
    }
  }

  /** ListObjectVersions of a prefix (first page); {@code size} records how many entries came back. */
  public Op list(int worker, Via via, String bucket, String prefix) {
    Op op = Op.started(history.nextId(), worker, OpType.LIST, bucket, prefix, null, via.node(), via.region(),
        history.now(), null, null, 0);
    try {
      var r = via.s3().listObjectVersions(b -> b.bucket(bucket).prefix(prefix).maxKeys(200));
      return record(op.read(history.now(), 200, null, null, null, r.versions().size() + r.deleteMarkers().size(), false));
    } catch (RuntimeException e) {
      return record(failed(op, e));
    }
  }

  private Op record(Op op) {
    history.add(op);
    return op;
  }

  private Op failed(Op op, RuntimeException e) {
    long end = history.now();
    if (e instanceof AwsServiceException s) {
      String code = s.awsErrorDetails() != null ? s.awsErrorDetails().errorCode() : null;
      int st = s.statusCode();
      Outcome o = st >= 400 && st < 500 && st != 408 && st != 429 ? Outcome.FAIL : Outcome.UNKNOWN;
      return op.failed(end, o, st, st + " " + code);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) return op.failed(end, Outcome.FAIL, 0, "connect: " + t.getMessage());
    }
    Throwable root = e;
    while (root.getCause() != null) root = root.getCause();
    return op.failed(end, Outcome.UNKNOWN, 0, root.getClass().getSimpleName() + ": " + root.getMessage());
  }
}
