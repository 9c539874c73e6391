package dev.meridian.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import dev.meridian.persistence.testing.CassandraFixture;
import dev.meridian.persistence.testing.FreePorts;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Tests must only ever talk to the Cassandra they were given. The server module has application.conf on its
 * classpath, whose {@code datastax-java-driver.basic.contact-points} is 127.0.0.1:9042 (a developer's
 * Cassandra, typically); the driver adds configured contact points to programmatic ones, so a session opened
 * with {@code addContactPoint} alone may connect there instead.
 */
class CassandraIsolationIT {

  @Test
  void aFixtureSessionContactsOnlyTheAddressItIsGiven() throws Exception {
    InetSocketAddress nobody = new InetSocketAddress("127.0.0.1", FreePorts.freePort());
    CompletableFuture<CqlSession> opening = CompletableFuture.supplyAsync(() -> CassandraFixture.newSession(nobody, "datacenter1"));
    opening.thenAccept(CqlSession::close); // whenever it opens, it is closed
    try {
      CqlSession session = opening.get(30, TimeUnit.SECONDS);
      fail("nothing listens on " + nobody + ", yet a session opened to " + session.getMetadata().getNodes().values());
    } catch (TimeoutException e) {
      fail("opening a session to " + nobody + ", where nothing listens, neither failed nor succeeded in 30 s");
    } catch (ExecutionException e) {
      AllNodesFailedException failed = assertInstanceOf(AllNodesFailedException.class, e.getCause());
      Set<Object> tried = failed.getAllErrors().keySet().stream().map(n -> n.getEndPoint().resolve()).collect(Collectors.toSet());
      assertEquals(Set.of(nobody), tried, "contact points tried");
    }
  }
}
