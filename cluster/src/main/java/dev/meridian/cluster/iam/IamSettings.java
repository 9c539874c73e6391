package dev.meridian.cluster.iam;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code meridian.iam} configuration block, read once; each key is documented in this module's
 * reference.conf. An empty {@code secret-encryption-key} falls back to the root secret key
 * ({@code meridian.s3.secret-key}), so a local run needs no extra setting.
 */
public record IamSettings(Duration cacheTtl, String secretEncryptionKey) {

  public static IamSettings from(Config root) {
    Config c = root.getConfig("meridian.iam");
    String key = c.getString("secret-encryption-key");
    if (key.isEmpty() && root.hasPath("meridian.s3.secret-key")) key = root.getString("meridian.s3.secret-key");
    return new IamSettings(c.getDuration("cache-ttl"), key);
  }
}
