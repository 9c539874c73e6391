package dev.meridian.cluster.iam;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals IAM secret access keys before they are stored and opens them when a signature is checked. SigV4
 * needs the secret itself (it is an HMAC key), so secrets cannot be hashed like passwords; they are
 * encrypted with AES-256-GCM under a key derived (SHA-256) from the configured
 * {@code meridian.iam.secret-encryption-key}, with a random 96-bit nonce each. A stored value is
 * {@code v1:} followed by base64 of nonce and ciphertext; the access key id is the associated data, so a
 * sealed secret copied to another key's row does not open.
 */
public final class SecretBox {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PREFIX = "v1:";

  private final SecretKeySpec key;

  public SecretBox(String passphrase) {
    if (passphrase == null || passphrase.isEmpty()) throw new IllegalArgumentException("an encryption key is required");
    try {
      byte[] k = MessageDigest.getInstance("SHA-256").digest(("meridian-iam-secrets:" + passphrase).getBytes(StandardCharsets.UTF_8));
      this.key = new SecretKeySpec(k, "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The stored form of {@code secret}, bound to {@code accessKeyId}. */
  public String seal(String accessKeyId, String secret) {
    try {
      byte[] nonce = new byte[12];
      RANDOM.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      c.updateAAD(accessKeyId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[nonce.length + sealed.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The secret of a stored value; throws when it was sealed under another key or altered. */
  public String open(String accessKeyId, String stored) {
    if (stored == null || !stored.startsWith(PREFIX)) throw new IllegalArgumentException("not a sealed secret");
    try {
      byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
      c.updateAAD(accessKeyId.getBytes(StandardCharsets.UTF_8));
      return new String(c.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the secret cannot be opened with this node's encryption key", e);
    }
  }
}
