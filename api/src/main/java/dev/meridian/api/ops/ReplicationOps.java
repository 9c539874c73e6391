package dev.meridian.api.ops;

import dev.meridian.api.Bodies;
import dev.meridian.api.Responses;
import dev.meridian.api.S3Call;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.api.xml.ReplicationXml;
import dev.meridian.api.xml.TaggingXml;
import dev.meridian.api.xml.S3Xml;
import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.bucket.ReplicationConfig;
import dev.meridian.cluster.bucket.Versioning;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;

/**
 * Put/Get/DeleteBucketReplication with S3's validation: versioning enabled on the source, every
 * destination an existing bucket with versioning enabled, unique rule ids, priorities given and distinct
 * in the V2 schema, no delete marker replication with a tag filter. The configuration is kept in the
 * bucket's entity; the replication module acts on it.
 */
public final class ReplicationOps {

  static final String ARN_PREFIX = "arn:aws:s3:::";
  private static final int MAX_RULES = 1000;

  private final BucketService buckets;
  private final Materializer mat;

  public ReplicationOps(BucketService buckets, Materializer mat) {
    this.buckets = buckets;
    this.mat = mat;
  }

  public CompletionStage<HttpResponse> putBucketReplication(S3Call call) {
    return BucketOps.bucketOf(buckets, call).thenCompose(bucket -> Bodies.small(call, mat, 1024 * 1024)
        .thenCompose(body -> {
          if (bucket.versioning() != Versioning.ENABLED) {
            throw new S3Exception(S3Error.InvalidRequest,
                "Versioning must be 'Enabled' on the bucket to apply a replication configuration");
          }
          ReplicationConfig config = toDomain(S3Xml.read(body, ReplicationXml.Configuration.class));
          return checkDestinations(config).thenCompose(x -> buckets.setReplication(bucket, config));
        })).thenApply(x -> Responses.ok());
  }

  public CompletionStage<HttpResponse> getBucketReplication(S3Call call) {
    return BucketOps.bucketOf(buckets, call).thenApply(bucket -> {
      if (bucket.replication() == null) {
        throw new S3Exception(S3Error.ReplicationConfigurationNotFoundError).with("BucketName", bucket.name());
      }
      return Responses.xml(toXml(bucket.replication()));
    });
  }

  public CompletionStage<HttpResponse> deleteBucketReplication(S3Call call) {
    return BucketOps.bucketOf(buckets, call).thenCompose(bucket -> buckets.setReplication(bucket, null))
        .thenApply(x -> Responses.noContent());
  }

  /** Every destination must exist and have versioning enabled. */
  private CompletionStage<Void> checkDestinations(ReplicationConfig config) {
    CompletionStage<Void> all = CompletableFuture.completedFuture(null);
    for (String dest : config.destinationBuckets()) {
      all = all.thenCompose(x -> buckets.bucket(dest).handle((info, err) -> {
        if (err != null) throw new S3Exception(S3Error.InvalidRequest, "Destination bucket must exist.").with("BucketName", dest);
        if (info.versioning() != Versioning.ENABLED) {
          throw new S3Exception(S3Error.InvalidRequest, "Destination bucket must have versioning enabled.")
              .with("BucketName", dest);
        }
        return null;
      }));
    }
    return all;
  }

  static ReplicationConfig toDomain(ReplicationXml.Configuration doc) {
    if (doc.role == null || doc.role.isBlank()) throw new S3Exception(S3Error.MalformedXML);
    if (doc.rules == null || doc.rules.isEmpty() || doc.rules.size() > MAX_RULES) throw new S3Exception(S3Error.MalformedXML);
    boolean v2 = doc.rules.stream().anyMatch(r -> r.filter != null);
    boolean v1 = doc.rules.stream().anyMatch(r -> r.filter == null);
    if (v1 && v2) {
      throw new S3Exception(S3Error.InvalidRequest, "Rules must all use Filter or all use Prefix: the two schema "
          + "versions cannot be mixed in one replication configuration.");
    }
    Set<String> ids = new HashSet<>();
    Set<Integer> priorities = new HashSet<>();
    List<ReplicationConfig.Rule> rules = new ArrayList<>();
    for (ReplicationXml.Rule r : doc.rules) {
      ReplicationConfig.Rule rule = rule(r, v2);
      if (!ids.add(rule.id())) throw new S3Exception(S3Error.InvalidArgument, "Rule Id must be unique.");
      if (v2 && !priorities.add(rule.priority())) {
        throw new S3Exception(S3Error.InvalidRequest, "Found overlapping priority: " + rule.priority()
            + ". Each rule must have a distinct priority.");
      }
      rules.add(rule);
    }
    return new ReplicationConfig(doc.role, rules);
  }

