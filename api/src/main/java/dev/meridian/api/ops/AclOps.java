package dev.meridian.api.ops;

import dev.meridian.api.Bodies;
import dev.meridian.api.Responses;
import dev.meridian.api.S3Call;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.api.xml.AclXml;
import dev.meridian.api.xml.S3Xml;
import dev.meridian.cluster.BucketService;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;

/**
 * ACLs as S3 serves them for buckets whose Object Ownership is "bucket owner enforced" (the default for
 * new buckets since 2023, and Meridian's only mode): reading an ACL answers the owner's FULL_CONTROL;
 * setting one succeeds only if it grants nothing else (canned {@code private} or
 * {@code bucket-owner-full-control}, or that one grant), otherwise AccessControlListNotSupported.
 * Access is governed by IAM and bucket policies instead.
 */
public final class AclOps {

  private static final int MAX_XML = 64 * 1024;
  private static final Set<String> OWNER_ONLY = Set.of("private", "bucket-owner-full-control");

  private final BucketService buckets;
  private final Materializer mat;

  public AclOps(BucketService buckets, Materializer mat) {
    this.buckets = buckets;
    this.mat = mat;
  }

  public CompletionStage<HttpResponse> getBucketAcl(S3Call call) {
    return BucketOps.bucketOf(buckets, call).thenApply(b -> xml(AclXml.ownerFullControl(b.owner())));
  }

  public CompletionStage<HttpResponse> getObjectAcl(S3Call call) {
    String versionId = ObjectOps.versionIdParam(call);
    return BucketOps.bucketOf(buckets, call).thenCompose(b -> buckets.version(b, call.key(), versionId).thenApply(found -> {
      var v = found.orElseThrow(() -> versionId != null
          ? new S3Exception(S3Error.NoSuchVersion).with("Key", call.key()).with("VersionId", versionId)
          : new S3Exception(S3Error.NoSuchKey).with("Key", call.key()));
      if (v.deleteMarker()) {
        throw versionId != null ? new S3Exception(S3Error.MethodNotAllowed).with("ResourceType", "DeleteMarker")
            : new S3Exception(S3Error.NoSuchKey).with("Key", call.key());
      }
      return ObjectOps.withVersionHeader(xml(AclXml.ownerFullControl(b.owner())), b, v);
    }));
  }

  public CompletionStage<HttpResponse> putBucketAcl(S3Call call) {
    return BucketOps.bucketOf(buckets, call).thenCompose(b -> checkOwnerOnly(call, b.owner())).thenApply(x -> Responses.ok());
  }

  public CompletionStage<HttpResponse> putObjectAcl(S3Call call) {
    String versionId = ObjectOps.versionIdParam(call);
    return BucketOps.bucketOf(buckets, call).thenCompose(b -> buckets.version(b, call.key(), versionId).thenCompose(found -> {
      if (found.isEmpty() || found.get().deleteMarker()) {
        throw versionId != null ? new S3Exception(S3Error.NoSuchVersion).with("Key", call.key())
            : new S3Exception(S3Error.NoSuchKey).with("Key", call.key());
      }
      return checkOwnerOnly(call, b.owner()).thenApply(x -> ObjectOps.withVersionHeader(Responses.ok(), b, found.get()));
    }));
  }

  private static HttpResponse xml(byte[] document) {
    return HttpResponse.create().withEntity(HttpEntities.create(Responses.XML, document));
  }

  /** Accepts an ACL that grants the owner FULL_CONTROL and nothing else; refuses any other. */
  private CompletionStage<Void> checkOwnerOnly(S3Call call, String owner) {
    for (HttpHeader h : call.request().getHeaders()) {
      if (h.lowercaseName().startsWith("x-amz-grant-")) throw notSupported();
    }
    String canned = call.headerOrNull("x-amz-acl");
    if (canned != null && !OWNER_ONLY.contains(canned)) throw notSupported();
    return Bodies.small(call, mat, MAX_XML).thenAccept(body -> {
      if (body.length == 0) {
        if (canned == null) throw new S3Exception(S3Error.MissingSecurityHeader);
        return;
      }
      AclXml.AccessControlPolicy policy = S3Xml.read(body, AclXml.AccessControlPolicy.class);
      if (policy.grants == null) throw new S3Exception(S3Error.MalformedACLError);
      for (AclXml.Grant g : policy.grants) {
        boolean ownerFull = g != null && g.grantee != null && owner.equals(g.grantee.id) && "FULL_CONTROL".equals(g.permission);
        if (!ownerFull) throw notSupported();
      }
    });
  }

  private static S3Exception notSupported() {
    return new S3Exception(S3Error.AccessControlListNotSupported);
  }
}
