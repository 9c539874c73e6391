package dev.meridian.api.xml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.ArrayList;
import java.util.List;

/**
 * The ReplicationConfiguration document (V1 and V2 schema), read by PutBucketReplication and written by
 * GetBucketReplication. Mutable classes: Jackson XML binds optional, nested and repeated elements to
 * fields reliably; an element that is absent stays null.
 */
public final class ReplicationXml {

  private ReplicationXml() {}

  @JacksonXmlRootElement(localName = "ReplicationConfiguration", namespace = S3Xml.NS)
  @JsonPropertyOrder({"Role", "Rule"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Configuration {
    @JsonProperty("Role") public String role;
    @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("Rule") public List<Rule> rules = new ArrayList<>();
  }

  @JsonPropertyOrder({"ID", "Priority", "Prefix", "Filter", "Status", "SourceSelectionCriteria",
      "ExistingObjectReplication", "Destination", "DeleteMarkerReplication"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Rule {
    @JsonProperty("ID") public String id;
    @JsonProperty("Priority") public Integer priority;
    @JsonProperty("Prefix") public String prefix;
    @JsonProperty("Filter") public Filter filter;
    @JsonProperty("Status") public String status;
    @JsonProperty("SourceSelectionCriteria") public SourceSelectionCriteria sourceSelectionCriteria;
    @JsonProperty("ExistingObjectReplication") public StatusElement existingObjectReplication;
    @JsonProperty("Destination") public Destination destination;
    @JsonProperty("DeleteMarkerReplication") public StatusElement deleteMarkerReplication;
  }

  @JsonPropertyOrder({"Prefix", "Tag", "And"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Filter {
    @JsonProperty("Prefix") public String prefix;
    @JsonProperty("Tag") public TaggingXml.Tag tag;
    @JsonProperty("And") public And and;
  }

  @JsonPropertyOrder({"Prefix", "Tag"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class And {
    @JsonProperty("Prefix") public String prefix;
    @JacksonXmlElementWrapper(useWrapping = false) @JsonProperty("Tag") public List<TaggingXml.Tag> tags;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class StatusElement {
    @JsonProperty("Status") public String status;

    public static StatusElement of(Boolean enabled) {
      if (enabled == null) return null;
      StatusElement s = new StatusElement();
      s.status = enabled ? "Enabled" : "Disabled";
      return s;
    }
  }

  @JsonPropertyOrder({"SseKmsEncryptedObjects", "ReplicaModifications"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class SourceSelectionCriteria {
    @JsonProperty("SseKmsEncryptedObjects") public StatusElement sseKmsEncryptedObjects;
    @JsonProperty("ReplicaModifications") public StatusElement replicaModifications;
  }

  @JsonPropertyOrder({"Bucket", "Account", "StorageClass", "AccessControlTranslation", "ReplicationTime", "Metrics"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Destination {
    @JsonProperty("Bucket") public String bucket;
    @JsonProperty("Account") public String account;
    @JsonProperty("StorageClass") public String storageClass;
    @JsonProperty("AccessControlTranslation") public AccessControlTranslation accessControlTranslation;
    @JsonProperty("ReplicationTime") public ReplicationTime replicationTime;
    @JsonProperty("Metrics") public Metrics metrics;
  }

  public static final class AccessControlTranslation {
    @JsonProperty("Owner") public String owner;
  }

  @JsonPropertyOrder({"Status", "Time"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class ReplicationTime {
    @JsonProperty("Status") public String status;
    @JsonProperty("Time") public Minutes time;
  }

  @JsonPropertyOrder({"Status", "EventThreshold"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Metrics {
    @JsonProperty("Status") public String status;
    @JsonProperty("EventThreshold") public Minutes eventThreshold;
  }

  public static final class Minutes {
    @JsonProperty("Minutes") public Integer minutes;
  }
}
