package dev.meridian.replication;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.persistence.ObjectVersion;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the projections may skip without reading progress rows: exactly the deliveries this node recorded. */
class DeliveredTest {

  private final Delivered delivered = new Delivered(1000, Duration.ofMinutes(1));

  @Test
  void aDeliveryCountsForItsVersionAndDestinationOnly() {
    delivered.add("src", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY", "dst-east");
    assertTrue(delivered.contains("src", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY", "dst-east"));
    assertFalse(delivered.contains("src", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY", "dst-west"), "another destination");
    assertFalse(delivered.contains("src", "other-version", "dst-east"), "another version");
    assertFalse(delivered.contains("src2", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY", "dst-east"), "another source bucket");
  }

  @Test
  void nullVersionsAreNeverSkipped() {
    // Each unversioned write of a key has the id "null": a later one owes its own replication.
    delivered.add("src", ObjectVersion.NULL_VERSION, "dst-east");
    assertFalse(delivered.contains("src", ObjectVersion.NULL_VERSION, "dst-east"));
  }

  @Test
  void entriesAgeOut() throws Exception {
    Delivered brief = new Delivered(1000, Duration.ofMillis(50));
    brief.add("src", "v1", "dst");
    Thread.sleep(200);
    assertFalse(brief.contains("src", "v1", "dst"), "an old delivery is read from the progress rows again");
  }
}
