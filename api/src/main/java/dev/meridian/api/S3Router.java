package dev.meridian.api;

import dev.meridian.api.access.S3Actions;
import dev.meridian.api.access.S3Authorizer;
import dev.meridian.api.ops.AclOps;
import dev.meridian.api.ops.BucketOps;
import dev.meridian.api.ops.CopyOps;
import dev.meridian.api.ops.CorsOps;
import dev.meridian.api.ops.ListOps;
import dev.meridian.api.ops.MultipartOps;
import dev.meridian.api.ops.ObjectOps;
import dev.meridian.api.ops.PolicyOps;
import dev.meridian.api.ops.ReplicationOps;
import dev.meridian.api.ops.ServiceOps;
import dev.meridian.api.ops.TaggingOps;
import dev.meridian.cluster.BucketService;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;

/**
 * Every S3 operation Meridian serves, in one table: method, scope (service, bucket or object) and the
 * sub-resource that selects it. Routes with a sub-resource come first so that {@code PUT /b?versioning}
 * never falls through to CreateBucket; a sub-resource S3 defines but Meridian does not serve answers
 * NotImplemented, and a method the resource does not support answers MethodNotAllowed. Each route's name
 * is its S3 operation, which {@link S3Actions} maps to the IAM permissions {@link S3Authorizer} checks
 * before the handler runs.
 */
public final class S3Router {

  enum Scope { SERVICE, BUCKET, OBJECT }

  /** The names of the operations, in table order (every one must have IAM actions: S3ActionsTest). */
  List<String> operations() {
    return routes.stream().map(Route::name).toList();
  }

  private record Route(String method, Scope scope, Predicate<S3Call> when, String name,
      Function<S3Call, CompletionStage<HttpResponse>> handler) {}

  /** The query parameters that select an S3 sub-resource (and so an operation other than the plain one). */
  static final Set<String> SUBRESOURCES = Set.of("accelerate", "acl", "analytics", "attributes", "cors", "delete",
      "encryption", "intelligent-tiering", "inventory", "legal-hold", "lifecycle", "location", "logging", "metrics",
      "notification", "object-lock", "ownershipControls", "policy", "policyStatus", "publicAccessBlock",
      "replication", "requestPayment", "restore", "retention", "select", "tagging", "torrent", "uploadId", "uploads",
      "versioning", "versions", "website");

  private final List<Route> routes;
  /** Decides whether the caller may run an operation, before it runs. */
  private final S3Authorizer authorizer;
  /** CORS also answers preflights and decorates responses, outside the route table (see S3Server). */
  final CorsOps cors;

