"""Scenarios that drive Meridian with boto3, run by Boto3IT as `/usr/bin/python3 boto3_s3.py <scenario> <args...>`.

The endpoint and credentials come from the environment (MERIDIAN_ENDPOINT, MERIDIAN_ACCESS_KEY,
MERIDIAN_SECRET_KEY). Each scenario prints one JSON object of what boto3 saw (bodies, checksums, listings,
version ids, error codes) for the Java test to assert on; an unexpected exception exits non-zero with its
traceback on stderr. Expected failures are captured with `error_of`, as boto3 reports them.
"""
import hashlib
import json
import os
import sys
import urllib.error
import urllib.request

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

MIB = 1024 * 1024


def client(region="us-east-1", **config):
    """A boto3 S3 client for Meridian: path-style, SigV4, no retries (so a server error shows as one)."""
    cfg = Config(s3={"addressing_style": "path"}, signature_version="s3v4",
                 retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=10, read_timeout=60, **config)
    return boto3.client("s3", endpoint_url=os.environ["MERIDIAN_ENDPOINT"], region_name=region,
                        aws_access_key_id=os.environ["MERIDIAN_ACCESS_KEY"],
                        aws_secret_access_key=os.environ["MERIDIAN_SECRET_KEY"], config=cfg)


def error_of(call):
    """Runs `call`, which must fail; returns the error as boto3 reports it (code, HTTP status, message)."""
    try:
        call()
    except ClientError as e:
        return {"code": e.response["Error"].get("Code"), "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
                "message": e.response["Error"].get("Message")}
    raise AssertionError("expected a ClientError")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def buckets(east_bucket, west_bucket):
    """CreateBucket with and without a LocationConstraint, where each lands, ListBuckets, DeleteBucket."""
    s3 = client()
    out = {}
    s3.create_bucket(Bucket=east_bucket)
    s3.create_bucket(Bucket=west_bucket, CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    out["locations"] = {b: s3.get_bucket_location(Bucket=b)["LocationConstraint"] for b in (east_bucket, west_bucket)}
    out["headRegions"] = {b: s3.head_bucket(Bucket=b)["ResponseMetadata"]["HTTPHeaders"].get("x-amz-bucket-region")
                          for b in (east_bucket, west_bucket)}
    out["listed"] = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    # A client signing for us-west-2 reaches the same buckets through the same endpoint.
    out["westObjects"] = client("us-west-2").list_objects_v2(Bucket=west_bucket)["KeyCount"]
    out["createAgain"] = error_of(lambda: s3.create_bucket(Bucket=east_bucket))
    # Objects of the us-west-2 bucket, written and read through the us-east-1 endpoint.
    s3.put_object(Bucket=west_bucket, Key="keep", Body=b"kept in us-west-2")
    out["westRead"] = s3.get_object(Bucket=west_bucket, Key="keep")["Body"].read().decode()
    out["deleteNotEmpty"] = error_of(lambda: s3.delete_bucket(Bucket=west_bucket))
    s3.delete_object(Bucket=west_bucket, Key="keep")
    for b in (east_bucket, west_bucket):
        s3.delete_bucket(Bucket=b)
    out["headDeleted"] = error_of(lambda: s3.head_bucket(Bucket=east_bucket))
    out["listDeleted"] = error_of(lambda: s3.list_objects_v2(Bucket=west_bucket))
    out["putInDeleted"] = error_of(lambda: s3.put_object(Bucket=east_bucket, Key="k", Body=b"x"))
    out["listedAfter"] = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    return out


def objects(bucket):
    """PutObject/GetObject/HeadObject with metadata, ranges, conditions, copies, DeleteObjects, presigned GET."""
    s3 = client()
    s3.create_bucket(Bucket=bucket)
    body = ("caf\u00e9 and r\u00e9sum\u00e9\n" * 100).encode("utf-8")
    put = s3.put_object(Bucket=bucket, Key="docs/caf\u00e9 menu.txt", Body=body, ContentType="text/plain; charset=utf-8",
                        Metadata={"color": "blue", "owner-name": "meridian"}, CacheControl="max-age=60",
                        ContentDisposition='attachment; filename="menu.txt"')
    key = "docs/caf\u00e9 menu.txt"
    got = s3.get_object(Bucket=bucket, Key=key)
    data = got["Body"].read()
    head = s3.head_object(Bucket=bucket, Key=key)
    out = {
        "putETag": put["ETag"],
        "bodySha256": sha256(data), "sentSha256": sha256(body), "md5": hashlib.md5(body).hexdigest(),
        "get": {k: got.get(k) for k in ("ETag", "ContentType", "ContentLength", "Metadata", "CacheControl",
                                         "ContentDisposition")},
        "head": {k: head.get(k) for k in ("ETag", "ContentType", "ContentLength", "Metadata")},
        "range": s3.get_object(Bucket=bucket, Key=key, Range="bytes=0-4")["Body"].read().decode("utf-8"),
        "ifNoneMatch": error_of(lambda: s3.get_object(Bucket=bucket, Key=key, IfNoneMatch=put["ETag"])),
        "ifMatchWrong": error_of(lambda: s3.get_object(Bucket=bucket, Key=key, IfMatch='"0123"')),
        "ifMatchRight": s3.get_object(Bucket=bucket, Key=key, IfMatch=put["ETag"])["ContentLength"],
        "headIfNoneMatch": error_of(lambda: s3.head_object(Bucket=bucket, Key=key, IfNoneMatch=put["ETag"])),
        "noSuchKey": error_of(lambda: s3.get_object(Bucket=bucket, Key="missing")),
        "headNoSuchKey": error_of(lambda: s3.head_object(Bucket=bucket, Key="missing")),
    }
    s3.copy_object(Bucket=bucket, Key="copies/same-meta.txt", CopySource={"Bucket": bucket, "Key": key})
    s3.copy_object(Bucket=bucket, Key="copies/new-meta.txt", CopySource=f"{bucket}/{key}",
                   MetadataDirective="REPLACE", ContentType="application/x-menu", Metadata={"copied": "yes"})
    for name in ("same-meta", "new-meta"):
        c = s3.get_object(Bucket=bucket, Key=f"copies/{name}.txt")
        out[name] = {"sha256": sha256(c["Body"].read()), "ContentType": c["ContentType"], "Metadata": c["Metadata"]}
    url = client().generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=300)
    with urllib.request.urlopen(url, timeout=30) as r:
        out["presigned"] = {"status": r.status, "sha256": sha256(r.read()), "contentType": r.headers["Content-Type"]}
    bad = url.replace("X-Amz-Signature=", "X-Amz-Signature=0")
    try:
        urllib.request.urlopen(bad, timeout=30)
        out["presignedTampered"] = 200
    except urllib.error.HTTPError as e:
        out["presignedTampered"] = e.code
    for i in range(3):
        s3.put_object(Bucket=bucket, Key=f"tmp/{i}", Body=b"temporary")
    deleted = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": f"tmp/{i}"} for i in range(3)]
                                                       + [{"Key": "tmp/never-existed"}]})
    out["deleted"] = sorted(d["Key"] for d in deleted.get("Deleted", []))
    out["deleteErrors"] = deleted.get("Errors", [])
    out["remaining"] = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))
    return out


