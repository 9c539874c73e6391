package dev.meridian.api.xml;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import java.io.IOException;
import java.util.List;
import javax.xml.namespace.QName;

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

  /**
   * ListObjectVersions. Versions and delete markers form ONE sequence in listing order (by key, newest first),
   * each element named for its kind, as S3 writes it: clients (rclone, the chaos checker) rely on that order, which
   * a list of versions followed by a list of markers would lose. Jackson cannot name list items by their kind, so
   * this document has its own serializer.
   */
  @JacksonXmlRootElement(localName = "ListVersionsResult", namespace = S3Xml.NS)
  @JsonSerialize(using = ListVersionsSerializer.class)
  public record ListVersionsResult(
      String name,
      String prefix,
      String keyMarker,
      String versionIdMarker,
      String nextKeyMarker,
      String nextVersionIdMarker,
      int maxKeys,
      String delimiter,
      String encodingType,
      boolean isTruncated,
      List<VersionEntry> entries,
      List<CommonPrefix> commonPrefixes) {}

  /** One row of ListObjectVersions: a {@code <Version>} or a {@code <DeleteMarker>}. */
  public record VersionEntry(boolean deleteMarker, Version version) {}

  static final class ListVersionsSerializer extends StdSerializer<ListVersionsResult> {
    ListVersionsSerializer() {
      super(ListVersionsResult.class);
    }

    @Override
    public void serialize(ListVersionsResult r, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeStartObject();
      text(gen, "Name", r.name());
      text(gen, "Prefix", r.prefix());
      text(gen, "KeyMarker", r.keyMarker());
      text(gen, "VersionIdMarker", r.versionIdMarker());
      text(gen, "NextKeyMarker", r.nextKeyMarker());
      text(gen, "NextVersionIdMarker", r.nextVersionIdMarker());
      text(gen, "MaxKeys", Integer.toString(r.maxKeys()));
      text(gen, "Delimiter", r.delimiter());
      text(gen, "EncodingType", r.encodingType());
      text(gen, "IsTruncated", Boolean.toString(r.isTruncated()));
      for (VersionEntry e : r.entries()) {
        name(gen, e.deleteMarker() ? "DeleteMarker" : "Version");
        provider.defaultSerializeValue(e.version(), gen);
      }
      for (CommonPrefix p : r.commonPrefixes()) {
        name(gen, "CommonPrefixes");
        provider.defaultSerializeValue(p, gen);
      }
      gen.writeEndObject();
    }

    private static void text(JsonGenerator gen, String element, String value) throws IOException {
      if (value == null) return;
      name(gen, element);
      gen.writeString(value);
    }

    private static void name(JsonGenerator gen, String element) throws IOException {
      if (gen instanceof ToXmlGenerator xml) xml.setNextName(new QName(S3Xml.NS, element));
      gen.writeFieldName(element);
    }
  }
}