  S3Router(BucketService buckets, ApiSettings settings, Materializer mat) {
    authorizer = new S3Authorizer(buckets);
    ServiceOps service = new ServiceOps(buckets);
    BucketOps bucket = new BucketOps(buckets, settings, mat);
    ListOps list = new ListOps(buckets);
    ObjectOps object = new ObjectOps(buckets, settings, mat);
    MultipartOps multipart = new MultipartOps(buckets, settings, mat);
    CopyOps copy = new CopyOps(buckets);
    ReplicationOps replication = new ReplicationOps(buckets, mat);
    TaggingOps tagging = new TaggingOps(buckets, mat);
    PolicyOps policy = new PolicyOps(buckets, mat);
    AclOps acl = new AclOps(buckets, mat);
    cors = new CorsOps(buckets, mat);
    routes = List.of(
        new Route("GET", Scope.SERVICE, c -> true, "ListBuckets", service::listBuckets),
        new Route("GET", Scope.BUCKET, sub("versioning"), "GetBucketVersioning", bucket::getBucketVersioning),
        new Route("PUT", Scope.BUCKET, sub("versioning"), "PutBucketVersioning", bucket::putBucketVersioning),
        new Route("PUT", Scope.BUCKET, sub("replication"), "PutBucketReplication", replication::putBucketReplication),
        new Route("GET", Scope.BUCKET, sub("replication"), "GetBucketReplication", replication::getBucketReplication),
        new Route("DELETE", Scope.BUCKET, sub("replication"), "DeleteBucketReplication", replication::deleteBucketReplication),
        new Route("GET", Scope.BUCKET, sub("location"), "GetBucketLocation", bucket::getBucketLocation),
        new Route("GET", Scope.BUCKET, sub("tagging"), "GetBucketTagging", tagging::getBucketTagging),
        new Route("PUT", Scope.BUCKET, sub("tagging"), "PutBucketTagging", tagging::putBucketTagging),
        new Route("DELETE", Scope.BUCKET, sub("tagging"), "DeleteBucketTagging", tagging::deleteBucketTagging),
        new Route("GET", Scope.BUCKET, sub("policy"), "GetBucketPolicy", policy::getBucketPolicy),
        new Route("PUT", Scope.BUCKET, sub("policy"), "PutBucketPolicy", policy::putBucketPolicy),
        new Route("DELETE", Scope.BUCKET, sub("policy"), "DeleteBucketPolicy", policy::deleteBucketPolicy),
        new Route("GET", Scope.BUCKET, sub("acl"), "GetBucketAcl", acl::getBucketAcl),
        new Route("PUT", Scope.BUCKET, sub("acl"), "PutBucketAcl", acl::putBucketAcl),
        new Route("GET", Scope.BUCKET, sub("cors"), "GetBucketCors", cors::getBucketCors),
        new Route("PUT", Scope.BUCKET, sub("cors"), "PutBucketCors", cors::putBucketCors),
        new Route("DELETE", Scope.BUCKET, sub("cors"), "DeleteBucketCors", cors::deleteBucketCors),
        new Route("GET", Scope.BUCKET, plain().and(c -> "2".equals(c.param("list-type"))), "ListObjectsV2", list::listObjectsV2),
        new Route("GET", Scope.BUCKET, plain(), "ListObjects", list::listObjects),
        new Route("PUT", Scope.BUCKET, plain(), "CreateBucket", bucket::createBucket),
        new Route("HEAD", Scope.BUCKET, plain(), "HeadBucket", bucket::headBucket),
        new Route("DELETE", Scope.BUCKET, plain(), "DeleteBucket", bucket::deleteBucket),
        new Route("GET", Scope.BUCKET, sub("uploads"), "ListMultipartUploads", multipart::listMultipartUploads),
        new Route("GET", Scope.BUCKET, sub("versions"), "ListObjectVersions", list::listObjectVersions),
        new Route("POST", Scope.BUCKET, sub("delete"), "DeleteObjects", c -> object.deleteObjects(c, (key, version) ->
            authorizer.allowed(c, S3Actions.forDeletedObject(c.bucket(), key, version)))),
        new Route("POST", Scope.OBJECT, sub("uploads"), "CreateMultipartUpload", multipart::createMultipartUpload),
        new Route("PUT", Scope.OBJECT, sub("uploadId").and(copy()), "UploadPartCopy", copy::uploadPartCopy),
        new Route("PUT", Scope.OBJECT, sub("uploadId"), "UploadPart", multipart::uploadPart),
        new Route("POST", Scope.OBJECT, sub("uploadId"), "CompleteMultipartUpload", multipart::completeMultipartUpload),
        new Route("DELETE", Scope.OBJECT, sub("uploadId"), "AbortMultipartUpload", multipart::abortMultipartUpload),
        new Route("GET", Scope.OBJECT, sub("uploadId"), "ListParts", multipart::listParts),
        new Route("GET", Scope.OBJECT, sub("acl"), "GetObjectAcl", acl::getObjectAcl),
        new Route("PUT", Scope.OBJECT, sub("acl"), "PutObjectAcl", acl::putObjectAcl),
        new Route("GET", Scope.OBJECT, sub("tagging"), "GetObjectTagging", tagging::getObjectTagging),
        new Route("PUT", Scope.OBJECT, sub("tagging"), "PutObjectTagging", tagging::putObjectTagging),
        new Route("DELETE", Scope.OBJECT, sub("tagging"), "DeleteObjectTagging", tagging::deleteObjectTagging),
        new Route("PUT", Scope.OBJECT, plain().and(copy()), "CopyObject", copy::copyObject),
        new Route("PUT", Scope.OBJECT, plain(), "PutObject", object::putObject),
        new Route("GET", Scope.OBJECT, plain(), "GetObject", object::getObject),
        new Route("HEAD", Scope.OBJECT, plain(), "HeadObject", object::headObject),
        new Route("DELETE", Scope.OBJECT, plain(), "DeleteObject", object::deleteObject));
  }

  private static Predicate<S3Call> sub(String name) {
    return c -> c.has(name);
  }

  private static Predicate<S3Call> copy() {
    return c -> c.header("x-amz-copy-source").isPresent();
  }

  private static Predicate<S3Call> plain() {
    return c -> c.query().keySet().stream().noneMatch(SUBRESOURCES::contains);
  }

  CompletionStage<HttpResponse> route(S3Call call) {
    Scope scope = call.bucket() == null ? Scope.SERVICE : call.key() == null ? Scope.BUCKET : Scope.OBJECT;
    boolean resourceKnown = false;
    for (Route r : routes) {
      if (r.scope() != scope || !r.when().test(call)) continue;
      resourceKnown = true;
      if (r.method().equals(call.method())) {
        return authorizer.authorize(r.name(), call).thenCompose(x -> r.handler().apply(call));
      }
    }
    if (!resourceKnown && call.query().keySet().stream().anyMatch(SUBRESOURCES::contains)) {
      throw new S3Exception(S3Error.NotImplemented, "This operation is not implemented by Meridian.");
    }
    throw new S3Exception(S3Error.MethodNotAllowed);
  }
}
