package dev.meridian.api.xml;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/** XML documents of the listing operations. */
public final class ListXml {

  private ListXml() {}

  @JsonPropertyOrder({"Key", "LastModified", "ETag", "Size", "StorageClass", "Owner"})
  public record Contents(
      @JsonProperty("Key") String key,
      @JsonProperty("LastModified") String lastModified,
      @JsonProperty("ETag") String etag,
      @JsonProperty("Size") long size,
      @JsonProperty("StorageClass") String storageClass,
      @JsonProperty("Owner") BucketXml.Owner owner) {}

  public record CommonPrefix(@JsonProperty("Prefix") String prefix) {}

  /** ListObjectsV2 and ListObjects (v1) share the root element; the version-specific fields are null in the other. */
  @JacksonXmlRootElement(localName = "ListBucketResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({"Name", "Prefix", "Marker", "NextMarker", "ContinuationToken", "NextContinuationToken",
      "StartAfter", "KeyCount", "MaxKeys", "Delimiter", "EncodingType", "IsTruncated", "Contents", "CommonPrefixes"})
  public record ListBucketResult(
      @JsonProperty("Name") String name,
      @JsonProperty("Prefix") String prefix,
      @JsonProperty("Marker") String marker,
      @JsonProperty("NextMarker") String nextMarker,
      @JsonProperty("ContinuationToken") String continuationToken,
      @JsonProperty("NextContinuationToken") String nextContinuationToken,
      @JsonProperty("StartAfter") String startAfter,
      @JsonProperty("KeyCount") Integer keyCount,
      @JsonProperty("MaxKeys") int maxKeys,
      @JsonProperty("Delimiter") String delimiter,
      @JsonProperty("EncodingType") String encodingType,
      @JsonProperty("IsTruncated") boolean isTruncated,
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("Contents") List<Contents> contents,
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("CommonPrefixes") List<CommonPrefix> commonPrefixes) {}

  @JsonPropertyOrder({"Key", "VersionId", "IsLatest", "LastModified", "ETag", "Size", "StorageClass", "Owner"})
  public record Version(
      @JsonProperty("Key") String key,
      @JsonProperty("VersionId") String versionId,
      @JsonProperty("IsLatest") boolean isLatest,
      @JsonProperty("LastModified") String lastModified,
      @JsonProperty("ETag") String etag,
      @JsonProperty("Size") Long size,
      @JsonProperty("StorageClass") String storageClass,
      @JsonProperty("Owner") BucketXml.Owner owner) {}

  @JacksonXmlRootElement(localName = "ListVersionsResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({"Name", "Prefix", "KeyMarker", "VersionIdMarker", "NextKeyMarker", "NextVersionIdMarker",
      "MaxKeys", "Delimiter", "EncodingType", "IsTruncated", "Version", "DeleteMarker", "CommonPrefixes"})
  public record ListVersionsResult(
      @JsonProperty("Name") String name,
      @JsonProperty("Prefix") String prefix,
      @JsonProperty("KeyMarker") String keyMarker,
      @JsonProperty("VersionIdMarker") String versionIdMarker,
      @JsonProperty("NextKeyMarker") String nextKeyMarker,
      @JsonProperty("NextVersionIdMarker") String nextVersionIdMarker,
      @JsonProperty("MaxKeys") int maxKeys,
      @JsonProperty("Delimiter") String delimiter,
      @JsonProperty("EncodingType") String encodingType,
      @JsonProperty("IsTruncated") boolean isTruncated,
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("Version") List<Version> versions,
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("DeleteMarker") List<Version> deleteMarkers,
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("CommonPrefixes") List<CommonPrefix> commonPrefixes) {}
}
