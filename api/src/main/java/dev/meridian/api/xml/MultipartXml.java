package dev.meridian.api.xml;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.ArrayList;
import java.util.List;

/** XML documents of multipart upload. */
public final class MultipartXml {

  private MultipartXml() {}

  @JacksonXmlRootElement(localName = "InitiateMultipartUploadResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({"Bucket", "Key", "UploadId"})
  public record InitiateMultipartUploadResult(
      @JsonProperty("Bucket") String bucket, @JsonProperty("Key") String key, @JsonProperty("UploadId") String uploadId) {}

  /** CompleteMultipartUpload's body (a mutable class: Jackson XML binds unwrapped lists reliably to fields). */
  @JacksonXmlRootElement(localName = "CompleteMultipartUpload")
  public static final class CompleteMultipartUpload {
    @JacksonXmlElementWrapper(useWrapping = false)
    @JsonProperty("Part")
    public List<CompletedPart> parts = new ArrayList<>();
  }

  public static final class CompletedPart {
    @JsonProperty("PartNumber")
    public Integer partNumber;
    @JsonProperty("ETag")
    public String etag;
  }

  @JacksonXmlRootElement(localName = "CompleteMultipartUploadResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({"Location", "Bucket", "Key", "ETag"})
  public record CompleteMultipartUploadResult(
      @JsonProperty("Location") String location, @JsonProperty("Bucket") String bucket,
      @JsonProperty("Key") String key, @JsonProperty("ETag") String etag) {}

  @JsonPropertyOrder({"PartNumber", "LastModified", "ETag", "Size"})
  public record PartEntry(
      @JsonProperty("PartNumber") int partNumber, @JsonProperty("LastModified") String lastModified,
      @JsonProperty("ETag") String etag, @JsonProperty("Size") long size) {}

  @JacksonXmlRootElement(localName = "ListPartsResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({"Bucket", "Key", "UploadId", "PartNumberMarker", "NextPartNumberMarker", "MaxParts",
      "IsTruncated", "Part", "Initiator", "Owner", "StorageClass"})
  public record ListPartsResult(
      @JsonProperty("Bucket") String bucket, @JsonProperty("Key") String key, @JsonProperty("UploadId") String uploadId,
      @JsonProperty("PartNumberMarker") int partNumberMarker, @JsonProperty("NextPartNumberMarker") Integer nextPartNumberMarker,
      @JsonProperty("MaxParts") int maxParts, @JsonProperty("IsTruncated") boolean isTruncated,
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("Part") List<PartEntry> parts,
      @JsonProperty("Initiator") BucketXml.Owner initiator, @JsonProperty("Owner") BucketXml.Owner owner,
      @JsonProperty("StorageClass") String storageClass) {}

  @JsonPropertyOrder({"Key", "UploadId", "Initiator", "Owner", "StorageClass", "Initiated"})
  public record UploadEntry(
      @JsonProperty("Key") String key, @JsonProperty("UploadId") String uploadId,
      @JsonProperty("Initiator") BucketXml.Owner initiator, @JsonProperty("Owner") BucketXml.Owner owner,
      @JsonProperty("StorageClass") String storageClass, @JsonProperty("Initiated") String initiated) {}

  @JacksonXmlRootElement(localName = "ListMultipartUploadsResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({"Bucket", "KeyMarker", "UploadIdMarker", "NextKeyMarker", "NextUploadIdMarker", "Prefix",
      "Delimiter", "MaxUploads", "IsTruncated", "Upload", "CommonPrefixes"})
  public record ListMultipartUploadsResult(
      @JsonProperty("Bucket") String bucket, @JsonProperty("KeyMarker") String keyMarker,
      @JsonProperty("UploadIdMarker") String uploadIdMarker, @JsonProperty("NextKeyMarker") String nextKeyMarker,
      @JsonProperty("NextUploadIdMarker") String nextUploadIdMarker, @JsonProperty("Prefix") String prefix,
      @JsonProperty("Delimiter") String delimiter, @JsonProperty("MaxUploads") int maxUploads,
      @JsonProperty("IsTruncated") boolean isTruncated,
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("Upload") List<UploadEntry> uploads,
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("CommonPrefixes") List<ListXml.CommonPrefix> commonPrefixes) {}
}
