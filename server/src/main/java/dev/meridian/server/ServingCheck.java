package dev.meridian.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * Readiness check of Pekko Management ({@code /ready}, the Kubernetes readiness probe): true while this
 * node serves S3. Cluster membership alone (the other readiness check) turns true before the region's
 * Cassandra schema is in place and the S3 port is bound, so a Service or a rolling update would send
 * clients to a node that refuses them. {@link MeridianNode} marks the node serving once S3 is bound and
 * not serving when shutdown begins, before the port is unbound.
 */
public final class ServingCheck implements Supplier<CompletionStage<Boolean>> {

  private final AtomicBoolean serving;

  /** Instantiated by Pekko Management from {@code pekko.management.health-checks.readiness-checks}. */
  public ServingCheck(ActorSystem system) {
    this.serving = Flag.ID.get(system).serving;
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(serving.get());
  }

  static void set(ActorSystem system, boolean serving) {
    Flag.ID.get(system).serving.set(serving);
  }

  /** One flag per actor system (tests run several nodes in one JVM). */
  static final class Flag implements Extension {
    static final AbstractExtensionId<Flag> ID = new AbstractExtensionId<>() {
      @Override
      public Flag createExtension(ExtendedActorSystem system) {
        return new Flag();
      }
    };

    final AtomicBoolean serving = new AtomicBoolean(false);
  }
}
