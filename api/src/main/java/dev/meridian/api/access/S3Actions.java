package dev.meridian.api.access;

import dev.meridian.api.S3Call;
import dev.meridian.api.ops.CopyOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The IAM permissions each S3 operation of {@code S3Router} needs, as AWS documents them in "Actions,
 * resources, and condition keys for Amazon S3": the action ({@code s3:GetObject}), and the resource it is
 * checked on (the bucket {@code arn:aws:s3:::bucket} or the object {@code arn:aws:s3:::bucket/key}). An
 * operation on a specific version needs the {@code ...Version} action; CopyObject and UploadPartCopy need
 * to read the source too; PutObject with tags needs {@code s3:PutObjectTagging}. DeleteObjects is
 * checked key by key ({@link #forDeletedObject}), as S3 does, and reports AccessDenied per key.
 */
public final class S3Actions {

  /** One permission: an action on a bucket or object (key null for the bucket, bucket null for the service). */
  public record Need(String action, String bucket, String key) {

    /** The resource ARN the permission is checked on. */
    public String resource() {
      if (bucket == null) return "arn:aws:s3:::*";
      return key == null ? "arn:aws:s3:::" + bucket : "arn:aws:s3:::" + bucket + "/" + key;
    }
  }

  /** Operations whose permission is the same action on the request's bucket or object. */
  private static final Map<String, String> PLAIN = Map.ofEntries(
      Map.entry("ListBuckets", "s3:ListAllMyBuckets"),
      Map.entry("GetBucketVersioning", "s3:GetBucketVersioning"),
      Map.entry("PutBucketVersioning", "s3:PutBucketVersioning"),
      Map.entry("PutBucketReplication", "s3:PutReplicationConfiguration"),
      Map.entry("GetBucketReplication", "s3:GetReplicationConfiguration"),
      Map.entry("DeleteBucketReplication", "s3:PutReplicationConfiguration"),
      Map.entry("GetBucketLocation", "s3:GetBucketLocation"),
      Map.entry("GetBucketTagging", "s3:GetBucketTagging"),
      Map.entry("PutBucketTagging", "s3:PutBucketTagging"),
      Map.entry("DeleteBucketTagging", "s3:PutBucketTagging"),
      Map.entry("GetBucketPolicy", "s3:GetBucketPolicy"),
      Map.entry("PutBucketPolicy", "s3:PutBucketPolicy"),
      Map.entry("DeleteBucketPolicy", "s3:DeleteBucketPolicy"),
      Map.entry("GetBucketAcl", "s3:GetBucketAcl"),
      Map.entry("PutBucketAcl", "s3:PutBucketAcl"),
      Map.entry("GetBucketCors", "s3:GetBucketCORS"),
      Map.entry("PutBucketCors", "s3:PutBucketCORS"),
      Map.entry("DeleteBucketCors", "s3:PutBucketCORS"),
      Map.entry("ListObjectsV2", "s3:ListBucket"),
      Map.entry("ListObjects", "s3:ListBucket"),
      Map.entry("CreateBucket", "s3:CreateBucket"),
      Map.entry("HeadBucket", "s3:ListBucket"),
      Map.entry("DeleteBucket", "s3:DeleteBucket"),
      Map.entry("ListMultipartUploads", "s3:ListBucketMultipartUploads"),
      Map.entry("ListObjectVersions", "s3:ListBucketVersions"),
      Map.entry("CreateMultipartUpload", "s3:PutObject"),
      Map.entry("UploadPart", "s3:PutObject"),
      Map.entry("CompleteMultipartUpload", "s3:PutObject"),
      Map.entry("AbortMultipartUpload", "s3:AbortMultipartUpload"),
      Map.entry("ListParts", "s3:ListMultipartUploadParts"));

  /** Operations whose action has a {@code ...Version} form used when the request names a version. */
  private static final Map<String, String[]> VERSIONED = Map.of(
      "GetObject", new String[] {"s3:GetObject", "s3:GetObjectVersion"},
      "HeadObject", new String[] {"s3:GetObject", "s3:GetObjectVersion"},
      "GetObjectAcl", new String[] {"s3:GetObjectAcl", "s3:GetObjectVersionAcl"},
      "PutObjectAcl", new String[] {"s3:PutObjectAcl", "s3:PutObjectVersionAcl"},
      "DeleteObject", new String[] {"s3:DeleteObject", "s3:DeleteObjectVersion"},
      "GetObjectTagging", new String[] {"s3:GetObjectTagging", "s3:GetObjectVersionTagging"},
      "PutObjectTagging", new String[] {"s3:PutObjectTagging", "s3:PutObjectVersionTagging"},
      "DeleteObjectTagging", new String[] {"s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging"});

  private S3Actions() {}

  /** Every operation of the router has an entry here (S3ActionsTest checks it). */
  public static boolean covers(String operation) {
    return PLAIN.containsKey(operation) || VERSIONED.containsKey(operation) || switch (operation) {
      case "PutObject", "CopyObject", "UploadPartCopy", "DeleteObjects" -> true;
      default -> false;
    };
  }

  /** The permissions {@code operation} needs for {@code call}; empty for DeleteObjects (checked per key). */
  public static List<Need> of(String operation, S3Call call) {
    List<Need> needs = new ArrayList<>();
    String plain = PLAIN.get(operation);
    if (plain != null) {
      needs.add(new Need(plain, call.bucket(), call.key()));
      return needs;
    }
    String[] versioned = VERSIONED.get(operation);
    if (versioned != null) {
      needs.add(new Need(call.param("versionId") == null ? versioned[0] : versioned[1], call.bucket(), call.key()));
      return needs;
    }
    switch (operation) {
      case "PutObject" -> {
        needs.add(new Need("s3:PutObject", call.bucket(), call.key()));
        if (call.header("x-amz-tagging").isPresent()) needs.add(new Need("s3:PutObjectTagging", call.bucket(), call.key()));
      }
      case "CopyObject", "UploadPartCopy" -> {
        CopyOps.CopySource src = CopyOps.parseSource(call.headerOrNull("x-amz-copy-source"));
        needs.add(new Need(src.versionId() == null ? "s3:GetObject" : "s3:GetObjectVersion", src.bucket(), src.key()));
        needs.add(new Need("s3:PutObject", call.bucket(), call.key()));
        if (operation.equals("CopyObject") && call.header("x-amz-tagging").isPresent()) {
          needs.add(new Need("s3:PutObjectTagging", call.bucket(), call.key()));
        }
      }
      case "DeleteObjects" -> { }
      default -> throw new IllegalArgumentException("no IAM action for " + operation);
    }
    return needs;
  }

  /** What deleting one key (or one version of it) of a DeleteObjects request needs. */
  public static Need forDeletedObject(String bucket, String key, String versionId) {
    return new Need(versionId == null ? "s3:DeleteObject" : "s3:DeleteObjectVersion", bucket, key);
  }
}
