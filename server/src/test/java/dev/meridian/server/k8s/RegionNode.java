package dev.meridian.server.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import java.util.Map;

/** One region's rendered node: its StatefulSet, pod, container, environment and effective config. */
final class RegionNode {

  final String region;
  final Manifests manifests;
  final JsonNode statefulSet;
  final JsonNode podSpec;
  final JsonNode container;
  final Map<String, String> podLabels;
  final NodeEnvironment env;
  final Config config;

  RegionNode(Manifests manifests, Cassandra cassandra) {
    this.region = manifests.name();
    this.manifests = manifests;
    this.statefulSet = manifests.single("StatefulSet");
    JsonNode template = statefulSet.path("spec").path("template");
    this.podSpec = template.path("spec");
    this.podLabels = Manifests.stringMap(template.path("metadata").path("labels"));
    JsonNode meridian = null;
    for (JsonNode c : podSpec.path("containers")) {
      if ("meridian".equals(c.path("name").asText())) meridian = c;
    }
    if (meridian == null) throw new AssertionError(region + ": no container named meridian");
    this.container = meridian;
    this.env = new NodeEnvironment(manifests, statefulSet, container, cassandra.generatedSecrets());
    this.config = env.config();
  }

  /** The number of the node container's port with this name. */
  int containerPort(String name) {
    for (JsonNode p : container.path("ports")) {
      if (name.equals(p.path("name").asText())) return p.path("containerPort").asInt();
    }
    throw new AssertionError(region + ": the container has no port named " + name);
  }

  /** A port reference (a number or a container port's name, as in probes and targetPorts) as a number. */
  int port(JsonNode ref) {
    if (ref.isInt() || ref.asText().matches("\\d+")) {
      int number = ref.asInt();
      for (JsonNode p : container.path("ports")) {
        if (p.path("containerPort").asInt() == number) return number;
      }
      throw new AssertionError(region + ": port " + number + " is not a port of the container");
    }
    return containerPort(ref.asText());
  }
}
