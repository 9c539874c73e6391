package dev.meridian.chaos.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.server.ClusterStatus;
import dev.meridian.server.NodeProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The cluster under test: every node of the {@link Topology} its own OS process ({@link NodeProcess}),
 * pointed at the run's {@link Storage}, with S3 clients per node. The nemeses act through it (kill,
 * freeze, thaw, restart a node); {@link #close} kills every process it started, frozen ones included.
 */
public final class ChaosCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChaosCluster.class);
  public static final String ACCESS_KEY = "AKIAMERIDIANLOCAL001";
  public static final String SECRET_KEY = "meridian-local-secret-key-0000000000000";
  static final Duration READY = Duration.ofMinutes(4);
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Topology topology;
  private final Storage storage;
  private final Path logDir;
  private final ProcessLedger ledger;
  private final String heap;
  private final Map<String, String> extraEnv;
  private final Map<String, NodeProcess> running = new ConcurrentHashMap<>();
  /** Nodes that have been READY once: started again, they join the running cluster rather than form one. */
  private final Set<String> launched = ConcurrentHashMap.newKeySet();
  private final Map<String, S3Client> clients = new ConcurrentHashMap<>();
  /** Nodes the harness SIGKILLed and has not started again. */
  private final java.util.Set<String> killed = ConcurrentHashMap.newKeySet();
  private final List<String> startFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
      .connectTimeout(Duration.ofSeconds(3)).build();

  public ChaosCluster(Topology topology, Storage storage, Path logDir, ProcessLedger ledger, String heap,
      Map<String, String> extraEnv) {
    this.topology = topology;
    this.storage = storage;
    this.logDir = logDir;
    this.ledger = ledger;
    this.heap = heap;
    this.extraEnv = Map.copyOf(extraEnv);
  }

  public Topology topology() {
    return topology;
  }

  public Storage storage() {
    return storage;
  }

  public List<Topology.Slot> nodes() {
    return topology.slots();
  }

  public List<Topology.Slot> nodesOf(String region) {
    return topology.slots().stream().filter(s -> s.region().equals(region)).toList();
  }

  /** Starts every node in parallel and waits until each serves S3 and sees every node Up. */
  public void startAll() throws Exception {
    start(topology.slots());
    for (Topology.Slot s : topology.slots()) awaitStatus(s, "every node Up and reachable", this::allUp, READY);
  }

  /**
   * Starts (or restarts) the given nodes in parallel; returns once each has printed READY and answers S3. A
   * node whose process exits before READY (on a crowded machine Artery may miss its 3 s bind timeout) is
   * started again, at most twice; every such failure is kept in {@link #startFailures} for the report.
   */
  public void start(List<Topology.Slot> which) throws Exception {
    long t0 = System.nanoTime();
    Map<Topology.Slot, CompletableFuture<String>> ready = new LinkedHashMap<>();
    for (Topology.Slot s : which) ready.put(s, launch(s));
    for (Topology.Slot s : which) {
      for (int attempt = 1; ; attempt++) {
        try {
          ready.get(s).get();
          launched.add(s.name());
          break;
        } catch (Exception e) {
          boolean exited = !alive(s);
          String what = s.name() + " did not start (attempt " + attempt + ", " + (exited ? "process exited" : "not ready in "
              + READY.toSeconds() + " s") + "); see " + logDir.resolve(s.name() + ".log");
          log.warn(what);
          startFailures.add(what);
          if (attempt >= 3 || !exited) throw new IllegalStateException(what, e);
          ready.put(s, launch(s));
        }
      }
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    for (Topology.Slot s : which) {
      while (true) {
        try {
          client(s).listBuckets();
          break;
        } catch (RuntimeException e) {
          if (System.nanoTime() > deadline) throw new IllegalStateException("ListBuckets never worked on " + s.name(), e);
          Thread.sleep(250);
        }
      }
    }
    log.info("nodes {} serve S3 after {} ms", which.stream().map(Topology.Slot::name).toList(), (System.nanoTime() - t0) / 1_000_000);
  }

  /** Waits until each of the nodes answers ListBuckets; returns the names of those that did not within {@code within}. */
  public List<String> awaitServing(List<Topology.Slot> which, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    List<String> pending = new ArrayList<>(which.stream().map(Topology.Slot::name).toList());
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      for (Topology.Slot s : which) {
        if (!pending.contains(s.name())) continue;
        try {
          quick(s).listBuckets();
          pending.remove(s.name());
        } catch (RuntimeException e) {
          // not yet
        }
      }
      if (!pending.isEmpty()) Thread.sleep(500);
    }
    return pending;
  }

  private CompletableFuture<String> launch(Topology.Slot s) throws IOException {
    dropClient(s);
    Map<String, String> env = new LinkedHashMap<>(storage.env(s.region()));
    env.putAll(s.env());
    env.putAll(extraEnv);
    List<String> seeds = launched.contains(s.name())
        ? NodeProcess.rejoining(topology.seeds(), s.seedAddress()) : topology.seeds();
    NodeProcess p = NodeProcess.start(s.spec(), topology.regions(), seeds, heap, logDir, env, s.launchPrefix());
    ledger.record(p.pid(), env.get("MERIDIAN_KEYSPACE_PREFIX"));
    synchronized (killed) { // the exit watcher must never see a node neither running nor killed
      running.put(s.name(), p);
      killed.remove(s.name());
    }
    return p.ready(READY);
  }

  /** Nodes that failed to start and were started again, for the report. */
  public List<String> startFailures() {
    return List.copyOf(startFailures);
  }

  /** SIGKILL: the node dies without leaving the cluster. */
  public String kill(Topology.Slot s) {
    NodeProcess p;
    synchronized (killed) {
      p = running.remove(s.name());
      if (p == null) return s.name() + " was not running";
      killed.add(s.name());
    }
    dropClient(s);
    long pid = p.pid();
    p.kill();
    return "SIGKILL " + s.name() + " (pid " + pid + ")";
  }

  /** SIGSTOP: the node stops answering but keeps its connections (a grey failure). */
  public String freeze(Topology.Slot s) {
    NodeProcess p = running.get(s.name());
    if (p == null) return s.name() + " was not running";
    p.freeze();
    return "SIGSTOP " + s.name() + " (pid " + p.pid() + ")";
  }

  public String thaw(Topology.Slot s) {
    NodeProcess p = running.get(s.name());
    if (p == null || !p.isAlive()) return s.name() + " was not running";
    p.thaw();
    return "SIGCONT " + s.name() + " (pid " + p.pid() + ")";
  }

  /** Whether the node's process is alive (it may be frozen). */
  public boolean alive(Topology.Slot s) {
    NodeProcess p = running.get(s.name());
    return p != null && p.isAlive();
  }

  /** Nodes whose process has exited although the harness did not kill them (e.g. downed by the Split Brain Resolver). */
  public List<Topology.Slot> exitedByThemselves() {
    synchronized (killed) {
      return topology.slots().stream().filter(s -> !alive(s) && !killed.contains(s.name())).toList();
    }
  }

  /** Nodes whose process has exited (killed, or gone by itself, e.g. downed by the Split Brain Resolver). */
  public List<Topology.Slot> dead() {
    return topology.slots().stream().filter(s -> !alive(s)).toList();
  }

  /**
   * A client that never retries and gives up after 20 s, so every request is one attempt the history
   * records with its own outcome.
   */
  public S3Client client(Topology.Slot s) {
    return clients.computeIfAbsent(s.name(), k -> client(s.endpoint(), false, Duration.ofSeconds(20)));
  }

  /** A client with the SDK's default retries, for set-up and for reading the final state. */
  public S3Client reliable(Topology.Slot s) {
    return clients.computeIfAbsent(s.name() + "/reliable", k -> client(s.endpoint(), true, Duration.ofSeconds(60)));
  }

  /** A client that gives up after 3 s, for probing (a frozen node must not stall the probe for long). */
  public S3Client quick(Topology.Slot s) {
    return clients.computeIfAbsent(s.name() + "/quick", k -> client(s.endpoint(), false, Duration.ofSeconds(3)));
  }

  /** An IAM client of the node with the root credentials (IAM is global: signed for aws-global). The caller closes it. */
  public IamClient iam(Topology.Slot s) {
    return IamClient.builder().endpointOverride(s.endpoint()).region(Region.AWS_GLOBAL)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClientBuilder(Apache5HttpClient.builder()).build();
  }

  public static S3Client client(URI endpoint, boolean retries, Duration callTimeout) {
    return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClientBuilder(Apache5HttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(Duration.ofSeconds(15)).maxConnections(32))
        .overrideConfiguration(c -> {
          c.apiCallTimeout(callTimeout);
          if (!retries) c.retryStrategy(AwsRetryStrategy.doNotRetry());
        })
        .build();
  }

  private void dropClient(Topology.Slot s) {
    for (String k : List.of(s.name(), s.name() + "/reliable", s.name() + "/quick")) {
      S3Client c = clients.remove(k);
      if (c != null) c.close();
    }
  }

  /** {@code GET /meridian/status} on the node's management port. */
  public ClusterStatus.Status status(Topology.Slot s) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(s.managementUri("/meridian/status"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IOException("status " + r.statusCode() + ": " + r.body());
    return JSON.readValue(r.body(), ClusterStatus.Status.class);
  }

  /** Polls the node's status until {@code condition} holds; false after {@code within}. */
  public boolean awaitStatus(Topology.Slot s, String what, Predicate<ClusterStatus.Status> condition, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    Object last = null;
    while (System.nanoTime() < deadline) {
      try {
        ClusterStatus.Status st = status(s);
        if (condition.test(st)) return true;
        last = st.regions();
      } catch (IOException e) {
        last = e;
      }
      Thread.sleep(500);
    }
    log.warn("{} never showed {} within {}; last: {}", s.name(), what, within, last);
    return false;
  }

  /**
   * Polls every node's status until each sees every node Up and reachable, or {@code within} passes;
   * returns, for the nodes that never did, what they saw last.
   */
  public List<String> awaitAllSeeAllUp(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    Map<String, String> pending = new LinkedHashMap<>();
    for (Topology.Slot s : nodes()) pending.put(s.name(), "no answer");
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      for (Topology.Slot s : nodes()) {
        if (!pending.containsKey(s.name())) continue;
        try {
          ClusterStatus.Status st = status(s);
          if (allUp(st)) pending.remove(s.name());
          else pending.put(s.name(), st.regions().stream().map(r -> r.name() + "=" + r.nodes().stream()
              .map(n -> n.address().substring(n.address().lastIndexOf(':') + 1) + "/" + n.status()
                  + (n.reachable() ? "" : "/unreachable")).toList()).toList().toString());
        } catch (IOException e) {
          pending.put(s.name(), e.toString());
        }
      }
      if (!pending.isEmpty()) Thread.sleep(1000);
    }
    return pending.entrySet().stream().map(e -> e.getKey() + " saw " + e.getValue()).toList();
  }

  /** Every region's nodes Up and reachable, as many as the topology has. */
  public boolean allUp(ClusterStatus.Status st) {
    return st.regions().stream().allMatch(r -> r.nodes().size() == nodesOf(r.name()).size()
        && r.nodes().stream().allMatch(n -> n.status().equals("Up") && n.reachable()))
        && st.regions().size() == topology.regions().size();
  }

  /** Kills every node process (frozen ones too: SIGKILL needs no SIGCONT). Idempotent. */
  @Override
  public void close() {
    for (String name : List.copyOf(running.keySet())) {
      NodeProcess p;
      synchronized (killed) {
        killed.add(name);
        p = running.remove(name);
      }
      if (p != null) p.kill();
    }
    clients.values().forEach(S3Client::close);
    clients.clear();
  }
}
