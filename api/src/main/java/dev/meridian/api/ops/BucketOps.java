package dev.meridian.api.ops;

import dev.meridian.api.ApiSettings;
import dev.meridian.api.Bodies;
import dev.meridian.api.Responses;
import dev.meridian.api.S3Call;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.api.xml.BucketXml;
import dev.meridian.api.xml.S3Xml;
import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.bucket.BucketInfo;
import dev.meridian.cluster.bucket.Versioning;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;

/** Operations on a bucket itself: create, head, delete, location, versioning. */
public final class BucketOps {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?");
  private static final Pattern IP = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
  private static final int MAX_XML = 64 * 1024;

  private final BucketService buckets;
  private final ApiSettings settings;
  private final Materializer mat;

  public BucketOps(BucketService buckets, ApiSettings settings, Materializer mat) {
    this.buckets = buckets;
    this.settings = settings;
    this.mat = mat;
  }

  /**
   * S3's bucket naming rules for new buckets, except the minimum length, which is configuration: AWS says
   * 3, and Meridian defaults to 2 so that short names such as {@code b1} work in examples.
   */
  void validateName(String name) {
    boolean ok = name.length() >= settings.minBucketNameLength() && NAME.matcher(name).matches() && !IP.matcher(name).matches() && !name.contains("..")
        && !name.contains(".-") && !name.contains("-.") && !name.startsWith("xn--") && !name.startsWith("sthree-")
        && !name.endsWith("-s3alias") && !name.endsWith("--ol-s3");
    if (!ok) throw new S3Exception(S3Error.InvalidBucketName).with("BucketName", name);
  }

  /** The bucket a call addresses, from its home region's entity (NoSuchBucket if none). */
  static CompletionStage<BucketInfo> bucketOf(BucketService buckets, S3Call call) {
    return buckets.bucket(call.bucket());
  }

  public CompletionStage<HttpResponse> createBucket(S3Call call) {
    validateName(call.bucket());
    return Bodies.small(call, mat, MAX_XML).thenCompose(body -> {
      String region = defaultRegion(call);
      if (body.length > 0) {
        String constraint = S3Xml.read(body, BucketXml.CreateBucketConfiguration.class).locationConstraint();
        if (constraint != null && !constraint.isEmpty()) {
          if (!buckets.settings().regions().contains(constraint)) {
            throw new S3Exception(S3Error.InvalidLocationConstraint).with("LocationConstraint", constraint);
          }
          region = constraint;
        }
      }
      return buckets.createBucket(call.bucket(), region, call.owner());
    }).thenApply(info -> Responses.ok()
        .addHeader(Location.create("/" + info.name()))
        .addHeader(RawHeader.create("x-amz-bucket-region", info.region())));
  }

  /** Without a LocationConstraint S3 creates the bucket in us-east-1; Meridian too, if it has that region. */
  private String defaultRegion(S3Call call) {
    return buckets.settings().regions().contains("us-east-1") ? "us-east-1" : call.auth().region();
  }

  public CompletionStage<HttpResponse> headBucket(S3Call call) {
    return bucketOf(buckets, call).thenApply(info -> Responses.ok()
        .addHeader(RawHeader.create("x-amz-bucket-region", info.region()))
        .addHeader(RawHeader.create("x-amz-access-point-alias", "false")));
  }

  public CompletionStage<HttpResponse> deleteBucket(S3Call call) {
    return bucketOf(buckets, call).thenCompose(buckets::deleteBucket).thenApply(x -> Responses.noContent());
  }

  public CompletionStage<HttpResponse> getBucketLocation(S3Call call) {
    // us-east-1 is reported as an empty constraint, as AWS does.
    return bucketOf(buckets, call).thenApply(info -> Responses.xml(
        new BucketXml.LocationConstraint(info.region().equals("us-east-1") ? null : info.region())));
  }

  public CompletionStage<HttpResponse> getBucketVersioning(S3Call call) {
    return bucketOf(buckets, call).thenApply(info -> Responses.xml(new BucketXml.VersioningConfiguration(
        switch (info.versioning()) {
          case UNVERSIONED -> null;
          case ENABLED -> "Enabled";
          case SUSPENDED -> "Suspended";
        }, null)));
  }

  public CompletionStage<HttpResponse> putBucketVersioning(S3Call call) {
    return bucketOf(buckets, call).thenCompose(info -> Bodies.small(call, mat, MAX_XML).thenCompose(body -> {
      String status = S3Xml.read(body, BucketXml.VersioningConfiguration.class).status();
      Versioning v;
      if ("Enabled".equals(status)) v = Versioning.ENABLED;
      else if ("Suspended".equals(status)) v = Versioning.SUSPENDED;
      else throw new S3Exception(S3Error.MalformedXML);
      return buckets.setVersioning(info, v);
    })).thenApply(x -> Responses.ok());
  }
}
