package dev.meridian.chaos.history;

/**
 * One client request of a chaos run and what the client saw, as the checker judges it. Times are
 * milliseconds since the run started (see {@link History#epochStartMs()}). For writes, {@code etag}
 * and {@code sha256} are what the client computed from the body it sent (every body is unique), and
 * {@code versionId} is what the server acknowledged; for reads they are what came back.
 *
 * @param id              unique, increasing in the order requests started
 * @param worker          the workload thread; -1 for the replication lag probe
 * @param type            the S3 operation
 * @param bucket          bucket of the request
 * @param key             object key (null for LIST)
 * @param targetVersionId DELETE_VERSION: the version to delete; GET: the version asked for (or null)
 * @param via             the node the request went to, e.g. {@code us-east-1-2}
 * @param viaRegion       that node's region
 * @param start           when the request was sent
 * @param end             when its outcome was known
 * @param outcome         OK (acknowledged), FAIL (certainly not applied), UNKNOWN (may or may not be)
 * @param status          HTTP status, 0 when no response came back
 * @param error           error code or exception, null when OK
 * @param versionId       the version id the server returned
 * @param etag            writes: the ETag the body must have; GET: the ETag returned
 * @param sha256          writes: sha256 of the body sent; GET: sha256 of the body received
 * @param size            body size in bytes (LIST: number of entries returned)
 * @param deleteMarker    DELETE: the server reported a delete marker; GET: the key's latest is a marker
 */
public record Op(
    long id,
    int worker,
    OpType type,
    String bucket,
    String key,
    String targetVersionId,
    String via,
    String viaRegion,
    long start,
    long end,
    Outcome outcome,
    int status,
    String error,
    String versionId,
    String etag,
    String sha256,
    long size,
    boolean deleteMarker) {

  /** The S3 operations of the workload. */
  public enum OpType {
    PUT, MPU, DELETE, DELETE_VERSION, GET, LIST;

    /** Whether the operation can create a version (or delete marker). */
    public boolean creates() {
      return this == PUT || this == MPU || this == DELETE;
    }
  }

  /** Jepsen's three outcomes: a request that timed out or lost its connection may have taken effect. */
  public enum Outcome { OK, FAIL, UNKNOWN }

  public boolean ok() {
    return outcome == Outcome.OK;
  }

  /** OK or UNKNOWN: the request may have taken effect. */
  public boolean mayHaveApplied() {
    return outcome != Outcome.FAIL;
  }

  public long latency() {
    return end - start;
  }

  /** A builder for the fields known before the request is sent. */
  public static Op started(long id, int worker, OpType type, String bucket, String key, String targetVersionId,
      String via, String viaRegion, long start, String etag, String sha256, long size) {
    return new Op(id, worker, type, bucket, key, targetVersionId, via, viaRegion, start, -1, Outcome.UNKNOWN, 0,
        null, null, etag, sha256, size, false);
  }

  public Op ok(long end, String versionId, boolean deleteMarker) {
    return new Op(id, worker, type, bucket, key, targetVersionId, via, viaRegion, start, end, Outcome.OK, 200, null,
        versionId, etag, sha256, size, deleteMarker);
  }

  /** A successful read: what came back replaces the expectations. */
  public Op read(long end, int status, String versionId, String etag, String sha256, long size, boolean deleteMarker) {
    return new Op(id, worker, type, bucket, key, targetVersionId, via, viaRegion, start, end, Outcome.OK, status, null,
        versionId, etag, sha256, size, deleteMarker);
  }

  public Op failed(long end, Outcome outcome, int status, String error) {
    return new Op(id, worker, type, bucket, key, targetVersionId, via, viaRegion, start, end, outcome, status, error,
        null, etag, sha256, size, false);
  }
}
