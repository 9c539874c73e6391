package dev.meridian.chaos.checker;

import dev.meridian.chaos.checker.Observation.BucketState;
import dev.meridian.chaos.checker.Observation.Version;
import dev.meridian.chaos.cluster.ChaosCluster;
import dev.meridian.chaos.history.BucketPlan;
import dev.meridian.chaos.workload.Bodies;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reads what the cluster holds, as a client of each bucket's home region. ListObjectVersions is read as
 * raw XML, because the SDK splits versions and delete markers into two lists and the order between them
 * is part of what the checker compares. Then every version is read back by version id (sha256 of the
 * bytes, ETag and x-amz-replication-status).
 */
public final class Observer {

  private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

  private final BucketPlan plan;
  private final Function<String, URI> endpointOfRegion;
  private final Function<String, S3Client> clientOfRegion;
  private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
      .connectTimeout(Duration.ofSeconds(5)).build();

  public Observer(BucketPlan plan, Function<String, URI> endpointOfRegion, Function<String, S3Client> clientOfRegion) {
    this.plan = plan;
    this.endpointOfRegion = endpointOfRegion;
    this.clientOfRegion = clientOfRegion;
  }

  /** Lists every bucket (versions and markers, in order); a bucket that cannot be listed carries the error. */
  public Observation list() {
    Map<String, BucketState> out = new LinkedHashMap<>();
    for (BucketPlan.Bucket b : plan.buckets()) {
      try {
        out.put(b.name(), new BucketState(b.name(), null, listVersions(endpointOfRegion.apply(b.region()), b.name())));
      } catch (Exception e) {
        out.put(b.name(), new BucketState(b.name(), e.toString(), null));
      }
    }
    return new Observation(out, false);
  }

  /** Lists, then reads every version by version id, a few at a time. */
  public Observation read() throws InterruptedException {
    Observation listed = list();
    Map<String, BucketState> out = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (BucketState st : listed.buckets().values()) {
        if (st.error() != null) {
          out.put(st.bucket(), st);
          continue;
        }
        S3Client s3 = clientOfRegion.apply(plan.home(st.bucket()));
        List<Future<Version>> reads = new ArrayList<>();
        for (Version v : st.versions()) reads.add(pool.submit(() -> read(s3, st.bucket(), v)));
        List<Version> versions = new ArrayList<>();
        for (Future<Version> f : reads) versions.add(f.get());
        out.put(st.bucket(), new BucketState(st.bucket(), null, versions));
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return new Observation(out, true);
  }

  private static Version read(S3Client s3, String bucket, Version v) {
    if (v.deleteMarker()) return v;
    try {
      var r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(v.key()).versionId(v.versionId()));
      String err = Bodies.unquote(r.response().eTag()).equals(v.etag()) ? null
          : "GET returned ETag " + r.response().eTag() + ", listing says " + v.etag();
      return v.withRead(Bodies.sha256(r.asByteArray()), r.response().replicationStatusAsString(), err);
    } catch (RuntimeException e) {
      return v.withRead(null, null, e.toString());
    }
  }

  /** Every page of {@code GET /bucket?versions}, entries in document order. */
  List<Version> listVersions(URI endpoint, String bucket) throws Exception {
    List<Version> out = new ArrayList<>();
    String keyMarker = null;
    String versionMarker = null;
    for (int page = 0; page < 10_000; page++) {
      SdkHttpFullRequest.Builder req = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET)
          .uri(endpoint.resolve("/" + bucket)).appendRawQueryParameter("versions", "")
          .appendRawQueryParameter("max-keys", "1000");
      if (keyMarker != null) req.appendRawQueryParameter("key-marker", keyMarker);
      if (versionMarker != null) req.appendRawQueryParameter("version-id-marker", versionMarker);
      Element root = send(req.build()).getDocumentElement();
      for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (!(n instanceof Element e)) continue;
        boolean marker = e.getLocalName() != null ? e.getLocalName().equals("DeleteMarker") : e.getTagName().equals("DeleteMarker");
        boolean version = (e.getLocalName() != null ? e.getLocalName() : e.getTagName()).equals("Version");
        if (!marker && !version) continue;
        String size = text(e, "Size");
        out.add(new Version(text(e, "Key"), text(e, "VersionId"), marker, "true".equals(text(e, "IsLatest")),
            Bodies.unquote(text(e, "ETag")), size == null ? 0 : Long.parseLong(size),
            Instant.parse(text(e, "LastModified")).toEpochMilli(), null, null, null));
      }
      if (!"true".equals(text(root, "IsTruncated"))) return out;
      keyMarker = text(root, "NextKeyMarker");
      versionMarker = text(root, "NextVersionIdMarker");
    }
    throw new IllegalStateException("listing of " + bucket + " never ended");
  }

  private Document send(SdkHttpFullRequest request) throws Exception {
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create(ChaosCluster.ACCESS_KEY, ChaosCluster.SECRET_KEY))
        .request(request)
        .payload(ContentStreamProvider.fromByteArray(new byte[0]))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
    HttpRequest.Builder out = HttpRequest.newBuilder(signed.request().getUri()).timeout(Duration.ofSeconds(30)).GET();
    for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
      if (RESTRICTED.contains(h.getKey().toLowerCase())) continue;
      for (String v : h.getValue()) out.header(h.getKey(), v);
    }
    HttpResponse<byte[]> resp = http.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (resp.statusCode() != 200) {
      throw new IllegalStateException("ListObjectVersions " + resp.statusCode() + ": " + new String(resp.body()));
    }
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(resp.body()));
  }

  /** Text of the first direct child element named {@code name}, or null. */
  private static String text(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && name.equals(e.getLocalName() != null ? e.getLocalName() : e.getTagName())) {
        return e.getTextContent();
      }
    }
    return null;
  }
}
