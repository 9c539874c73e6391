package dev.meridian.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meridian.cluster.Result;
import dev.meridian.cluster.StoreError;
import dev.meridian.replication.ReplicationAdmin;
import dev.meridian.replication.ReplicationJobs;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionId;
import org.apache.pekko.actor.ExtensionIdProvider;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * Replication operations on the management port (JSON; {@code bin/meridian-replication} is the CLI):
 * <pre>
 * GET  /meridian/replication/buckets/{bucket}        pending / completed / failed per destination, latency
 * GET  /meridian/replication/regions/{region}        whether the streams into a region are paused
 * POST /meridian/replication/regions/{region}/pause  pause the streams into a region (survives restarts)
 * POST /meridian/replication/regions/{region}/resume
 * POST /meridian/replication/jobs                    {"bucket":..,"existing":true,"retryFailed":true}
 * GET  /meridian/replication/jobs[/{id}]             progress and completion report of jobs
 * </pre>
 * The management port belongs to the cluster's private network (see k8s/): these routes change state.
 */
public final class ReplicationRoutes implements ExtensionIdProvider {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  static final ExtensionId<Routes> ID = new ExtensionId<>() {
    @Override
    public Routes createExtension(ExtendedActorSystem system) {
      return new Routes();
    }
  };

  @Override
  public ExtensionId<?> lookup() {
    return ID;
  }

  /** Hands the node's replication services to its management routes (created before the node is up). */
  static void bind(ActorSystem<?> system, ReplicationAdmin admin, ReplicationJobs jobs) {
    ID.get(Adapter.toClassic(system)).services.set(new Services(admin, jobs));
  }

  private record Services(ReplicationAdmin admin, ReplicationJobs jobs) {}

  /** The routes, one instance per actor system. */
  public static final class Routes implements Extension, ManagementRouteProvider {
    private final AtomicReference<Services> services = new AtomicReference<>();

    @Override
    public Route routes(ManagementRouteProviderSettings settings) {
      var base = PathMatchers.segment("meridian").slash("replication");
      return Directives.concat(
          Directives.path(base.slash("buckets").slash(PathMatchers.segment()), bucket -> Directives.get(() ->
              answer(() -> s().admin().metrics(bucket)))),
          Directives.path(base.slash("regions").slash(PathMatchers.segment()), region -> Directives.get(() ->
              answer(() -> s().admin().streams(region)))),
          Directives.path(base.slash("regions").slash(PathMatchers.segment()).slash("pause"), region ->
              Directives.post(() -> answer(() -> s().admin().pause(region)))),
          Directives.path(base.slash("regions").slash(PathMatchers.segment()).slash("resume"), region ->
              Directives.post(() -> answer(() -> s().admin().resume(region)))),
          Directives.path(base.slash("jobs"), () -> Directives.concat(
              Directives.get(() -> answer(() -> CompletableFuture.completedFuture(s().jobs().reports()))),
              Directives.post(() -> Directives.entity(org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller.entityToString(),
                  body -> answer(() -> s().jobs().start(spec(body))))))),
          Directives.path(base.slash("jobs").slash(PathMatchers.segment()), id -> Directives.get(() ->
              answer(() -> {
                var report = s().jobs().report(id);
                if (report == null) throw new NotFound("no job " + id + " on this node");
                return CompletableFuture.completedFuture(report);
              }))));
    }

    private Services s() {
      Services s = services.get();
      if (s == null) throw new IllegalStateException("the node is starting");
      return s;
    }
  }

  private static ReplicationJobs.Spec spec(String body) {
    try {
      return JSON.readValue(body, ReplicationJobs.Spec.class);
    } catch (Exception e) {
      throw new IllegalArgumentException("expected {\"bucket\": ..., \"existing\": true|false, \"retryFailed\": true|false}");
    }
  }

  private static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message);
    }
  }

  private static Route answer(Supplier<CompletionStage<?>> work) {
    CompletionStage<?> result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return Directives.completeWithFuture(result.<HttpResponse>handle((value, err) -> {
      if (err == null) return json(StatusCodes.OK, value);
      Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
      StatusCode status = StatusCodes.SERVICE_UNAVAILABLE;
      if (cause instanceof IllegalArgumentException) status = StatusCodes.BAD_REQUEST;
      if (cause instanceof NotFound) status = StatusCodes.NOT_FOUND;
      if (cause instanceof Result.StoreException se) {
        if (se.error == StoreError.NO_SUCH_BUCKET) status = StatusCodes.NOT_FOUND;
        if (se.error == StoreError.WRONG_REGION) status = StatusCodes.MISDIRECTED_REQUEST;
      }
      String message = cause instanceof Result.StoreException se && se.error == StoreError.WRONG_REGION
          ? "ask a node of region " + se.getMessage() : cause.getMessage();
      return json(status, java.util.Map.of("error", String.valueOf(message)));
    }));
  }

  private static HttpResponse json(StatusCode status, Object value) {
    try {
      return HttpResponse.create().withStatus(status)
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(value)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
