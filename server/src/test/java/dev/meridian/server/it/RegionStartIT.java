package dev.meridian.server.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.server.testing.MeridianTestCluster;
import dev.meridian.server.testing.MeridianTestNode;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A new cluster's nodes record when they created their region's keyspace (the test cluster's keyspaces
 * are new in every run): replication's projections start reading events there, not at the plugin's
 * fixed first-time-bucket.
 */
@ExtendWith(MeridianTestCluster.class)
class RegionStartIT {

  @Test
  void eachNewRegionRecordsItsCreationAtTheClustersStart() throws Exception {
    Instant jvmStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    for (MeridianTestNode node : new MeridianTestNode[] {MeridianTestCluster.east(), MeridianTestCluster.west()}) {
      Instant created = node.buckets().regionCreated().toCompletableFuture().get(30, TimeUnit.SECONDS)
          .orElseThrow(() -> new AssertionError("no creation recorded for " + node));
      assertTrue(created.isAfter(jvmStart.minusSeconds(1)) && created.isBefore(Instant.now().plusSeconds(1)),
          created + " is not within this run (started " + jvmStart + ")");
    }
  }
}
