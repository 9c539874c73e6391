package dev.meridian.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/meridian-replication}: the operator's view of replication, through a node's management port
 * (see {@link ReplicationRoutes}).
 * <pre>
 * status BUCKET                          pending / completed / failed per destination, latency, failures
 * pause REGION | resume REGION | streams REGION
 * batch BUCKET [--existing] [--retry-failed] [--wait]   replicate existing objects, re-drive failures
 * jobs [ID]                              progress and reports of the node's jobs
 * </pre>
 * Option {@code --url URL} (default http://127.0.0.1:8559, the first node of bin/meridian): metrics and
 * jobs need a node of the bucket's home region.
 */
public final class ReplicationCli {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ReplicationCli() {}

  public static void main(String[] argv) throws Exception {
    List<String> args = new ArrayList<>(List.of(argv));
    String base = "http://127.0.0.1:8559";
    int u = args.indexOf("--url");
    if (u >= 0 && u + 1 < args.size()) {
      base = args.get(u + 1);
      args.remove(u + 1);
      args.remove(u);
    }
    if (args.isEmpty()) usage();
    String root = base + "/meridian/replication";
    switch (args.get(0)) {
      case "status" -> printStatus(call("GET", root + "/buckets/" + arg(args, 1), null));
      case "pause", "resume" -> print(call("POST", root + "/regions/" + arg(args, 1) + "/" + args.get(0), null));
      case "streams" -> print(call("GET", root + "/regions/" + arg(args, 1), null));
      case "jobs" -> print(call("GET", root + "/jobs" + (args.size() > 1 ? "/" + args.get(1) : ""), null));
      case "batch" -> batch(root, args);
      default -> usage();
    }
  }

  private static void batch(String root, List<String> args) throws Exception {
    boolean existing = args.contains("--existing");
    boolean retry = args.contains("--retry-failed");
    if (!existing && !retry) existing = retry = true;
    String body = JSON.writeValueAsString(java.util.Map.of("bucket", arg(args, 1), "existing", existing, "retryFailed", retry));
    JsonNode report = call("POST", root + "/jobs", body);
    if (args.contains("--wait")) {
      Instant deadline = Instant.now().plus(Duration.ofHours(1));
      while (report.path("finished").isNull() && Instant.now().isBefore(deadline)) {
        Thread.sleep(1000);
        report = call("GET", root + "/jobs/" + report.path("id").asText(), null);
      }
    }
    print(report);
  }

  private static void printStatus(JsonNode m) {
    System.out.println("Bucket " + m.path("bucket").asText() + " (home " + m.path("region").asText() + ")\n");
    System.out.printf("%-28s %9s %12s %9s %12s %7s   %s%n", "DESTINATION", "PENDING", "BYTES", "COMPLETED", "BYTES",
        "FAILED", "LATENCY ms p50/p99/p99.9/max");
    for (JsonNode d : m.path("destinations")) {
      JsonNode l = d.path("latency");
      System.out.printf("%-28s %9d %12d %9d %12d %7d   %d/%d/%d/%d%n", d.path("destination").asText(), d.path("pending").asLong(),
          d.path("pendingBytes").asLong(), d.path("completed").asLong(), d.path("completedBytes").asLong(),
          d.path("failed").asLong(), l.path("p50Millis").asLong(), l.path("p99Millis").asLong(),
          l.path("p999Millis").asLong(), l.path("maxMillis").asLong());
      if (!d.path("oldestPending").isNull()) System.out.println("    oldest pending since " + d.path("oldestPending").asText());
      for (JsonNode f : d.path("failures")) {
        System.out.println("    FAILED " + f.path("key").asText() + " " + f.path("versionId").asText() + ": " + f.path("reason").asText());
      }
    }
  }

  private static JsonNode call(String method, String url, String body) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    r = body == null ? r.method(method, HttpRequest.BodyPublishers.noBody())
        : r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> resp = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != 200) {
      System.err.println(method + " " + url + " -> " + resp.statusCode() + ": " + resp.body());
      System.exit(1);
    }
    return JSON.readTree(resp.body());
  }

  private static void print(JsonNode node) throws Exception {
    System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
  }

  private static String arg(List<String> args, int i) {
    if (args.size() <= i || args.get(i).startsWith("--")) usage();
    return args.get(i);
  }

  private static void usage() {
    System.err.println("usage: meridian-replication [--url MANAGEMENT_URL] status BUCKET | pause REGION | resume REGION"
        + " | streams REGION | batch BUCKET [--existing] [--retry-failed] [--wait] | jobs [ID]");
    System.exit(2);
  }
}
