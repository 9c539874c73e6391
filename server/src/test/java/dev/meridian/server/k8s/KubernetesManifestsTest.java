package dev.meridian.server.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import dev.meridian.api.ApiSettings;
import dev.meridian.cluster.MeridianSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders every region overlay of k8s/ (and k8s/cassandra) with {@code kubectl kustomize} and checks that
 * the manifests agree with the node: the ports, probe paths, data center, discovery and Cassandra settings
 * a node would actually run with, computed from the manifests' environment by the node's own config
 * files; the variable names against those the config reads; and the Kubernetes wiring (selectors,
 * Services, RBAC, Secrets, ConfigMaps, resources).
 */
class KubernetesManifestsTest {

  /** Without these a node in Kubernetes cannot work; each must be set by the manifests. */
  private static final Set<String> REQUIRED = Set.of("MERIDIAN_REGION", "MERIDIAN_REGIONS",
      "MERIDIAN_CLUSTER_HOST", "MERIDIAN_S3_HOST", "MERIDIAN_CLUSTER_BOOTSTRAP", "MERIDIAN_DISCOVERY_METHOD",
      "MERIDIAN_CASSANDRA_CONTACT_POINTS", "MERIDIAN_CASSANDRA_DC", "MERIDIAN_REGION_REPLICATION",
      "MERIDIAN_GLOBAL_REPLICATION", "MERIDIAN_ACCESS_KEY", "MERIDIAN_SECRET_KEY");
  /** Credentials: from Secrets only, never in a ConfigMap or the manifest itself. */
  private static final Set<String> SECRET = Set.of("MERIDIAN_ACCESS_KEY", "MERIDIAN_SECRET_KEY",
      "MERIDIAN_CASSANDRA_USERNAME", "MERIDIAN_CASSANDRA_PASSWORD");

  private static final Map<String, RegionNode> regions = new LinkedHashMap<>();
  private static Cassandra cassandra;

  @BeforeAll
  static void render() throws Exception {
    cassandra = new Cassandra(Manifests.render(Manifests.k8sDirectory().resolve("cassandra")));
    for (Path overlay : Manifests.overlays()) {
      regions.put(overlay.getFileName().toString(), new RegionNode(Manifests.render(overlay), cassandra));
    }
    assertFalse(regions.isEmpty(), "no overlays under k8s/overlays");
  }

