package dev.meridian.api;

import static dev.meridian.api.TestCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.meridian.api.access.S3Actions;
import dev.meridian.api.access.S3Actions.Need;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every S3 operation the router serves maps to the IAM permissions AWS documents for it. */
class S3ActionsTest {

  @Test
  void everyOperationOfTheRouterHasItsActions() {
    S3Router router = new S3Router(null, ApiSettings.from(ConfigFactory.load()), null);
    for (String op : router.operations()) assertTrue(S3Actions.covers(op), op + " has no IAM action");
  }

  @Test
  void objectOperationsAreCheckedOnTheObjectAndVersionsNeedTheVersionAction() {
    assertEquals(List.of(new Need("s3:GetObject", "b", "k/x")), S3Actions.of("GetObject", call("GET", "b", "k/x", null)));
    assertEquals("arn:aws:s3:::b/k/x", S3Actions.of("GetObject", call("GET", "b", "k/x", null)).get(0).resource());
    assertEquals(List.of(new Need("s3:GetObjectVersion", "b", "k")),
        S3Actions.of("HeadObject", call("HEAD", "b", "k", "versionId=v1")));
    assertEquals(List.of(new Need("s3:DeleteObjectVersion", "b", "k")),
        S3Actions.of("DeleteObject", call("DELETE", "b", "k", "versionId=v1")));
    assertEquals(List.of(new Need("s3:PutObject", "b", "k"), new Need("s3:PutObjectTagging", "b", "k")),
        S3Actions.of("PutObject", call("PUT", "b", "k", null, "x-amz-tagging", "a=b")));
    assertEquals(List.of(new Need("s3:PutObject", "b", "k")), S3Actions.of("UploadPart", call("PUT", "b", "k", "uploadId=u&partNumber=1")));
  }

  @Test
  void bucketOperationsAreCheckedOnTheBucket() {
    Need list = S3Actions.of("ListObjectsV2", call("GET", "b", null, "list-type=2")).get(0);
    assertEquals(new Need("s3:ListBucket", "b", null), list);
    assertEquals("arn:aws:s3:::b", list.resource());
    assertEquals("s3:ListBucket", S3Actions.of("HeadBucket", call("HEAD", "b", null, null)).get(0).action());
    assertEquals("s3:PutReplicationConfiguration", S3Actions.of("DeleteBucketReplication", call("DELETE", "b", null, "replication")).get(0).action());
    assertEquals("s3:ListBucketVersions", S3Actions.of("ListObjectVersions", call("GET", "b", null, "versions")).get(0).action());
    Need all = S3Actions.of("ListBuckets", call("GET", null, null, null)).get(0);
    assertEquals("s3:ListAllMyBuckets", all.action());
    assertEquals("arn:aws:s3:::*", all.resource());
  }

  @Test
  void copiesReadTheSourceAndWriteTheDestination() {
    assertEquals(List.of(new Need("s3:GetObject", "src", "a b"), new Need("s3:PutObject", "dst", "k")),
        S3Actions.of("CopyObject", call("PUT", "dst", "k", null, "x-amz-copy-source", "/src/a%20b")));
    String version = dev.meridian.persistence.VersionIds.newVersionId(42);
    assertEquals(List.of(new Need("s3:GetObjectVersion", "src", "a"), new Need("s3:PutObject", "dst", "k")),
        S3Actions.of("UploadPartCopy", call("PUT", "dst", "k", "uploadId=u&partNumber=1", "x-amz-copy-source",
            "src/a?versionId=" + version)));
    assertEquals(List.of(), S3Actions.of("DeleteObjects", call("POST", "b", null, "delete")), "checked key by key");
    assertEquals(new Need("s3:DeleteObjectVersion", "b", "k"), S3Actions.forDeletedObject("b", "k", "v"));
  }
}
