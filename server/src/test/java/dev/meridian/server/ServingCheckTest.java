package dev.meridian.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.meridian.persistence.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The readiness path of Pekko Management, as the Kubernetes probe of k8s/ calls it, answers 200 only for
 * a cluster member that serves S3: the check configured in meridian-management.conf is loaded and used.
 */
class ServingCheckTest {

  private ActorSystem system;

  @AfterEach
  void stop() throws Exception {
    if (system != null) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get();
    }
  }

  @Test
  void readyOnlyWhileServingS3() throws Exception {
    int management = FreePorts.freePort();
    Config config = ConfigFactory.parseMap(Map.of(
            "pekko.remote.artery.canonical.port", FreePorts.freePort(),
            "pekko.management.http.port", management,
            "pekko.coordinated-shutdown.exit-jvm", "off"))
        .withFallback(ConfigFactory.load()).resolve();
    system = ActorSystem.create("meridian", config);
    PekkoManagement.get(system).start().toCompletableFuture().get();
    Cluster cluster = Cluster.get(system);
    cluster.join(cluster.selfAddress());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (cluster.selfMember().status() != MemberStatus.up()) {
      if (System.nanoTime() > deadline) throw new AssertionError("never Up");
      Thread.sleep(100);
    }
    URI ready = URI.create("http://127.0.0.1:" + management + "/ready");
    URI alive = URI.create("http://127.0.0.1:" + management + "/alive");

    // Pekko Management answers a failed check with 500; probes fail on any status from 400.
    assertEquals(500, get(ready), "an Up member that does not serve S3 yet is not ready");
    assertEquals(200, get(alive));
    ServingCheck.set(system, true);
    assertEquals(200, get(ready));
    ServingCheck.set(system, false);
    assertEquals(500, get(ready), "a node shutting down is taken out of the Service first");
  }

  private static int get(URI uri) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
