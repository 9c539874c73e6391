package dev.meridian.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meridian.cluster.BucketService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionId;
import org.apache.pekko.actor.ExtensionIdProvider;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * {@code GET /meridian/status} on the management port: the regions, their nodes with status and
 * reachability as this node sees them, and the home region of every bucket. Registered with Pekko
 * Management as a route provider ({@code pekko.management.http.routes}); {@code bin/meridian-status}
 * prints it as a table.
 */
public final class ClusterStatus implements ExtensionIdProvider {

  /** The node's bucket service, set once the node has started (status answers 503 before that). */
  static final AtomicReference<BucketService> BUCKETS = new AtomicReference<>();

  public record Node(String address, String status, boolean reachable, boolean self) {}

  public record Region(String name, List<Node> nodes) {}

  public record BucketHome(String name, String region) {}

  public record Status(String selfRegion, List<Region> regions, List<BucketHome> buckets) {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final ExtensionId<Routes> ID = new ExtensionId<>() {
    @Override
    public Routes createExtension(ExtendedActorSystem system) {
      return new Routes(system);
    }
  };

  @Override
  public ExtensionId<?> lookup() {
    return ID;
  }

  /** The management routes. */
  public static final class Routes implements Extension, ManagementRouteProvider {
    private final ExtendedActorSystem system;

    Routes(ExtendedActorSystem system) {
      this.system = system;
    }

    @Override
    public Route routes(ManagementRouteProviderSettings settings) {
      return Directives.path(PathMatchers.segment("meridian").slash("status"), () -> Directives.get(() ->
          Directives.completeWithFuture(status(system).thenApply(s -> {
            try {
              return HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(s)));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }).exceptionally(e -> HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE)
              .withEntity(e.toString())))));
    }
  }

  static CompletionStage<Status> status(ExtendedActorSystem classic) {
    BucketService buckets = BUCKETS.get();
    if (buckets == null) return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("starting"));
    Cluster cluster = Cluster.get(Adapter.toTyped(classic));
    Map<String, List<Node>> byRegion = new TreeMap<>();
    for (String r : buckets.settings().regions()) byRegion.put(r, new ArrayList<>());
    var state = cluster.state();
    for (Member m : state.getMembers()) {
      boolean reachable = !state.getUnreachable().contains(m) && !state.getUnreachableDataCenters().contains(m.dataCenter());
      byRegion.computeIfAbsent(m.dataCenter(), k -> new ArrayList<>()).add(new Node(m.address().toString(),
          m.status().toString(), reachable, m.equals(cluster.selfMember())));
    }
    List<Region> regions = byRegion.entrySet().stream().map(e -> new Region(e.getKey(), e.getValue())).toList();
    return buckets.allBuckets().thenApply(all -> new Status(buckets.settings().region(), regions,
        all.stream().map(b -> new BucketHome(b.name(), b.region())).toList()));
  }
}
