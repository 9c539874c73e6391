package dev.meridian.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The replication management routes of one node ({@code /meridian/replication/...}), as JSON, for tests. */
public final class ReplicationManagement {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

  private final URI managementEndpoint;

  public ReplicationManagement(URI managementEndpoint) {
    this.managementEndpoint = managementEndpoint;
  }

  /** Sends a request to {@code /meridian/replication + path}, asserts 200 and returns the JSON answer. */
  public JsonNode call(String method, String path, String body) throws Exception {
    URI uri = managementEndpoint.resolve("/meridian/replication" + path);
    HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> resp = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, resp.statusCode(), method + " " + uri + ": " + resp.body());
    return JSON.readTree(resp.body());
  }

  /** The metrics of one destination of a source bucket (its node must be in the source's home region). */
  public JsonNode destination(String bucket, String destination) throws Exception {
    for (JsonNode d : call("GET", "/buckets/" + bucket, null).path("destinations")) {
      if (d.path("destination").asText().equals(destination)) return d;
    }
    throw new AssertionError("no metrics for " + destination + " in " + bucket);
  }
}
