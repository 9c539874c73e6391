package dev.meridian.server;

import com.typesafe.config.Config;
import dev.meridian.api.ApiSettings;
import dev.meridian.api.S3Server;
import dev.meridian.cluster.BucketService;
import dev.meridian.cluster.MeridianSettings;
import dev.meridian.cluster.RegionStorage;
import dev.meridian.cluster.Shards;
import dev.meridian.replication.Replication;
import dev.meridian.replication.ReplicationAdmin;
import dev.meridian.replication.ReplicationJobs;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.pubsub.DistributedPubSub;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Meridian node: joins the cluster as a member of its region (data center), connects to its region's
 * Cassandra keyspace, starts the bucket and partition shards, and serves S3. Prints a READY line that
 * launchers wait for.
 */
public final class MeridianNode {

  private static final Logger log = LoggerFactory.getLogger(MeridianNode.class);

  public final ActorSystem<Void> system;
  public final BucketService buckets;
  public final ServerBinding binding;

  private MeridianNode(ActorSystem<Void> system, BucketService buckets, ServerBinding binding) {
    this.system = system;
    this.buckets = buckets;
    this.binding = binding;
  }

  public static MeridianNode start(Config config) throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "meridian", config);
    try {
      MeridianSettings settings = MeridianSettings.from(config);
      PekkoManagement.get(system).start().toCompletableFuture().get();
      // The journal notifies events-by-tag queries (replication) of new events through pub-sub.
      DistributedPubSub.get(Adapter.toClassic(system)).mediator();
      if (config.getBoolean("meridian.cluster.bootstrap")) ClusterBootstrap.get(system).start();
      RegionStorage storage = RegionStorage.connect(system, settings).toCompletableFuture().get();
      storage.scheduleGc(system);
      BucketService buckets = new BucketService(system, storage, new Shards(system, storage));
      ServerBinding binding = new S3Server(system, ApiSettings.from(config), buckets).bind().toCompletableFuture().get();
      ClusterStatus.BUCKETS.set(buckets);
      Replication.start(system, buckets);
      ReplicationRoutes.bind(system, new ReplicationAdmin(system, buckets), new ReplicationJobs(buckets));
      ServingCheck.set(Adapter.toClassic(system), true);
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "s3-unbind", () -> {
        ServingCheck.set(Adapter.toClassic(system), false);
        return binding.terminate(Duration.ofSeconds(10)).thenApply(x -> Done.getInstance());
      });
      return new MeridianNode(system, buckets, binding);
    } catch (Exception e) {
      system.terminate();
      throw e;
    }
  }

  public CompletionStage<Done> stop() {
    return CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
  }

  public static void main(String[] args) throws Exception {
    boolean pooled = AsyncPool.configure(); // before anything else uses CompletableFuture
    if (!pooled) log.warn("CompletableFuture's default executor is not the common pool: a thread per async completion");
    if ("true".equals(System.getenv("MERIDIAN_EXIT_ON_STDIN_EOF"))) exitOnStdinEof();
    Config config = NodeConfig.load();
    MeridianNode node = start(config);
    var addr = node.binding.localAddress();
    String line = "MERIDIAN READY region=" + config.getString("meridian.region")
        + " s3=http://" + addr.getHostString() + ":" + addr.getPort();
    log.info(line);
    System.out.println(line);
    System.out.flush();
  }

  /** A node started by a launcher dies with it, even when the launcher is killed: our stdin is its pipe. */
  private static void exitOnStdinEof() {
    Thread t = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // discard
        }
      } catch (java.io.IOException e) {
        // treated as end of input
      }
      log.info("launcher gone (stdin closed), shutting down");
      System.exit(0);
    }, "stdin-watch");
    t.setDaemon(true);
    t.start();
  }
}
