package dev.meridian.cluster.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretBoxTest {

  private final SecretBox box = new SecretBox("passphrase");

  @Test
  void aSealedSecretOpensOnlyWithTheSameKeyAndAccessKeyId() {
    String sealed = box.seal("AKIA1", "s3cr3t");
    assertTrue(sealed.startsWith("v1:"));
    assertTrue(!sealed.contains("s3cr3t"));
    assertEquals("s3cr3t", box.open("AKIA1", sealed));
    assertEquals("s3cr3t", new SecretBox("passphrase").open("AKIA1", sealed), "another node with the same setting");
    assertNotEquals(sealed, box.seal("AKIA1", "s3cr3t"), "a fresh nonce each time");
    assertThrows(IllegalArgumentException.class, () -> box.open("AKIA2", sealed), "bound to its key id");
    assertThrows(IllegalArgumentException.class, () -> new SecretBox("other").open("AKIA1", sealed));
    String altered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A=") ? "B=" : "A=");
    assertThrows(IllegalArgumentException.class, () -> box.open("AKIA1", altered));
    assertThrows(IllegalArgumentException.class, () -> box.open("AKIA1", "plain"));
  }
}
