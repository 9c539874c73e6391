package dev.meridian.cluster.bucket;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bucket's replication configuration as its entity keeps it: the role replication acts as, and the
 * rules, each with everything S3's V2 schema allows (the V1 top-level prefix form too), so that
 * GetBucketReplication returns what was put. Not a wire type: the S3 API maps its XML to and from this.
 */
public record ReplicationConfig(String role, List<Rule> rules) {

  public ReplicationConfig {
    rules = List.copyOf(rules);
  }

  /**
   * One rule. {@code filter} false means the V1 form (a top-level Prefix, no Filter element). Booleans
   * that S3 represents as optional Status elements are null when the element was absent.
   */
  public record Rule(
      String id,
      Integer priority,
      boolean enabled,
      boolean filter,
      String prefix,
      Map<String, String> tags,
      Boolean deleteMarkerReplication,
      Boolean existingObjectReplication,
      Boolean replicaModifications,
      Boolean sseKmsEncryptedObjects,
      Destination destination) {

    public Rule {
      tags = tags == null ? Map.of() : new TreeMap<>(tags);
      prefix = prefix == null ? "" : prefix;
    }

    /** Whether this rule covers a version with this key and these tags. */
    public boolean matches(String key, Map<String, String> objectTags) {
      if (!enabled || !key.startsWith(prefix)) return false;
      for (var t : tags.entrySet()) {
        if (!t.getValue().equals(objectTags.get(t.getKey()))) return false;
      }
      return true;
    }

    /** Delete markers are replicated only when enabled, and never by rules with a tag filter. */
    public boolean replicatesDeleteMarkers() {
      return Boolean.TRUE.equals(deleteMarkerReplication) && tags.isEmpty();
    }
  }

  /**
   * Where a rule replicates to. {@code replicationTimeMinutes} and {@code metricsMinutes} are null when
   * S3 RTC or metrics are not enabled (S3 allows only 15).
   */
  public record Destination(
      String bucket,
      String account,
      String storageClass,
      String ownerOverride,
      Integer replicationTimeMinutes,
      Integer metricsMinutes) {}

  /** The destination buckets of the enabled rules. */
  public List<String> destinationBuckets() {
    return rules.stream().filter(Rule::enabled).map(r -> r.destination().bucket()).distinct().toList();
  }
}
