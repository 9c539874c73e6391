package dev.meridian.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code bin/meridian-status [management-url]}: prints regions, nodes (status, reachability) and the home
 * region of each bucket, as the node behind the management URL sees them (default
 * http://127.0.0.1:8559, the first node of bin/meridian).
 */
public final class StatusCli {

  private StatusCli() {}

  public static void main(String[] args) throws Exception {
    String base = args.length > 0 ? args[0] : "http://127.0.0.1:8559";
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/meridian/status"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      System.err.println("status " + r.statusCode() + ": " + r.body());
      System.exit(1);
    }
    ClusterStatus.Status s = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .readValue(r.body(), ClusterStatus.Status.class);
    System.out.println("Seen from a node in " + s.selfRegion() + "\n");
    System.out.printf("%-14s %-36s %-10s %s%n", "REGION", "NODE", "STATUS", "REACHABLE");
    for (ClusterStatus.Region region : s.regions()) {
      if (region.nodes().isEmpty()) System.out.printf("%-14s %-36s %-10s %s%n", region.name(), "-", "no nodes", "-");
      for (ClusterStatus.Node n : region.nodes()) {
        System.out.printf("%-14s %-36s %-10s %s%n", region.name(), n.address() + (n.self() ? " (self)" : ""),
            n.status(), n.reachable() ? "yes" : "NO");
      }
    }
    System.out.printf("%n%-40s %s%n", "BUCKET", "HOME REGION");
    for (ClusterStatus.BucketHome b : s.buckets()) System.out.printf("%-40s %s%n", b.name(), b.region());
  }
}
