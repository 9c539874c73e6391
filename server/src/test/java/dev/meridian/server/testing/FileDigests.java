package dev.meridian.server.testing;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Hex digests of files that clients uploaded or downloaded, read in blocks (files may be large). */
public final class FileDigests {

  private FileDigests() {}

  public static String sha256(Path file) throws Exception {
    return hex("SHA-256", file);
  }

  public static String md5(Path file) throws Exception {
    return hex("MD5", file);
  }

  private static String hex(String algorithm, Path file) throws Exception {
    MessageDigest d = MessageDigest.getInstance(algorithm);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(d.digest());
  }
}
