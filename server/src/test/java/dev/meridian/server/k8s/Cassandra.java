package dev.meridian.server.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The K8ssandraCluster of k8s/cassandra and what k8ssandra-operator derives from it: the data centers,
 * each data center's CQL Service ({@code <cluster>-<dc>-service}) and the superuser Secret it generates
 * ({@code <cluster>-superuser}, keys username and password) when authentication is on.
 */
record Cassandra(Manifests manifests) {

  private static final Pattern ENTRY = Pattern.compile("'([^']*)'\\s*:\\s*'?([^,'}]*)'?");

  JsonNode cluster() {
    return manifests.single("K8ssandraCluster");
  }

  /** Authentication is on unless spec.auth is false (the operator's default is true). */
  boolean auth() {
    return cluster().path("spec").path("auth").asBoolean(true);
  }

  /** Cassandra's cluster name, as the operator sanitises it for Kubernetes object names. */
  String clusterName() {
    String name = cluster().path("spec").path("cassandra").path("clusterName").asText(Manifests.nameOf(cluster()));
    return name.toLowerCase().replaceAll("[^a-z0-9-]", "-");
  }

  /** Data center name (datacenterName, else metadata.name) to its number of nodes. */
  Map<String, Integer> dataCenters() {
    Map<String, Integer> dcs = new LinkedHashMap<>();
    for (JsonNode dc : cluster().path("spec").path("cassandra").path("datacenters")) {
      String name = dc.path("datacenterName").asText(dc.path("metadata").path("name").asText());
      dcs.put(name, dc.path("size").asInt());
    }
    return dcs;
  }

  String serviceOf(String dc) {
    return clusterName() + "-" + dc.toLowerCase().replaceAll("[^a-z0-9-]", "-") + "-service";
  }

  /** Secrets the operator creates at run time, with stand-in values. */
  Map<String, Map<String, String>> generatedSecrets() {
    if (!auth() || cluster().path("spec").path("cassandra").path("superuserSecretRef").has("name")) return Map.of();
    return Map.of(clusterName() + "-superuser", Map.of("username", "superuser", "password", "generated"));
  }

  /**
   * A CQL replication map such as {@code {'class': 'NetworkTopologyStrategy', 'us-east-1': 3}} as data
   * center to replication factor; it must be NetworkTopologyStrategy, name only data centers of the
   * cluster, and not ask for more replicas than a data center has nodes.
   */
  Map<String, String> replication(String cql) {
    Map<String, String> entries = new LinkedHashMap<>();
    Matcher m = ENTRY.matcher(cql);
    while (m.find()) entries.put(m.group(1), m.group(2).trim());
    String strategy = entries.remove("class");
    if (!"NetworkTopologyStrategy".equals(strategy) && !"org.apache.cassandra.locator.NetworkTopologyStrategy".equals(strategy)) {
      throw new AssertionError("replication must be NetworkTopologyStrategy per data center: " + cql);
    }
    Map<String, Integer> dcs = dataCenters();
    entries.forEach((dc, rf) -> {
      if (!dcs.containsKey(dc)) throw new AssertionError("replication names " + dc + ", not a data center of " + dcs.keySet());
      int factor = Integer.parseInt(rf);
      if (factor < 1 || factor > dcs.get(dc)) {
        throw new AssertionError("replication factor " + factor + " in " + dc + " with " + dcs.get(dc) + " nodes: " + cql);
      }
    });
    return entries;
  }
}
