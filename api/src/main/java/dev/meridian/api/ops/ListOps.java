package dev.meridian.api.ops;

import dev.meridian.api.Addressing;
import dev.meridian.api.Responses;
import dev.meridian.api.S3Call;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import dev.meridian.api.xml.BucketXml;
import dev.meridian.api.xml.ListXml;
import dev.meridian.api.xml.S3Xml;
import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.object.Listing;
import dev.meridian.persistence.ObjectVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** ListObjectsV2 and ListObjects (v1): prefix, delimiter, paging, url encoding, owners. */
public final class ListOps {

  private static final int MAX_KEYS = 1000;

  private final BucketService buckets;

  public ListOps(BucketService buckets) {
    this.buckets = buckets;
  }

  public CompletionStage<HttpResponse> listObjectsV2(S3Call call) {
    int maxKeys = maxKeys(call);
    UnaryOperator<String> enc = encoder(call);
    String token = call.param("continuation-token");
    String startAfter = call.param("start-after");
    String marker = token != null ? decodeToken(token) : startAfter;
    boolean fetchOwner = "true".equals(call.param("fetch-owner"));
    String prefix = call.param("prefix");
    String delimiter = call.param("delimiter");
    return BucketOps.bucketOf(buckets, call)
        .thenCompose(info -> buckets.list(info, prefix, delimiter, marker, maxKeys))
        .thenApply(page -> Responses.xml(new ListXml.ListBucketResult(
            call.bucket(), orEmpty(enc.apply(prefix)), null, null, token,
            page.truncated() ? encodeToken(page.nextMarker()) : null,
            enc.apply(startAfter), page.contents().size() + page.commonPrefixes().size(), maxKeys,
            enc.apply(delimiter), call.param("encoding-type"), page.truncated(),
            contents(page, enc, fetchOwner ? owner(call) : null), prefixes(page, enc))));
  }

  public CompletionStage<HttpResponse> listObjects(S3Call call) {
    int maxKeys = maxKeys(call);
    UnaryOperator<String> enc = encoder(call);
    String marker = call.param("marker");
    String prefix = call.param("prefix");
    String delimiter = call.param("delimiter");
    return BucketOps.bucketOf(buckets, call)
        .thenCompose(info -> buckets.list(info, prefix, delimiter, marker, maxKeys))
        .thenApply(page -> Responses.xml(new ListXml.ListBucketResult(
            call.bucket(), orEmpty(enc.apply(prefix)), orEmpty(enc.apply(marker)),
            // S3 returns NextMarker only when a delimiter was given; clients use the last key otherwise.
            page.truncated() && delimiter != null ? enc.apply(page.nextMarker()) : null,
            null, null, null, null, maxKeys, enc.apply(delimiter), call.param("encoding-type"), page.truncated(),
            contents(page, enc, owner(call)), prefixes(page, enc))));
  }

  public CompletionStage<HttpResponse> listObjectVersions(S3Call call) {
    int maxKeys = maxKeys(call);
    UnaryOperator<String> enc = encoder(call);
    String prefix = call.param("prefix");
    String delimiter = call.param("delimiter");
    String keyMarker = call.param("key-marker");
    String versionIdMarker = call.param("version-id-marker");
    if (versionIdMarker != null && (keyMarker == null || keyMarker.isEmpty())) {
      throw new S3Exception(S3Error.InvalidArgument, "A version-id marker cannot be specified without a key marker.")
          .with("ArgumentName", "version-id-marker").with("ArgumentValue", versionIdMarker);
    }
    BucketXml.Owner owner = owner(call);
    return BucketOps.bucketOf(buckets, call)
        .thenCompose(info -> buckets.listVersions(info, prefix, delimiter, keyMarker, versionIdMarker, maxKeys))
        .thenApply(page -> {
          List<ListXml.VersionEntry> entries = new ArrayList<>();
          for (Listing.Entry e : page.entries()) {
            ObjectVersion v = e.version();
            entries.add(new ListXml.VersionEntry(v.deleteMarker(), v.deleteMarker()
                ? new ListXml.Version(enc.apply(v.key()), v.versionId(), e.latest(),
                    S3Xml.timestamp(v.lastModifiedMillis()), null, null, null, owner)
                : new ListXml.Version(enc.apply(v.key()), v.versionId(), e.latest(),
                    S3Xml.timestamp(v.lastModifiedMillis()), Responses.quoted(v.etag()), v.size(),
                    v.meta().storageClass(), owner)));
          }
          return Responses.xml(new ListXml.ListVersionsResult(call.bucket(), orEmpty(enc.apply(prefix)),
              orEmpty(enc.apply(keyMarker)), orEmpty(versionIdMarker),
              page.truncated() ? enc.apply(page.nextKeyMarker()) : null,
              page.truncated() ? page.nextVersionIdMarker() : null, maxKeys, enc.apply(delimiter),
              call.param("encoding-type"), page.truncated(), entries, prefixes(page.commonPrefixes(), enc)));
        });
  }

  private static List<ListXml.Contents> contents(Listing.Page page, UnaryOperator<String> enc, BucketXml.Owner owner) {
    return page.contents().stream().map(v -> contents(v, enc, owner)).toList();
  }

  static ListXml.Contents contents(ObjectVersion v, UnaryOperator<String> enc, BucketXml.Owner owner) {
    return new ListXml.Contents(enc.apply(v.key()), S3Xml.timestamp(v.lastModifiedMillis()), Responses.quoted(v.etag()),
        v.size(), v.meta().storageClass(), owner);
  }

  private static List<ListXml.CommonPrefix> prefixes(Listing.Page page, UnaryOperator<String> enc) {
    return prefixes(page.commonPrefixes(), enc);
  }

  private static List<ListXml.CommonPrefix> prefixes(List<String> prefixes, UnaryOperator<String> enc) {
    return prefixes.stream().map(p -> new ListXml.CommonPrefix(enc.apply(p))).toList();
  }

  private static BucketXml.Owner owner(S3Call call) {
    return new BucketXml.Owner(call.owner(), call.owner());
  }

  static int maxKeys(S3Call call) {
    String v = call.param("max-keys");
    if (v == null) return MAX_KEYS;
    try {
      int n = Integer.parseInt(v);
      if (n < 0) throw new NumberFormatException();
      return Math.min(n, MAX_KEYS);
    } catch (NumberFormatException e) {
      throw new S3Exception(S3Error.InvalidArgument, "Provided max-keys not an integer or within integer range")
          .with("ArgumentName", "max-keys").with("ArgumentValue", v);
    }
  }

  static UnaryOperator<String> encoder(S3Call call) {
    String type = call.param("encoding-type");
    if (type == null) return UnaryOperator.identity();
    if (!type.equals("url")) {
      throw new S3Exception(S3Error.InvalidArgument, "Invalid Encoding Method specified in Request")
          .with("ArgumentName", "encoding-type").with("ArgumentValue", type);
    }
    return Addressing::urlEncode;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String encodeToken(String lastKey) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("k:" + lastKey).getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (s.startsWith("k:")) return s.substring(2);
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw new S3Exception(S3Error.InvalidArgument, "The continuation token provided is incorrect")
        .with("ArgumentName", "continuation-token");
  }
}
