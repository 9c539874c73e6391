package dev.meridian.api.xml;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.ArrayList;
import java.util.List;

/** XML documents of object operations: DeleteObjects, CopyObject, UploadPartCopy. */
public final class ObjectXml {

  private ObjectXml() {}

  /** DeleteObjects' body (a mutable class: Jackson XML binds unwrapped lists reliably to fields). */
  @JacksonXmlRootElement(localName = "Delete")
  public static final class Delete {
    @JsonProperty("Quiet")
    public Boolean quiet;
    @JacksonXmlElementWrapper(useWrapping = false)
    @JsonProperty("Object")
    public List<ObjectIdentifier> objects = new ArrayList<>();
  }

  public static final class ObjectIdentifier {
    @JsonProperty("Key")
    public String key;
    @JsonProperty("VersionId")
    public String versionId;
  }

  @JsonPropertyOrder({"Key", "VersionId", "DeleteMarker", "DeleteMarkerVersionId"})
  public record Deleted(
      @JsonProperty("Key") String key,
      @JsonProperty("VersionId") String versionId,
      @JsonProperty("DeleteMarker") Boolean deleteMarker,
      @JsonProperty("DeleteMarkerVersionId") String deleteMarkerVersionId) {}

  @JsonPropertyOrder({"Key", "VersionId", "Code", "Message"})
  public record DeleteError(
      @JsonProperty("Key") String key,
      @JsonProperty("VersionId") String versionId,
      @JsonProperty("Code") String code,
      @JsonProperty("Message") String message) {}

  @JacksonXmlRootElement(localName = "DeleteResult", namespace = S3Xml.NS)
  public record DeleteResult(
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("Deleted") List<Deleted> deleted,
      @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("Error") List<DeleteError> errors) {}

  @JacksonXmlRootElement(localName = "CopyObjectResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({"LastModified", "ETag"})
  public record CopyObjectResult(@JsonProperty("LastModified") String lastModified, @JsonProperty("ETag") String etag) {}

  @JacksonXmlRootElement(localName = "CopyPartResult", namespace = S3Xml.NS)
  @JsonPropertyOrder({"LastModified", "ETag"})
  public record CopyPartResult(@JsonProperty("LastModified") String lastModified, @JsonProperty("ETag") String etag) {}
}
