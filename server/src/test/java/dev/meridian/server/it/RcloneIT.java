package dev.meridian.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.server.it.S3ObjectsIT.PatternStream;
import dev.meridian.server.testing.ClientProcess;
import dev.meridian.server.testing.MeridianTestCluster;
import dev.meridian.server.testing.MeridianTestNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * rclone (Debian's 1.60) against the us-east-1 endpoint as an S3 remote of provider "Other", configured only
 * through RCLONE_CONFIG_MERIDIAN_* variables, with {@code --config} pointing at an empty file. A 5 MiB upload
 * cutoff and chunk size make the larger file a multipart upload. rclone checks MD5s itself (ETags, and its
 * own metadata for multipart objects), so {@code rclone check} reporting no difference is a byte check.
 */
@ExtendWith(MeridianTestCluster.class)
class RcloneIT {

  private static final String RCLONE = "/usr/bin/rclone";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static MeridianTestNode node;

  @TempDir
  Path dir;
  private ClientProcess proc;
  private List<String> rclone;

  @BeforeAll
  static void requireRclone() {
    ClientProcess.requireExecutable(RCLONE, "rclone");
    node = MeridianTestCluster.east();
  }

  @BeforeEach
  void configure() throws Exception {
    Path emptyConfig = Files.writeString(dir.resolve("rclone.conf"), "");
    proc = new ClientProcess(dir)
        .env("RCLONE_CONFIG_MERIDIAN_TYPE", "s3")
        .env("RCLONE_CONFIG_MERIDIAN_PROVIDER", "Other")
        .env("RCLONE_CONFIG_MERIDIAN_ENDPOINT", node.endpoint().toString())
        .env("RCLONE_CONFIG_MERIDIAN_ACCESS_KEY_ID", node.accessKey())
        .env("RCLONE_CONFIG_MERIDIAN_SECRET_ACCESS_KEY", node.secretKey())
        .env("RCLONE_CONFIG_MERIDIAN_REGION", "us-east-1")
        .env("RCLONE_CONFIG_MERIDIAN_FORCE_PATH_STYLE", "true");
    rclone = List.of(RCLONE, "--config", emptyConfig.toString(), "--retries", "1", "--low-level-retries", "2",
        "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M");
  }

  private ClientProcess.Run ok(String... args) throws Exception {
    return proc.ok(ClientProcess.line(rclone, args));
  }

  private ClientProcess.Run run(String... args) throws Exception {
    return proc.run(ClientProcess.line(rclone, args));
  }

  /** rclone check: exit 0 and "0 differences found", else the failure with what differs. */
  private void assertSame(Path local, String remote) throws Exception {
    ClientProcess.Run check = run("check", local.toString(), remote);
    assertEquals(0, check.exit(), check::toString);
    assertTrue(check.err().contains(": 0 differences found"), check.toString());
  }

  @Test
  void copyCheckSyncListCatDeleteAndPurge() throws Exception {
    ok("mkdir", "meridian:rclone-tree");
    Path tree = dir.resolve("tree");
    Files.createDirectories(tree.resolve("d1/d2"));
    Files.writeString(tree.resolve("a.txt"), "alpha\n");
    Files.write(tree.resolve("d1/empty.txt"), new byte[0]);
    Files.writeString(tree.resolve("d1/\u00fcml \u00e4ut.txt"), "unicode key\n");
    write(tree.resolve("d1/k1.bin"), 100_003);
    write(tree.resolve("d1/d2/big.bin"), 11L * 1024 * 1024 + 17); // above the 5 MiB cutoff: three parts

    ClientProcess.Run copy = ok("copy", tree.toString(), "meridian:rclone-tree/t", "-v");
    assertEquals(5, copy.err().lines().filter(l -> l.contains(": Copied (new)")).count(), copy.toString());
    assertSame(tree, "meridian:rclone-tree/t");

    Map<String, Long> sizes = new TreeMap<>();
    Map<String, String> md5s = new TreeMap<>();
    for (JsonNode e : JSON.readTree(ok("lsjson", "-R", "--files-only", "--hash", "meridian:rclone-tree/t").out())) {
      sizes.put(e.path("Path").asText(), e.path("Size").asLong());
      md5s.put(e.path("Path").asText(), e.path("Hashes").path("md5").asText());
    }
    assertEquals(files(tree), sizes);
    assertEquals(md5s(tree), md5s, "MD5s rclone reads back, the multipart object's included");
    JsonNode big = JSON.readTree(ok("lsjson", "--stat", "meridian:rclone-tree/t/d1/d2/big.bin").out());
    assertEquals(Files.size(tree.resolve("d1/d2/big.bin")), big.path("Size").asLong());
    assertEquals("alpha\n", ok("cat", "meridian:rclone-tree/t/a.txt").out());
    assertEquals("unicode key\n", ok("cat", "meridian:rclone-tree/t/d1/\u00fcml \u00e4ut.txt").out());

    // Change one file, delete one, add one: sync makes the remote match, check agrees.
    Files.writeString(tree.resolve("a.txt"), "alpha, changed\n");
    Files.delete(tree.resolve("d1/k1.bin"));
    Files.createDirectories(tree.resolve("new"));
    Files.writeString(tree.resolve("new/n.txt"), "new file\n");
    ClientProcess.Run sync = ok("sync", tree.toString(), "meridian:rclone-tree/t", "-v");
    assertTrue(sync.err().contains("a.txt: Copied (replaced existing)"), sync.toString());
    assertTrue(sync.err().contains("d1/k1.bin: Deleted"), sync.toString());
    assertTrue(sync.err().contains("new/n.txt: Copied (new)"), sync.toString());
    assertSame(tree, "meridian:rclone-tree/t");
    assertEquals("alpha, changed\n", ok("cat", "meridian:rclone-tree/t/a.txt").out());

    // Server-side copy of the multipart object as a multipart copy (UploadPartCopy), then a move.
    ClientProcess.Run serverCopy = ok("copyto", "meridian:rclone-tree/t/d1/d2/big.bin", "meridian:rclone-tree/copies/big.bin",
        "--s3-copy-cutoff", "5M", "-vv");
    assertTrue(serverCopy.err().contains("multipart copy with 3 parts"), serverCopy.toString());
    ok("moveto", "meridian:rclone-tree/copies/big.bin", "meridian:rclone-tree/copies/moved.bin");
    assertEquals(List.of("moved.bin"), ok("lsf", "meridian:rclone-tree/copies").out().lines().toList());
    assertEquals(md5s(tree).get("d1/d2/big.bin") + "  moved.bin",
        ok("md5sum", "meridian:rclone-tree/copies").out().strip(), "the copy's MD5 as rclone reads it");

    // And back down into an empty directory.
    Path down = dir.resolve("down");
    ok("sync", "meridian:rclone-tree/t", down.toString());
    assertEquals(md5s(tree), md5s(down));

    ok("delete", "meridian:rclone-tree/t/new");
    assertEquals("", ok("lsf", "-R", "meridian:rclone-tree/t/new").out());
    ok("purge", "meridian:rclone-tree");
    ClientProcess.Run gone = run("lsf", "meridian:rclone-tree");
    assertNotEquals(0, gone.exit(), "the bucket is gone after purge: " + gone);
    assertFalse(ok("lsf", "meridian:").out().lines().toList().contains("rclone-tree/"));
  }

  /**
   * With versioning enabled, an overwritten file keeps its old version: {@code --s3-versions} lists it as
   * {@code name-v<time>.ext} and reads it back. (rclone 1.60 finds such a name only in a listing: naming the
   * version file directly in a path fails in rclone itself, against any server, so it is read through copy
   * with a filter.)
   */
  @Test
  void oldVersionsAreListedAndReadWithS3Versions() throws Exception {
    ok("mkdir", "meridian:rclone-versions");
    assertEquals("Enabled", ok("backend", "versioning", "meridian:rclone-versions", "Enabled").out().strip());
    assertEquals("Enabled", ok("backend", "versioning", "meridian:rclone-versions").out().strip());
    Path v = dir.resolve("v");
    Files.createDirectories(v);
    Files.writeString(v.resolve("doc.txt"), "first version\n");
    ok("copy", v.toString(), "meridian:rclone-versions/docs");
    Files.writeString(v.resolve("doc.txt"), "second version, longer\n");
    ok("copy", v.toString(), "meridian:rclone-versions/docs");

    assertEquals(List.of("doc.txt"), ok("lsf", "meridian:rclone-versions/docs").out().lines().toList());
    List<String> withVersions = ok("lsf", "--s3-versions", "meridian:rclone-versions/docs").out().lines().sorted().toList();
    assertEquals(2, withVersions.size(), withVersions.toString());
    String old = withVersions.stream().filter(n -> !n.equals("doc.txt")).findFirst().orElseThrow();
    assertTrue(old.matches("doc-v\\d{4}-\\d{2}-\\d{2}-\\d{6}-\\d{3}\\.txt"), old);

    Path restored = dir.resolve("restored");
    ok("copy", "--s3-versions", "meridian:rclone-versions/docs", restored.toString(), "--include", old);
    assertEquals("first version\n", Files.readString(restored.resolve(old)), "the old version's bytes");
    assertEquals("second version, longer\n", ok("cat", "meridian:rclone-versions/docs/doc.txt").out());
    JsonNode listed = JSON.readTree(ok("lsjson", "--s3-versions", "meridian:rclone-versions/docs").out());
    Map<String, Long> sizes = new TreeMap<>();
    listed.forEach(e -> sizes.put(e.path("Name").asText(), e.path("Size").asLong()));
    assertEquals(Map.of("doc.txt", 23L, old, 14L), sizes);

    // Deleting the file leaves its versions; purge removes every version, then the bucket.
    ok("delete", "meridian:rclone-versions/docs/doc.txt");
    assertEquals("", ok("lsf", "meridian:rclone-versions/docs").out());
    assertEquals(2, ok("lsf", "--s3-versions", "meridian:rclone-versions/docs").out().lines().count());
    ok("purge", "meridian:rclone-versions");
    assertNotEquals(0, run("lsf", "meridian:rclone-versions").exit(), "the bucket is gone after purge");
  }

  private static void write(Path file, long size) throws Exception {
    try (InputStream in = new PatternStream(size)) {
      Files.copy(in, file);
    }
  }

  private static Map<String, Long> files(Path root) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) out.put(root.relativize(p).toString(), Files.size(p));
    }
    return out;
  }

  private static Map<String, String> md5s(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        MessageDigest d = MessageDigest.getInstance("MD5");
        try (InputStream in = Files.newInputStream(p)) {
          byte[] buf = new byte[64 * 1024];
          for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
        }
        out.put(root.relativize(p).toString(), HexFormat.of().formatHex(d.digest()));
      }
    }
    return out;
  }
}
