package dev.meridian.api.xml;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlText;
import java.util.List;

/** XML documents of the service and bucket operations (request and response bodies). */
public final class BucketXml {

  private BucketXml() {}

  public record Owner(@JsonProperty("ID") String id, @JsonProperty("DisplayName") String displayName) {}

  public record BucketEntry(
      @JsonProperty("Name") String name,
      @JsonProperty("CreationDate") String creationDate,
      @JsonProperty("BucketRegion") String bucketRegion) {}

  @JacksonXmlRootElement(localName = "ListAllMyBucketsResult", namespace = S3Xml.NS)
  public record ListAllMyBucketsResult(
      @JsonProperty("Owner") Owner owner,
      @JacksonXmlElementWrapper(localName = "Buckets", namespace = S3Xml.NS) @JacksonXmlProperty(localName = "Bucket") List<BucketEntry> buckets) {}

  /** CreateBucket's optional body. */
  @JacksonXmlRootElement(localName = "CreateBucketConfiguration")
  public record CreateBucketConfiguration(@JsonProperty("LocationConstraint") String locationConstraint) {}

  /** GetBucketLocation: empty for us-east-1, as AWS answers. */
  @JacksonXmlRootElement(localName = "LocationConstraint", namespace = S3Xml.NS)
  public record LocationConstraint(@JacksonXmlText String value) {}

  @JacksonXmlRootElement(localName = "VersioningConfiguration", namespace = S3Xml.NS)
  public record VersioningConfiguration(
      @JsonProperty("Status") String status,
      @JsonProperty("MfaDelete") String mfaDelete) {}
}
