/**
 * AWS Signature Version 4 for the S3 endpoint: request verification as pure functions, and the
 * request-body stages that finish the job for signed payloads and aws-chunked uploads.
 *
 * <h2>Header flow (before reading the body)</h2>
 * <ol>
 *   <li>Build a {@link dev.meridian.api.auth.SigV4Request} from the raw request target (Pekko:
 *       {@code pekko.http.server.raw-request-uri-header = on}, split the {@code Raw-Request-URI}
 *       value at the first {@code ?}), the method, and every header in arrival order, adding back
 *       {@code Content-Type} and {@code Content-Length} from the entity.</li>
 *   <li>Call {@link dev.meridian.api.auth.SigV4Verifier#verify(SigV4Request, CredentialsProvider,
 *       java.time.Instant, java.util.Set)}. On {@code Failed} answer at once with
 *       {@code error().httpStatus()}, code {@code error().name()}, the message and the details
 *       (before reading the body, which also serves {@code Expect: 100-continue}); on
 *       {@code Anonymous} apply the bucket's public access or answer {@code AccessDenied}.</li>
 * </ol>
 *
 * <h2>Body flow (on {@code Verified})</h2>
 * <ul>
 *   <li>{@code SIGNED_SHA256}: {@code dataBytes.via(PayloadSha256Check.of(verified))}.</li>
 *   <li>{@code UNSIGNED_PAYLOAD}: the body as is.</li>
 *   <li>{@code STREAMING_*}: {@code dataBytes.viaMat(AwsChunkedDecoder.forVerified(verified,
 *       decodedLength), Keep.right())} where {@code decodedLength} is the
 *       {@code x-amz-decoded-content-length} header (the object's size); the materialised
 *       {@code CompletionStage} yields the trailers (e.g. {@code x-amz-checksum-crc32}) once the body
 *       has been verified. {@code Content-Encoding: aws-chunked} is framing: do not run it through
 *       Pekko's {@code decodeRequest}, and drop {@code aws-chunked} from the stored encoding.</li>
 * </ul>
 * Both stages fail the stream with a {@link dev.meridian.api.auth.ChunkedEncodingException} before it
 * completes, so the sink that writes the object must commit only on successful completion and turn
 * the exception into the S3 error it names.
 */
package dev.meridian.api.auth;
