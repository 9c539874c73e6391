package dev.meridian.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code aws} command against a node with {@code --endpoint-url}, bounded in time, run in a
 * working directory (for {@code file://} arguments). The CLI's own config files are hidden from it, so
 * only the environment given here counts.
 */
public final class AwsCli {

  private static final long COMMAND_TIMEOUT_SECONDS = 120;

  /** What a command printed, and its exit code. */
  public record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
    }
  }

  private final MeridianTestNode node;
  private final Path dir;
  private final String accessKey;
  private final String secretKey;

  /** The CLI with the node's root credentials. */
  public AwsCli(MeridianTestNode node, Path dir) {
    this(node, dir, node.accessKey(), node.secretKey());
  }

  /** The CLI with other credentials (an IAM user's access key). */
  public AwsCli(MeridianTestNode node, Path dir, String accessKey, String secretKey) {
    this.node = node;
    this.dir = dir;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  public static boolean installed() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "aws"))) return true;
    }
    return false;
  }

  public Run aws(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("aws"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--endpoint-url", node.endpoint().toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.equalsIgnoreCase("http_proxy")
        || k.equalsIgnoreCase("https_proxy") || k.equalsIgnoreCase("all_proxy"));
    env.put("AWS_ACCESS_KEY_ID", accessKey);
    env.put("AWS_SECRET_ACCESS_KEY", secretKey);
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_PAGER", "");
    env.put("NO_PROXY", "127.0.0.1,localhost");
    Path out = Files.createTempFile(dir, "aws-out", ".txt");
    Path err = Files.createTempFile(dir, "aws-err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    p.getOutputStream().close();
    if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("aws " + String.join(" ", args) + " did not finish in " + COMMAND_TIMEOUT_SECONDS + " s");
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Runs a command that must fail; returns what it printed. */
  public Run fails(String... args) throws IOException, InterruptedException {
    Run r = aws(args);
    org.junit.jupiter.api.Assertions.assertNotEquals(0, r.exit(), () -> "aws " + String.join(" ", args) + " succeeded\n" + r);
    return r;
  }

  /** Runs a command that must succeed. */
  public Run ok(String... args) throws IOException, InterruptedException {
    Run r = aws(args);
    assertEquals(0, r.exit(), () -> "aws " + String.join(" ", args) + "\n" + r);
    return r;
  }
}