def transfer(bucket, local, downloaded):
    """upload_file/download_file through the transfer manager with 5 MiB parts: multipart both ways."""
    s3 = client()
    s3.create_bucket(Bucket=bucket)
    config = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB, max_concurrency=2)
    s3.upload_file(local, bucket, "big/file.bin", Config=config, ExtraArgs={"Metadata": {"kind": "multipart"}})
    head = s3.head_object(Bucket=bucket, Key="big/file.bin")
    s3.download_file(bucket, "big/file.bin", downloaded, Config=config)
    return {"ETag": head["ETag"], "ContentLength": head["ContentLength"], "Metadata": head["Metadata"],
            "uploadsLeft": len(s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []))}


def listing(bucket):
    """ListObjectsV2 with prefix and delimiter, and the paginators of V2 and V1 over small pages."""
    s3 = client()
    s3.create_bucket(Bucket=bucket)
    keys = ["a.txt", "b/1.txt", "b/2.txt", "b/c/3.txt", "d/4.txt", "e.txt", "sp ace/\u00fcml.txt"]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode("utf-8"))
    top = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    under_b = s3.list_objects_v2(Bucket=bucket, Prefix="b/", Delimiter="/")
    pages_v2 = [[o["Key"] for o in p.get("Contents", [])] + [c["Prefix"] for c in p.get("CommonPrefixes", [])]
                for p in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, PaginationConfig={"PageSize": 2})]
    pages_v1 = [[o["Key"] for o in p.get("Contents", [])]
                for p in s3.get_paginator("list_objects").paginate(Bucket=bucket, PaginationConfig={"PageSize": 3})]
    pages_delim = [[o["Key"] for o in p.get("Contents", [])] + [c["Prefix"] for c in p.get("CommonPrefixes", [])]
                   for p in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Delimiter="/",
                                                                          PaginationConfig={"PageSize": 2})]
    return {
        "top": {"keys": [o["Key"] for o in top.get("Contents", [])],
                "prefixes": [c["Prefix"] for c in top.get("CommonPrefixes", [])], "KeyCount": top["KeyCount"]},
        "underB": {"keys": [o["Key"] for o in under_b.get("Contents", [])],
                   "prefixes": [c["Prefix"] for c in under_b.get("CommonPrefixes", [])]},
        "sizes": {o["Key"]: o["Size"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]},
        "pagesV2": pages_v2, "pagesV1": pages_v1, "pagesDelimited": pages_delim,
        "startAfter": [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, StartAfter="b/c/3.txt").get("Contents", [])],
    }


