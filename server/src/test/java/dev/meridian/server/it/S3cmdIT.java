package dev.meridian.server.it;

import static dev.meridian.server.testing.FileDigests.md5;
import static dev.meridian.server.testing.FileDigests.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.server.it.S3ObjectsIT.PatternStream;
import dev.meridian.server.testing.ClientProcess;
import dev.meridian.server.testing.MeridianTestCluster;
import dev.meridian.server.testing.MeridianTestNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * s3cmd (Debian's 2.3.0) against the us-east-1 endpoint, path style, SigV4, with a configuration file
 * written here so that no user configuration is read. Checks what s3cmd shows and what it writes locally:
 * listings, sizes, MD5s, bytes.
 */
@ExtendWith(MeridianTestCluster.class)
class S3cmdIT {

  private static final String S3CMD = "/usr/bin/s3cmd";
  private static final String BUCKET = "s3cmd-bucket";

  private static MeridianTestNode node;

  @TempDir
  Path dir;
  private ClientProcess proc;
  private List<String> s3cmd;

  @BeforeAll
  static void requireS3cmd() {
    ClientProcess.requireExecutable(S3CMD, "s3cmd");
    node = MeridianTestCluster.east();
  }

  @BeforeEach
  void configure() throws Exception {
    String hostPort = node.endpoint().getHost() + ":" + node.endpoint().getPort();
    Path cfg = dir.resolve("s3cfg");
    // host_bucket without %(bucket)s makes s3cmd address buckets in the path.
    Files.writeString(cfg, String.join("\n", "[default]",
        "access_key = " + node.accessKey(),
        "secret_key = " + node.secretKey(),
        "host_base = " + hostPort,
        "host_bucket = " + hostPort,
        "use_https = False",
        "signature_v2 = False",
        "bucket_location = us-east-1",
        "proxy_host = ",
        "proxy_port = 0",
        "progress_meter = False",
        ""));
    proc = new ClientProcess(dir);
    s3cmd = List.of(S3CMD, "-c", cfg.toString());
  }

  private ClientProcess.Run ok(String... args) throws Exception {
    return proc.ok(ClientProcess.line(s3cmd, args));
  }

  private ClientProcess.Run run(String... args) throws Exception {
    return proc.run(ClientProcess.line(s3cmd, args));
  }

  @Test
  void bucketObjectsMultipartSyncAndRemoval() throws Exception {
    assertTrue(ok("mb", "s3://" + BUCKET).out().contains("Bucket 's3://" + BUCKET + "/' created"));
    assertTrue(ok("ls").out().contains("s3://" + BUCKET), "s3cmd ls lists the bucket");

    Path small = Files.writeString(dir.resolve("small.txt"), "small object \u00e9\n".repeat(30));
    ok("put", small.toString(), "s3://" + BUCKET + "/docs/small.txt");
    long bigSize = 12L * 1024 * 1024 + 4_321;
    Path big = dir.resolve("big.bin");
    try (InputStream in = new PatternStream(bigSize)) {
      Files.copy(in, big);
    }
    ClientProcess.Run put = ok("--multipart-chunk-size-mb=5", "-d", "put", big.toString(), "s3://" + BUCKET + "/big.bin");
    assertTrue(put.err().contains("MultiPart: Uploading") && put.err().contains("in 3 parts"),
        "s3cmd used a three-part upload");

    String listing = ok("ls", "s3://" + BUCKET + "/").out();
    assertTrue(listing.lines().anyMatch(l -> l.trim().equals("DIR  s3://" + BUCKET + "/docs/")), listing);
    assertTrue(listing.lines().anyMatch(l -> l.matches(".*\\s" + bigSize + "\\s+s3://" + BUCKET + "/big\\.bin")), listing);
    long smallSize = Files.size(small);
    String all = ok("la", "--recursive").out();
    assertTrue(all.lines().anyMatch(l -> l.matches(".*\\s" + smallSize + "\\s+s3://" + BUCKET + "/docs/small\\.txt")),
        "s3cmd la lists every bucket's objects recursively: " + all);

    Path got = dir.resolve("got.bin");
    ok("get", "s3://" + BUCKET + "/big.bin", got.toString());
    assertEquals(sha256(big), sha256(got), "sha256 of the downloaded multipart object");
    Path gotSmall = dir.resolve("got-small.txt");
    ok("get", "s3://" + BUCKET + "/docs/small.txt", gotSmall.toString());
    assertArrayEquals(Files.readAllBytes(small), Files.readAllBytes(gotSmall));

    String info = ok("info", "s3://" + BUCKET + "/docs/small.txt").out();
    assertTrue(info.contains("File size: " + Files.size(small)), info);
    assertTrue(info.contains("MD5 sum:   " + md5(small)), info);
    assertTrue(info.contains("Storage:   STANDARD"), info);
    String bucketInfo = ok("info", "s3://" + BUCKET).out();
    assertTrue(bucketInfo.contains("Location:  us-east-1"), bucketInfo);

    // Server-side copy and move (CopyObject, then DeleteObject for mv).
    ok("cp", "s3://" + BUCKET + "/docs/small.txt", "s3://" + BUCKET + "/docs/copy.txt");
    ok("mv", "s3://" + BUCKET + "/docs/copy.txt", "s3://" + BUCKET + "/moved.txt");
    Path moved = dir.resolve("moved.txt");
    ok("get", "s3://" + BUCKET + "/moved.txt", moved.toString());
    assertArrayEquals(Files.readAllBytes(small), Files.readAllBytes(moved));
    String afterMove = ok("ls", "--recursive", "s3://" + BUCKET + "/").out();
    assertFalse(afterMove.contains("docs/copy.txt"), afterMove);

    ClientProcess.Run missing = run("get", "s3://" + BUCKET + "/no-such-key", dir.resolve("none").toString());
    assertNotEquals(0, missing.exit());
    assertTrue(missing.err().contains("does not exist"), missing.toString());

    ClientProcess.Run notEmpty = run("rb", "s3://" + BUCKET);
    assertNotEquals(0, notEmpty.exit());
    assertTrue(notEmpty.err().contains("BucketNotEmpty"), notEmpty.toString());

    assertTrue(ok("del", "s3://" + BUCKET + "/big.bin").out().contains("delete: 's3://" + BUCKET + "/big.bin'"));
    ok("del", "--recursive", "--force", "s3://" + BUCKET + "/");
    assertEquals("", ok("ls", "--recursive", "s3://" + BUCKET + "/").out().strip());
    assertTrue(ok("rb", "s3://" + BUCKET).out().contains("Bucket 's3://" + BUCKET + "/' removed"));
    ClientProcess.Run gone = run("ls", "s3://" + BUCKET + "/");
    assertNotEquals(0, gone.exit());
    assertTrue(gone.err().contains("NoSuchBucket"), gone.toString());
  }

  /** sync up, change and delete locally, sync up with --delete-removed, then sync down likewise. */
  @Test
  void syncUpAndDownFollowsChangesAndDeletions() throws Exception {
    String bucket = "s3cmd-sync";
    ok("mb", "s3://" + bucket);
    Path tree = dir.resolve("tree");
    Files.createDirectories(tree.resolve("sub/deeper"));
    Files.writeString(tree.resolve("a.txt"), "alpha\n");
    Files.writeString(tree.resolve("sub/b.txt"), "bravo\n");
    Files.writeString(tree.resolve("sub/with space.txt"), "spaces in keys\n");
    try (InputStream in = new PatternStream(300_001)) {
      Files.copy(in, tree.resolve("sub/deeper/c.bin"));
    }
    String remote = "s3://" + bucket + "/tree/";
    String up = ok("sync", tree + "/", remote).out();
    assertEquals(4, up.lines().filter(l -> l.startsWith("upload:")).count(), up);
    assertEquals(files(tree), remoteSizes(remote));

    Files.writeString(tree.resolve("a.txt"), "alpha, changed\n");
    Files.delete(tree.resolve("sub/b.txt"));
    String again = ok("sync", "--delete-removed", tree + "/", remote).out();
    assertTrue(again.contains("delete: '" + remote + "sub/b.txt'"), again);
    assertEquals(1, again.lines().filter(l -> l.startsWith("upload:")).count(), "only the changed file: " + again);
    assertEquals(files(tree), remoteSizes(remote));

    Path down = dir.resolve("down");
    Files.createDirectories(down);
    ok("sync", remote, down + "/");
    assertEquals(contents(tree), contents(down), "synced down byte for byte");

    Path extra = Files.writeString(dir.resolve("new.txt"), "made remotely\n");
    ok("put", extra.toString(), remote + "new.txt");
    ok("del", remote + "sub/with space.txt");
    String downAgain = ok("sync", "--delete-removed", remote, down + "/").out();
    assertTrue(downAgain.contains("delete: '" + down + "/sub/with space.txt'"), downAgain);
    Map<String, String> expected = contents(tree);
    expected.remove("sub/with space.txt");
    expected.put("new.txt", sha256(extra));
    assertEquals(expected, contents(down), "the remote change arrived and the remote deletion was applied");

    ok("del", "--recursive", "--force", "s3://" + bucket + "/");
    ok("rb", "s3://" + bucket);
  }

  /** Relative path to size, for every file under a directory. */
  private static Map<String, Long> files(Path root) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) out.put(root.relativize(p).toString(), Files.size(p));
    }
    return out;
  }

  /** Relative path to sha256, for every file under a directory. */
  private static Map<String, String> contents(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) out.put(root.relativize(p).toString(), sha256(p));
    }
    return out;
  }

  /** Key (relative to the prefix) to size, from {@code s3cmd ls --recursive}. */
  private Map<String, Long> remoteSizes(String prefix) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    for (String line : ok("ls", "--recursive", prefix).out().lines().toList()) {
      // 2026-11-27 13:20       300000  s3://bucket/tree/sub/deeper/c.bin
      String[] parts = line.trim().split("\\s+", 4);
      if (parts.length == 4 && parts[3].startsWith(prefix)) out.put(parts[3].substring(prefix.length()), Long.parseLong(parts[2]));
    }
    return out;
  }
}