  private static ReplicationConfig.Rule rule(ReplicationXml.Rule r, boolean v2) {
    boolean enabled = status(r.status);
    if (r.destination == null || r.destination.bucket == null || !r.destination.bucket.startsWith(ARN_PREFIX)) {
      throw new S3Exception(S3Error.InvalidArgument, "Invalid bucket ARN.")
          .with("ArgumentName", "Destination.Bucket").with("ArgumentValue", r.destination == null ? null : r.destination.bucket);
    }
    String prefix = r.prefix;
    Map<String, String> tags = new LinkedHashMap<>();
    if (v2) {
      if (r.prefix != null) throw new S3Exception(S3Error.MalformedXML);
      if (r.priority == null) {
        throw new S3Exception(S3Error.InvalidRequest,
            "Priority must be specified for this version of Cross Region Replication configuration schema.");
      }
      if (r.deleteMarkerReplication == null) {
        throw new S3Exception(S3Error.InvalidRequest,
            "DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.");
      }
      ReplicationXml.Filter f = r.filter;
      int parts = (f.prefix != null ? 1 : 0) + (f.tag != null ? 1 : 0) + (f.and != null ? 1 : 0);
      if (parts > 1) throw new S3Exception(S3Error.MalformedXML);
      if (f.prefix != null) prefix = f.prefix;
      if (f.tag != null) tags.put(f.tag.key, f.tag.value);
      if (f.and != null) {
        prefix = f.and.prefix;
        if (f.and.tags != null) f.and.tags.forEach(t -> tags.put(t.key, t.value));
      }
    }
    Boolean deleteMarkers = r.deleteMarkerReplication == null ? null : status(r.deleteMarkerReplication.status);
    if (Boolean.TRUE.equals(deleteMarkers) && !tags.isEmpty()) {
      throw new S3Exception(S3Error.InvalidRequest, "Delete marker replication is not supported if any Tag filter is specified.");
    }
    ReplicationXml.Destination d = r.destination;
    Integer rtc = d.replicationTime != null && status(d.replicationTime.status) ? 15 : null;
    Integer metrics = d.metrics != null && status(d.metrics.status) ? 15 : null;
    if (rtc != null && metrics == null) {
      throw new S3Exception(S3Error.InvalidRequest, "Replication Time Control must be used in conjunction with metrics.");
    }
    if (d.storageClass != null && !ObjectHeaders.STORAGE_CLASSES.contains(d.storageClass)) {
      throw new S3Exception(S3Error.InvalidStorageClass);
    }
    var destination = new ReplicationConfig.Destination(d.bucket.substring(ARN_PREFIX.length()), d.account,
        d.storageClass, d.accessControlTranslation == null ? null : d.accessControlTranslation.owner, rtc, metrics);
    var ssc = r.sourceSelectionCriteria;
    return new ReplicationConfig.Rule(
        r.id == null || r.id.isBlank() ? UUID.randomUUID().toString() : r.id,
        r.priority,
        enabled, v2, prefix, tags, deleteMarkers,
        r.existingObjectReplication == null ? null : status(r.existingObjectReplication.status),
        ssc == null || ssc.replicaModifications == null ? null : status(ssc.replicaModifications.status),
        ssc == null || ssc.sseKmsEncryptedObjects == null ? null : status(ssc.sseKmsEncryptedObjects.status),
        destination);
  }

  private static boolean status(String s) {
    if ("Enabled".equals(s)) return true;
    if ("Disabled".equals(s)) return false;
    throw new S3Exception(S3Error.MalformedXML);
  }

  static ReplicationXml.Configuration toXml(ReplicationConfig config) {
    ReplicationXml.Configuration doc = new ReplicationXml.Configuration();
    doc.role = config.role();
    for (ReplicationConfig.Rule r : config.rules()) {
      ReplicationXml.Rule x = new ReplicationXml.Rule();
      x.id = r.id();
      x.priority = r.priority();
      x.status = r.enabled() ? "Enabled" : "Disabled";
      if (r.filter()) {
        x.filter = new ReplicationXml.Filter();
        if (r.tags().isEmpty()) {
          x.filter.prefix = r.prefix().isEmpty() ? null : r.prefix();
        } else if (r.tags().size() == 1 && r.prefix().isEmpty()) {
          var only = r.tags().entrySet().iterator().next();
          x.filter.tag = TaggingXml.Tag.of(only.getKey(), only.getValue());
        } else {
          x.filter.and = new ReplicationXml.And();
          x.filter.and.prefix = r.prefix().isEmpty() ? null : r.prefix();
          x.filter.and.tags = r.tags().entrySet().stream().map(e -> TaggingXml.Tag.of(e.getKey(), e.getValue())).toList();
        }
      } else {
        x.prefix = r.prefix();
      }
      x.deleteMarkerReplication = ReplicationXml.StatusElement.of(r.deleteMarkerReplication());
      x.existingObjectReplication = ReplicationXml.StatusElement.of(r.existingObjectReplication());
      if (r.replicaModifications() != null || r.sseKmsEncryptedObjects() != null) {
        x.sourceSelectionCriteria = new ReplicationXml.SourceSelectionCriteria();
        x.sourceSelectionCriteria.replicaModifications = ReplicationXml.StatusElement.of(r.replicaModifications());
        x.sourceSelectionCriteria.sseKmsEncryptedObjects = ReplicationXml.StatusElement.of(r.sseKmsEncryptedObjects());
      }
      ReplicationConfig.Destination d = r.destination();
      x.destination = new ReplicationXml.Destination();
      x.destination.bucket = ARN_PREFIX + d.bucket();
      x.destination.account = d.account();
      x.destination.storageClass = d.storageClass();
      if (d.ownerOverride() != null) {
        x.destination.accessControlTranslation = new ReplicationXml.AccessControlTranslation();
        x.destination.accessControlTranslation.owner = d.ownerOverride();
      }
      if (d.replicationTimeMinutes() != null) {
        x.destination.replicationTime = new ReplicationXml.ReplicationTime();
        x.destination.replicationTime.status = "Enabled";
        x.destination.replicationTime.time = minutes(d.replicationTimeMinutes());
      }
      if (d.metricsMinutes() != null) {
        x.destination.metrics = new ReplicationXml.Metrics();
        x.destination.metrics.status = "Enabled";
        x.destination.metrics.eventThreshold = minutes(d.metricsMinutes());
      }
      doc.rules.add(x);
    }
    return doc;
  }


  private static ReplicationXml.Minutes minutes(int m) {
    ReplicationXml.Minutes x = new ReplicationXml.Minutes();
    x.minutes = m;
    return x;
  }
}