def versions(bucket):
    """Versioning: versions of one key, GET by VersionId, delete markers, removing a marker, deleting a version."""
    s3 = client()
    s3.create_bucket(Bucket=bucket)
    before = s3.get_bucket_versioning(Bucket=bucket).get("Status")
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    ids = [s3.put_object(Bucket=bucket, Key="doc.txt", Body=f"version {i}".encode())["VersionId"] for i in (1, 2, 3)]
    listed = s3.list_object_versions(Bucket=bucket, Prefix="doc")
    out = {
        "before": before, "status": s3.get_bucket_versioning(Bucket=bucket).get("Status"), "putIds": ids,
        "listed": [{"VersionId": v["VersionId"], "IsLatest": v["IsLatest"], "Size": v["Size"]}
                   for v in listed.get("Versions", [])],
        "byId": [s3.get_object(Bucket=bucket, Key="doc.txt", VersionId=i)["Body"].read().decode() for i in ids],
        "headById": s3.head_object(Bucket=bucket, Key="doc.txt", VersionId=ids[0])["VersionId"],
    }
    marker = s3.delete_object(Bucket=bucket, Key="doc.txt")
    out["marker"] = {"DeleteMarker": marker.get("DeleteMarker"), "VersionId": marker.get("VersionId")}
    out["getAfterMarker"] = error_of(lambda: s3.get_object(Bucket=bucket, Key="doc.txt"))
    out["oldStillThere"] = s3.get_object(Bucket=bucket, Key="doc.txt", VersionId=ids[1])["Body"].read().decode()
    after = s3.list_object_versions(Bucket=bucket)
    out["markers"] = [{"Key": m["Key"], "VersionId": m["VersionId"], "IsLatest": m["IsLatest"]}
                      for m in after.get("DeleteMarkers", [])]
    out["versionsAfterMarker"] = [v["VersionId"] for v in after.get("Versions", [])]
    out["listV2AfterMarker"] = s3.list_objects_v2(Bucket=bucket)["KeyCount"]
    s3.delete_object(Bucket=bucket, Key="doc.txt", VersionId=marker["VersionId"])
    out["afterMarkerRemoved"] = s3.get_object(Bucket=bucket, Key="doc.txt")["Body"].read().decode()
    s3.delete_object(Bucket=bucket, Key="doc.txt", VersionId=ids[2])
    out["afterLatestRemoved"] = s3.get_object(Bucket=bucket, Key="doc.txt")["Body"].read().decode()
    out["noSuchVersion"] = error_of(lambda: s3.get_object(Bucket=bucket, Key="doc.txt", VersionId=ids[2]))
    out["finalIds"] = [v["VersionId"] for v in s3.list_object_versions(Bucket=bucket).get("Versions", [])]
    deleted = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "doc.txt", "VersionId": i} for i in ids[:2]]})
    out["batchDeletedIds"] = sorted(d.get("VersionId") for d in deleted.get("Deleted", []))
    out["emptyAtEnd"] = "Versions" not in s3.list_object_versions(Bucket=bucket)
    s3.delete_bucket(Bucket=bucket)
    return out


SCENARIOS = {"buckets": buckets, "objects": objects, "transfer": transfer, "listing": listing, "versions": versions}

if __name__ == "__main__":
    result = SCENARIOS[sys.argv[1]](*sys.argv[2:])
    print(json.dumps(result, default=str, ensure_ascii=False))
