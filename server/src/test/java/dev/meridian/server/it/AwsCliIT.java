package dev.meridian.server.it;

import static dev.meridian.server.testing.FileDigests.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meridian.server.it.S3ObjectsIT.PatternStream;
import dev.meridian.server.testing.AwsCli;
import dev.meridian.server.testing.MeridianTestCluster;
import dev.meridian.server.testing.MeridianTestNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's own tool: the real {@code aws} command against the us-east-1 node with {@code --endpoint-url}.
 * Skipped where {@code aws} is not on the PATH (CI installs it). The CLI's own config files are hidden from it,
 * so only the environment given here counts.
 */
@ExtendWith(MeridianTestCluster.class)
class AwsCliIT {

  private static MeridianTestNode node;
  private AwsCli cli;

  @TempDir
  Path dir;

  @BeforeAll
  static void requireCli() {
    Assumptions.assumeTrue(AwsCli.installed(), "the aws command is not installed");
    node = MeridianTestCluster.east();
  }

  private AwsCli.Run aws(String... args) throws IOException, InterruptedException {
    if (cli == null) cli = new AwsCli(node, dir);
    return cli.aws(args);
  }

  private AwsCli.Run ok(String... args) throws IOException, InterruptedException {
    if (cli == null) cli = new AwsCli(node, dir);
    return cli.ok(args);
  }

  @Test
  void bucketAndObjectLifecycle() throws Exception {
    assertTrue(ok("s3", "mb", "s3://b1", "--region", "us-east-1").out().contains("make_bucket: b1"));
    Path hello = Files.writeString(dir.resolve("hello.txt"), "hello from the aws cli \u00e9\n".repeat(40));
    long size = Files.size(hello);
    assertTrue(ok("s3", "cp", hello.toString(), "s3://b1/hello.txt").out().contains("upload:"));

    assertTrue(ok("s3", "ls").out().lines().anyMatch(l -> l.endsWith(" b1")), "aws s3 ls lists b1");
    String listing = ok("s3", "ls", "s3://b1/").out();
    assertTrue(listing.lines().anyMatch(l -> l.matches(".*\\s" + size + " hello\\.txt")), listing);

    String head = ok("s3api", "head-object", "--bucket", "b1", "--key", "hello.txt").out();
    assertTrue(head.contains("\"ContentLength\": " + size), head);
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(hello)));
    assertTrue(head.contains(md5), head);

    Path down = dir.resolve("down.txt");
    assertTrue(ok("s3", "cp", "s3://b1/hello.txt", down.toString()).out().contains("download:"));
    assertArrayEquals(Files.readAllBytes(hello), Files.readAllBytes(down));

    assertTrue(ok("s3", "rm", "s3://b1/hello.txt").out().contains("delete: s3://b1/hello.txt"));
    assertFalse(ok("s3", "ls", "s3://b1/").out().contains("hello.txt"));
    assertTrue(ok("s3", "rb", "s3://b1").out().contains("remove_bucket: b1"));
    assertFalse(ok("s3", "ls").out().lines().anyMatch(l -> l.endsWith(" b1")));
    AwsCli.Run gone = aws("s3", "ls", "s3://b1/");
    assertTrue(gone.exit() != 0 && gone.err().contains("NoSuchBucket"), gone.toString());
  }

  /** Above 8 MiB the CLI uploads with multipart and downloads with ranged GETs. */
  @Test
  void largeFileRoundTripsThroughMultipart() throws Exception {
    Path big = dir.resolve("big.bin");
    try (InputStream in = new PatternStream(30L * 1024 * 1024)) {
      Files.copy(in, big);
    }
    ok("s3", "mb", "s3://b2-large");
    try {
      ok("s3", "cp", big.toString(), "s3://b2-large/big.bin");
      Path down = dir.resolve("big-down.bin");
      ok("s3", "cp", "s3://b2-large/big.bin", down.toString());
      assertEquals(Files.size(big), Files.size(down));
      assertEquals(sha256(big), sha256(down), "sha256 of the downloaded copy");
    } finally {
      aws("s3", "rm", "s3://b2-large/big.bin");
      aws("s3", "rb", "s3://b2-large");
    }
  }
}