  static List<String> regionNames() throws Exception {
    return Manifests.overlays().stream().map(p -> p.getFileName().toString()).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regionNames")
  void everyVariableIsOneTheNodeReadsAndTheRequiredOnesAreSet(String region) {
    RegionNode r = regions.get(region);
    assertEquals(List.of(), r.env.problems, region + ": environment references");
    Set<String> known = KnownVariables.read();
    Set<String> unknown = new TreeSet<>(r.env.values.keySet());
    unknown.removeAll(known);
    assertEquals(Set.of(), unknown, region + ": variables no config file or NodeConfig reads");
    Set<String> missing = new TreeSet<>(REQUIRED);
    if (cassandra.auth()) missing.addAll(Set.of("MERIDIAN_CASSANDRA_USERNAME", "MERIDIAN_CASSANDRA_PASSWORD"));
    missing.removeAll(r.env.values.keySet());
    assertEquals(Set.of(), missing, region + ": required variables not set");
    for (String name : SECRET) {
      JsonNode definition = r.env.definitions.get(name);
      if (definition == null) continue;
      assertTrue(definition.path("valueFrom").has("secretKeyRef")
          || "Secret".equals(definition.path("kind").asText()), region + ": " + name + " must come from a Secret");
    }
    // The node can read everything it is given: the settings records parse without errors.
    MeridianSettings.from(r.config);
    ApiSettings.from(r.config);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regionNames")
  void containerPortsAreThePortsTheNodeListensOn(String region) {
    RegionNode r = regions.get(region);
    assertEquals(r.config.getInt("meridian.s3.port"), r.containerPort("s3"), region + ": S3 port");
    assertEquals(r.config.getInt("pekko.remote.artery.canonical.port"), r.containerPort("remoting"), region + ": remoting");
    assertEquals(r.config.getInt("pekko.management.http.port"), r.containerPort("management"), region + ": management");
    assertEquals("", r.config.getString("pekko.remote.artery.bind.port"), region + ": remoting binds its canonical port");
    assertEquals("", r.config.getString("pekko.management.http.bind-port"), region + ": management binds its port");
    // Other nodes reach this one on its pod IP; Services, probes and port-forward on every interface.
    assertEquals(NodeEnvironment.POD_IP, r.config.getString("pekko.remote.artery.canonical.hostname"), region);
    assertEquals(NodeEnvironment.POD_IP, r.config.getString("pekko.management.http.hostname"), region);
    assertEquals("0.0.0.0", r.config.getString("meridian.s3.host"), region + ": S3 reachable through the Service");
    assertTrue(Set.of("0.0.0.0", NodeEnvironment.POD_IP).contains(r.config.getString("pekko.management.http.bind-hostname")),
        region + ": management must listen where the kubelet probes");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regionNames")
  void probesCallPekkoManagementsHealthChecks(String region) {
    RegionNode r = regions.get(region);
    String base = r.config.getString("pekko.management.http.base-path");
    String prefix = base.isEmpty() ? "/" : "/" + base + "/";
    for (String[] probe : new String[][] {{"readinessProbe", "readiness-path"}, {"livenessProbe", "liveness-path"}}) {
      JsonNode get = r.container.path(probe[0]).path("httpGet");
      assertFalse(get.isMissingNode(), region + ": " + probe[0] + " is an HTTP GET");
      assertEquals(prefix + r.config.getString("pekko.management.health-checks." + probe[1]), get.path("path").asText(),
          region + ": " + probe[0] + " path");
      assertEquals(r.config.getInt("pekko.management.http.port"), r.port(get.path("port")), region + ": " + probe[0] + " port");
      assertEquals("HTTP", get.path("scheme").asText("HTTP"), region + ": management serves plain HTTP");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regionNames")
  void theDataCenterIsTheOverlaysRegion(String region) {
    RegionNode r = regions.get(region);
    assertEquals(region, r.config.getString("meridian.region"), region + ": MERIDIAN_REGION is the overlay's region");
    assertEquals(region, r.config.getString("pekko.cluster.multi-data-center.self-data-center"),
        region + ": the node's Pekko data center");
    assertEquals(new TreeSet<>(regions.keySet()), new TreeSet<>(r.config.getStringList("meridian.regions")),
        region + ": meridian.regions must list exactly the regions deployed (the overlays)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regionNames")
  void clusterBootstrapDiscoversThePodsOfEveryRegion(String region) {
    RegionNode r = regions.get(region);
    Config c = r.config;
    assertTrue(c.getBoolean("meridian.cluster.bootstrap"), region + ": Cluster Bootstrap forms the cluster");
    assertEquals(List.of(), c.getStringList("pekko.cluster.seed-nodes"), region + ": no static seeds with bootstrap");
    String path = "pekko.management.cluster.bootstrap.contact-point-discovery.";
    assertEquals("kubernetes-api", c.getString(path + "discovery-method"), region + ": discovery method");
    assertEquals("org.apache.pekko.discovery.kubernetes.KubernetesApiServiceDiscovery",
        c.getString("pekko.discovery.kubernetes-api.class"), region);
    assertClassExists(c.getString("pekko.discovery.kubernetes-api.class"));
    assertTrue(c.getBoolean("pekko.discovery.kubernetes-api.use-raw-ip"),
        region + ": contact points probed on pod IPs, not on pod DNS names that depend on the cluster's DNS");

    // The pods Kubernetes API discovery lists: pod-label-selector with the effective service name, in the
    // pod's own namespace unless one is configured. Every region's pods must be among them (one cluster).
    String effective = c.getString(path + "effective-name");
    if (effective.equals("<effective-name>")) {
      String namespace = c.getString(path + "service-namespace");
      effective = c.getString(path + "service-name") + (namespace.equals("<service-namespace>") ? "" : "." + namespace);
    }
    Map<String, String> selector = parseSelector(String.format(c.getString("pekko.discovery.kubernetes-api.pod-label-selector"), effective));
    String namespace = c.getString("pekko.discovery.kubernetes-api.pod-namespace");
    if (namespace.equals("<pod-namespace>")) namespace = Manifests.namespaceOf(r.statefulSet);
    for (RegionNode other : regions.values()) {
      assertTrue(Manifests.selects(selector, other.podLabels), region + ": discovery selector " + selector
          + " must select the pods of " + other.region + " " + other.podLabels);
      assertEquals(namespace, Manifests.namespaceOf(other.statefulSet),
          region + ": discovery lists one namespace; " + other.region + " must run in it");
    }

    int required = c.getInt(path + "required-contact-point-nr");
    int replicas = r.statefulSet.path("spec").path("replicas").asInt(1);
    assertTrue(required >= 1 && required <= replicas, region + ": required contact points " + required
        + " must be between 1 and the region's " + replicas + " replicas (a region may be deployed alone)");
    if (required > 1) {
      assertEquals("Parallel", r.statefulSet.path("spec").path("podManagementPolicy").asText(), region
          + ": with several required contact points the pods must start together (a pod is ready only once joined)");
    }
    // Contact points are probed on the port named by port-name, or else on the management port.
    String portName = c.getString(path + "port-name");
    if (!portName.isEmpty()) r.containerPort(portName);
    String fallback = c.getString("pekko.management.cluster.bootstrap.contact-point.fallback-port");
    if (!fallback.equals("<fallback-port>")) assertEquals(r.containerPort("management"), Integer.parseInt(fallback), region);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regionNames")
  void selectorsSelectTheRegionsPodsAndNoOthers(String region) {
    RegionNode r = regions.get(region);
    Map<String, Map<String, String>> selectors = new LinkedHashMap<>();
    selectors.put("StatefulSet", Manifests.stringMap(r.statefulSet.path("spec").path("selector").path("matchLabels")));
    for (JsonNode pdb : r.manifests.ofKind("PodDisruptionBudget")) {
      selectors.put("PodDisruptionBudget " + Manifests.nameOf(pdb), Manifests.stringMap(pdb.path("spec").path("selector").path("matchLabels")));
    }
    for (JsonNode service : r.manifests.ofKind("Service")) {
      selectors.put("Service " + Manifests.nameOf(service), Manifests.stringMap(service.path("spec").path("selector")));
      for (JsonNode port : service.path("spec").path("ports")) {
        r.port(port.path("targetPort").isMissingNode() ? port.path("port") : port.path("targetPort"));
      }
    }
    assertFalse(r.manifests.ofKind("PodDisruptionBudget").isEmpty(), region + ": a PodDisruptionBudget");
    for (var s : selectors.entrySet()) {
      assertTrue(Manifests.selects(s.getValue(), r.podLabels), region + ": " + s.getKey() + " must select its pods");
      for (RegionNode other : regions.values()) {
        if (other == r || !Manifests.namespaceOf(other.statefulSet).equals(Manifests.namespaceOf(r.statefulSet))) continue;
        assertFalse(Manifests.selects(s.getValue(), other.podLabels),
            region + ": " + s.getKey() + " also selects the pods of " + other.region);
      }
    }
    JsonNode s3 = r.manifests.ofKind("Service").stream()
        .filter(svc -> !"None".equals(svc.path("spec").path("clusterIP").asText()))
        .filter(svc -> hasTarget(r, svc, "s3")).findFirst()
        .orElseThrow(() -> new AssertionError(region + ": no Service for the S3 endpoint"));
    assertTrue(Manifests.selects(Manifests.stringMap(s3.path("spec").path("selector")), r.podLabels));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regionNames")
  void theHeadlessServiceIsTheStatefulSetsServiceName(String region) {
    RegionNode r = regions.get(region);
    String name = r.statefulSet.path("spec").path("serviceName").asText();
    JsonNode service = r.manifests.find("Service", name)
        .orElseThrow(() -> new AssertionError(region + ": serviceName " + name + " is not a rendered Service"));
    assertEquals("None", service.path("spec").path("clusterIP").asText(), region + ": " + name + " must be headless");
    assertTrue(service.path("spec").path("publishNotReadyAddresses").asBoolean(),
        region + ": pods joining the cluster are not ready yet and must still be published");
    assertTrue(hasTarget(r, service, "remoting"), region + ": the headless Service carries cluster traffic");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regionNames")
  void theServiceAccountMayListPods(String region) {
    RegionNode r = regions.get(region);
    String account = r.podSpec.path("serviceAccountName").asText();
    String namespace = Manifests.namespaceOf(r.statefulSet);
    assertTrue(r.manifests.find("ServiceAccount", account).isPresent(), region + ": ServiceAccount " + account);
    boolean granted = r.manifests.ofKind("RoleBinding").stream()
        .filter(b -> Manifests.namespaceOf(b).equals(namespace))
        .filter(b -> java.util.stream.StreamSupport.stream(b.path("subjects").spliterator(), false).anyMatch(s ->
            "ServiceAccount".equals(s.path("kind").asText()) && account.equals(s.path("name").asText())
                && namespace.equals(s.path("namespace").asText(namespace))))
        .map(b -> r.manifests.find(b.path("roleRef").path("kind").asText(), b.path("roleRef").path("name").asText()))
        .flatMap(java.util.Optional::stream)
        .anyMatch(role -> java.util.stream.StreamSupport.stream(role.path("rules").spliterator(), false).anyMatch(rule ->
            values(rule.path("apiGroups")).contains("") && values(rule.path("resources")).contains("pods")
                && values(rule.path("verbs")).containsAll(Set.of("get", "list", "watch"))));
    assertTrue(granted, region + ": " + account + " needs get/list/watch on pods (Kubernetes API discovery)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regionNames")
  void containersHaveResourcesAndRunAsNonRoot(String region) {
    RegionNode r = regions.get(region);
    for (JsonNode container : r.podSpec.path("containers")) {
      for (String kind : List.of("requests", "limits")) {
        for (String resource : List.of("cpu", "memory")) {
          assertFalse(container.path("resources").path(kind).path(resource).asText().isEmpty(),
              region + ": " + container.path("name").asText() + " " + kind + "." + resource);
        }
      }
      assertFalse(container.path("image").asText().isEmpty(), region + ": image");
      assertTrue(container.path("securityContext").path("runAsNonRoot").asBoolean(false)
          || r.podSpec.path("securityContext").path("runAsNonRoot").asBoolean(false), region + ": runAsNonRoot");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regionNames")
  void theRegionUsesItsCassandraDataCenter(String region) {
    RegionNode r = regions.get(region);
    String dc = r.config.getString("datastax-java-driver.basic.load-balancing-policy.local-datacenter");
    assertTrue(cassandra.dataCenters().containsKey(dc), region + ": Cassandra DC " + dc + " not in " + cassandra.dataCenters().keySet());
    for (String contact : r.config.getStringList("datastax-java-driver.basic.contact-points")) {
      assertEquals(cassandra.serviceOf(dc) + ":9042", contact.replaceFirst("\\.[^:]*(:\\d+)$", "$1"),
          region + ": contact points must be the CQL Service of its own data center " + dc);
    }
    Map<String, String> own = cassandra.replication(r.config.getString("meridian.storage.region-replication"));
    assertEquals(Set.of(dc), own.keySet(), region + ": the region's keyspace lives in its data center only");
    Map<String, String> global = cassandra.replication(r.config.getString("meridian.storage.global-replication"));
    assertEquals(cassandra.dataCenters().keySet(), global.keySet(), region + ": the global keyspace lives in every data center");
    if (cassandra.auth()) {
      assertEquals("PlainTextAuthProvider", r.config.getString("datastax-java-driver.advanced.auth-provider.class"), region);
    }
  }

  @Test
  void everyCassandraDataCenterServesOneRegion() {
    Map<String, String> regionOfDc = new LinkedHashMap<>();
    for (RegionNode r : regions.values()) {
      String dc = r.config.getString("datastax-java-driver.basic.load-balancing-policy.local-datacenter");
      String before = regionOfDc.put(dc, r.region);
      if (before != null) fail("regions " + before + " and " + r.region + " share Cassandra data center " + dc);
    }
    assertEquals(cassandra.dataCenters().keySet(), regionOfDc.keySet(),
        "the K8ssandraCluster's data centers must be the regions' data centers");
  }

  private static boolean hasTarget(RegionNode r, JsonNode service, String containerPortName) {
    int wanted = r.containerPort(containerPortName);
    return java.util.stream.StreamSupport.stream(service.path("spec").path("ports").spliterator(), false)
        .anyMatch(p -> r.port(p.path("targetPort").isMissingNode() ? p.path("port") : p.path("targetPort")) == wanted);
  }

  private static Set<String> values(JsonNode array) {
    Set<String> s = new TreeSet<>();
    array.forEach(v -> s.add(v.asText()));
    return s;
  }

  private static Map<String, String> parseSelector(String selector) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String term : selector.split(",")) {
      String[] kv = term.trim().split("==?", 2);
      if (kv.length != 2) fail("only equality selectors are checked, not " + term);
      m.put(kv[0].trim(), kv[1].trim());
    }
    return m;
  }

  private static void assertClassExists(String name) {
    try {
      Class.forName(name);
    } catch (ClassNotFoundException e) {
      fail(name + " is not on the node's classpath");
    }
  }
}
