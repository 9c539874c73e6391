package dev.meridian.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real S3 client (python3 with boto3, s3cmd, rclone) as a process, bounded in time, in a working
 * directory, with an environment stripped of anything that could point it elsewhere: no AWS_* or RCLONE_*
 * variables from the caller (a CA bundle in AWS_CA_BUNDLE alone makes rclone refuse to start), no proxies,
 * and HOME set to the working directory so no user configuration file is read. Only what the test passes
 * counts.
 */
public final class ClientProcess {

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

  /** What a command printed, and its exit code. */
  public record Run(List<String> command, int exit, String out, String err) {
    @Override
    public String toString() {
      return String.join(" ", command) + "\nexit " + exit + "\nstdout: " + out + "\nstderr: " + err;
    }
  }

  private final Path dir;
  private final Map<String, String> env = new LinkedHashMap<>();
  private Duration timeout = DEFAULT_TIMEOUT;

  public ClientProcess(Path dir) {
    this.dir = dir;
  }

  /** Fails the test, naming the package to install, when a client is missing (bin/test-tools installs them). */
  public static void requireExecutable(String path, String debianPackage) {
    assertTrue(Files.isExecutable(Path.of(path)),
        path + " is missing: install Debian's " + debianPackage + " package (bin/test-tools does)");
  }

  /** Adds an environment variable for every command run from now on. */
  public ClientProcess env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public ClientProcess timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public Run run(String... command) throws IOException, InterruptedException {
    return run(List.of(command));
  }

  public Run run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> e = pb.environment();
    e.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("RCLONE_") || k.startsWith("BOTO")
        || k.toLowerCase().endsWith("_proxy") || k.startsWith("PYTHON"));
    e.put("HOME", dir.toString());
    e.put("NO_PROXY", "127.0.0.1,localhost");
    e.put("no_proxy", "127.0.0.1,localhost");
    e.put("PYTHONIOENCODING", "utf-8");
    e.put("PYTHONDONTWRITEBYTECODE", "1");
    e.put("LC_ALL", "C.UTF-8");
    e.putAll(env);
    Path out = Files.createTempFile(dir, "client-out", ".txt");
    Path err = Files.createTempFile(dir, "client-err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    p.getOutputStream().close();
    try {
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout.toSeconds() + " s\nstderr: "
            + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Run(List.copyOf(command), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Runs a command that must succeed. */
  public Run ok(String... command) throws IOException, InterruptedException {
    return ok(List.of(command));
  }

  public Run ok(List<String> command) throws IOException, InterruptedException {
    Run r = run(command);
    assertEquals(0, r.exit(), r::toString);
    return r;
  }

  /** A command line: a program and its fixed leading arguments, then the arguments of each call. */
  public static List<String> line(List<String> head, String... args) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(args));
    return all;
  }
}
