package dev.meridian.chaos.history;

import java.util.List;
import java.util.Optional;

/**
 * The buckets of a run and their replication rules: the model the workload writes to and the checker
 * judges against. The default plan has a source bucket in the first region replicating across regions
 * (CRR, with delete markers) and within its region (SRR, a prefix, without delete markers), and a two-way
 * pair of buckets in two regions replicating to each other.
 */
public record BucketPlan(List<Bucket> buckets, List<Rule> rules) {

  /** A bucket, its home region and whether the workload writes to it (destinations only get replicas). */
  public record Bucket(String name, String region, boolean written) {}

  /**
   * A replication rule: versions of {@code source} whose key starts with {@code prefix} owe a replica in
   * {@code destination}; delete markers too when {@code deleteMarkers}.
   */
  public record Rule(String id, String source, String destination, String prefix, boolean deleteMarkers,
      int priority) {

    public boolean covers(String key, boolean deleteMarker) {
      return key.startsWith(prefix) && (!deleteMarker || deleteMarkers);
    }
  }

  public BucketPlan {
    buckets = List.copyOf(buckets);
    rules = List.copyOf(rules);
  }

  /**
   * The standard plan for two regions {@code a} and {@code b}; bucket names end with {@code suffix}.
   * SRR covers the keys under {@code k/} only, so versions under other prefixes must not appear there.
   */
  public static BucketPlan standard(String a, String b, String suffix) {
    String src = "src-" + suffix;
    String crr = "crr-" + suffix;
    String srr = "srr-" + suffix;
    String pa = "pair-a-" + suffix;
    String pb = "pair-b-" + suffix;
    return new BucketPlan(
        List.of(new Bucket(src, a, true), new Bucket(crr, b, false), new Bucket(srr, a, false),
            new Bucket(pa, a, true), new Bucket(pb, b, true)),
        List.of(new Rule("crr", src, crr, "", true, 2), new Rule("srr", src, srr, "k/", false, 1),
            new Rule("pair-ab", pa, pb, "", true, 1), new Rule("pair-ba", pb, pa, "", true, 1)));
  }

  public Optional<Bucket> bucket(String name) {
    return buckets.stream().filter(b -> b.name().equals(name)).findFirst();
  }

  public String home(String bucket) {
    return bucket(bucket).map(Bucket::region).orElseThrow(() -> new IllegalArgumentException("no bucket " + bucket));
  }

  public List<Rule> rulesFrom(String source) {
    return rules.stream().filter(r -> r.source().equals(source)).toList();
  }

  /** The rule replicating {@code source} into {@code destination}, if any. */
  public Optional<Rule> rule(String source, String destination) {
    return rules.stream().filter(r -> r.source().equals(source) && r.destination().equals(destination)).findFirst();
  }

  /** Buckets the workload writes to. */
  public List<Bucket> written() {
    return buckets.stream().filter(Bucket::written).toList();
  }

  /** Regions that have buckets. */
  public List<String> regions() {
    return buckets.stream().map(Bucket::region).distinct().toList();
  }
}
