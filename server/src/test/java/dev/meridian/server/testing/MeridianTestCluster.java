package dev.meridian.server.testing;

import dev.meridian.persistence.testing.CassandraFixture;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving integration tests one Meridian cluster per JVM: a us-east-1 node (the seed, whose
 * endpoint tests use) and a us-west-2 node, so that buckets can be homed in either region. Started by the first
 * test class that needs it (after the shared Cassandra), stopped when the whole test run ends. Keyspaces are
 * unique per run ({@code t<random>_us_east_1}, ...), so runs against one external Cassandra do not meet.
 *
 * <pre>{@code
 * @ExtendWith(MeridianTestCluster.class)
 * class MyIT {
 *   @Test void works() { try (S3Client s3 = MeridianTestCluster.east().client()) { s3.listBuckets(); } }
 * }
 * }</pre>
 */
public final class MeridianTestCluster implements BeforeAllCallback {

  public static final List<String> REGIONS = List.of("us-east-1", "us-west-2");

  private static volatile Nodes nodes;

  /** The running nodes; closing them stops the cluster (JUnit does so at the end of the run). */
  private record Nodes(MeridianTestNode east, MeridianTestNode west) implements AutoCloseable {
    @Override
    public void close() {
      nodes = null;
      west.close();
      east.close();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    CassandraFixture.contactPoint(); // start (or find) Cassandra first, with its own error if it fails
    context.getRoot().getStore(ExtensionContext.Namespace.create(MeridianTestCluster.class))
        .getOrComputeIfAbsent(Nodes.class, k -> startNodes(), Nodes.class);
  }

  private static synchronized Nodes startNodes() {
    if (nodes != null) return nodes;
    String prefix = "t" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000_0000, Integer.MAX_VALUE));
    String global = prefix + "_global";
    try {
      MeridianTestNode east = MeridianTestNode.start("us-east-1", REGIONS, prefix, global, null);
      try {
        nodes = new Nodes(east, MeridianTestNode.start("us-west-2", REGIONS, prefix, global, east));
      } catch (Exception | Error e) {
        east.close();
        throw e;
      }
      return nodes;
    } catch (Exception e) {
      throw new IllegalStateException("the Meridian test cluster did not start", e);
    }
  }

  private static Nodes nodes() {
    Nodes n = nodes;
    if (n == null) throw new IllegalStateException("annotate the test class with @ExtendWith(MeridianTestCluster.class)");
    return n;
  }

  /** The us-east-1 node: the endpoint tests talk to. */
  public static MeridianTestNode east() {
    return nodes().east();
  }

  /** The us-west-2 node. */
  public static MeridianTestNode west() {
    return nodes().west();
  }
}
