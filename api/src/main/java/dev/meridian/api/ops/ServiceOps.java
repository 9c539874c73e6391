package dev.meridian.api.ops;

import dev.meridian.api.Responses;
import dev.meridian.api.S3Call;
import dev.meridian.api.xml.BucketXml;
import dev.meridian.api.xml.S3Xml;
import dev.meridian.cluster.BucketService;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** Operations on the service: ListBuckets. */
public final class ServiceOps {

  private final BucketService buckets;

  public ServiceOps(BucketService buckets) {
    this.buckets = buckets;
  }

  public CompletionStage<HttpResponse> listBuckets(S3Call call) {
    return buckets.listBuckets(call.owner()).thenApply(all -> Responses.xml(new BucketXml.ListAllMyBucketsResult(
        new BucketXml.Owner(call.owner(), call.owner()),
        all.stream().map(e -> new BucketXml.BucketEntry(e.name(), S3Xml.timestamp(e.created().toEpochMilli()), e.region()))
            .toList())));
  }
}
