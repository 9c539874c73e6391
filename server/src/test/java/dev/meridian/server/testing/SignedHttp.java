package dev.meridian.server.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Requests no SDK operation makes (POST on an object, an arbitrary sub-resource), SigV4-signed by the SDK's
 * signer and sent with the JDK's HTTP client, so tests see the raw status, headers and body.
 */
public final class SignedHttp {

  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

  private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private SignedHttp() {}

  /**
   * Sends {@code method path?query} (path and query already percent-encoded) with an optional body and
   * extra headers (name, value, name, value...), which are signed too.
   */
  public static HttpResponse<String> send(MeridianTestNode node, String method, String path, String rawQuery,
      byte[] body, String... headers) throws IOException, InterruptedException {
    URI uri = URI.create(node.endpoint() + path + (rawQuery == null ? "" : "?" + rawQuery));
    SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
    for (int i = 0; i + 1 < headers.length; i += 2) request.putHeader(headers[i], headers[i + 1]);
    byte[] payload = body == null ? new byte[0] : body;
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create(node.accessKey(), node.secretKey()))
        .request(request.build())
        .payload(ContentStreamProvider.fromByteArray(payload))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
    HttpRequest.Builder out = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
      if (RESTRICTED.contains(h.getKey().toLowerCase())) continue;
      for (String v : h.getValue()) out.header(h.getKey(), v);
    }
    return HTTP.send(out.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** An unsigned request (a presigned URL carries its signature in the query). */
  public static HttpResponse<byte[]> plain(String method, URI uri, Map<String, List<String>> headers, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder out = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach((name, values) -> {
      if (!RESTRICTED.contains(name.toLowerCase())) values.forEach(v -> out.header(name, v));
    });
    return HTTP.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The text of an element of an XML error body, by simple search (the element names are fixed). */
  public static String element(String xml, String name) {
    int start = xml.indexOf("<" + name + ">");
    int end = xml.indexOf("</" + name + ">");
    return start < 0 || end < start ? null : xml.substring(start + name.length() + 2, end);
  }
}
