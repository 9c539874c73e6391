package dev.meridian.cluster.bucket;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.meridian.cluster.CborSerializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A part of a bucket's configuration that S3 sets, reads and deletes as a whole and that the cluster only
 * stores: tags, policy, CORS rules. Setting the empty value (no tags, no policy, no rules) removes it.
 * (Policies are enforced by the access-control layer; CORS rules by the S3 endpoint.)
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = BucketSetting.Tagging.class, name = "tagging"),
    @JsonSubTypes.Type(value = BucketSetting.Policy.class, name = "policy"),
    @JsonSubTypes.Type(value = BucketSetting.Cors.class, name = "cors")})
public sealed interface BucketSetting extends CborSerializable {

  /** The bucket's tags (empty: none). */
  record Tagging(Map<String, String> tags) implements BucketSetting {
    public Tagging {
      tags = tags == null ? Map.of() : new TreeMap<>(tags);
    }
  }

  /** The bucket policy, the JSON document as the client sent it (null: none). */
  record Policy(String json) implements BucketSetting {}

  /** The CORS rules, in the order S3 evaluates them (empty: none). */
  record Cors(List<CorsRule> rules) implements BucketSetting {
    public Cors {
      rules = rules == null ? List.of() : List.copyOf(rules);
    }
  }
}
