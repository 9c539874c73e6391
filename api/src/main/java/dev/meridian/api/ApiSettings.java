package dev.meridian.api;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code meridian.s3} configuration block, read once; each key is documented in reference.conf. */
public record ApiSettings(
    String host,
    int port,
    Map<String, String> credentials,
    List<String> virtualHostDomains,
    long maxPutSize,
    int minBucketNameLength,
    long minPartSize) {

  public static ApiSettings from(Config root) {
    Config c = root.getConfig("meridian.s3");
    Map<String, String> creds = new LinkedHashMap<>();
    creds.put(c.getString("access-key"), c.getString("secret-key"));
    for (Config extra : c.getConfigList("extra-credentials")) {
      creds.put(extra.getString("access-key"), extra.getString("secret-key"));
    }
    return new ApiSettings(
        c.getString("host"),
        c.getInt("port"),
        Map.copyOf(creds),
        c.getStringList("virtual-host-domains"),
        c.getBytes("max-put-size"),
        c.getInt("min-bucket-name-length"),
        c.getBytes("min-part-size"));
  }
}
