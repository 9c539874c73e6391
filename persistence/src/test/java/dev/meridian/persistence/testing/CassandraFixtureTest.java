package dev.meridian.persistence.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The pure parts of {@link CassandraFixture}; no Cassandra is started here. */
class CassandraFixtureTest {

  @Test
  void keyspaceNameIsSanitizedLowercaseWithHash() {
    String name = CassandraFixture.keyspaceName(CassandraFixtureTest.class);
    assertTrue(name.matches("t_cassandrafixturetest_[0-9a-f]{8}"), name);
    assertEquals(name, CassandraFixture.keyspaceName(CassandraFixtureTest.class), "stable");
  }

  @Test
  void longNamesAreCutTo48Characters() {
    String name = CassandraFixture.keyspaceName(
        AVeryLongTestClassNameThatGoesOnAndOnBeyondWhatCassandraAcceptsAsAKeyspaceName.class);
    assertTrue(name.length() <= 48, name);
    assertTrue(name.matches("[a-z0-9_]+"), name);
    assertTrue(name.startsWith("t_averylongtestclassname"), name);
  }

  @Test
  void sameSimpleNameInDifferentOwnersGivesDifferentKeyspaces() {
    String a = CassandraFixture.keyspaceName(A.Same.class);
    String b = CassandraFixture.keyspaceName(B.Same.class);
    assertTrue(a.startsWith("t_same_") && b.startsWith("t_same_"), a + " " + b);
    assertNotEquals(a, b);
  }

  @Test
  void oddCharactersBecomeUnderscores() {
    Object anonymous = new Object() { };
    String name = CassandraFixture.keyspaceName(anonymous.getClass()); // e.g. CassandraFixtureTest$1
    assertTrue(name.matches("t_[a-z0-9_]+_[0-9a-f]{8}"), name);
  }

  @Test
  void parsesExternalSpecs() {
    assertEquals(new InetSocketAddress("127.0.0.1", 9042), CassandraFixture.parseHostPort("127.0.0.1:9042"));
    assertEquals(new InetSocketAddress("localhost", 19042),
        CassandraFixture.parseHostPort("localhost:19042/eu-west"));
    assertThrows(IllegalArgumentException.class, () -> CassandraFixture.parseHostPort("nohost"));
  }

  static class AVeryLongTestClassNameThatGoesOnAndOnBeyondWhatCassandraAcceptsAsAKeyspaceName { }

  static class A {
    static class Same { }
  }

  static class B {
    static class Same { }
  }
}
