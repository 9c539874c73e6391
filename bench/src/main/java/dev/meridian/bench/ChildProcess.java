package dev.meridian.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process the harness starts (the Meridian launcher, s3proxy): output copied to a log file, readiness
 * seen in its output, and stopped with its whole process tree, so a run never leaves processes behind.
 */
final class ChildProcess implements AutoCloseable {

  /** Children alive now: stopped by a shutdown hook if the harness is interrupted (Ctrl-C). */
  private static final java.util.Set<ChildProcess> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ChildProcess::close), "bench-children"));
  }

  private final String name;
  private final Process process;
  private final Path log;
  private final CompletableFuture<String> ready = new CompletableFuture<>();

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static ChildProcess start(String name, List<String> command, Map<String, String> env, Path log,
      Predicate<String> readyLine) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Files.createDirectories(log.getParent());
    ChildProcess child = new ChildProcess(name, pb.start(), log);
    LIVE.add(child);
    Thread pump = new Thread(() -> child.pump(readyLine), "log-" + name);
    pump.setDaemon(true);
    pump.start();
    return child;
  }

  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  private void pump(Predicate<String> readyLine) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         PrintStream out = new PrintStream(Files.newOutputStream(log, StandardOpenOption.CREATE,
             StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(line);
        if (!ready.isDone() && readyLine.test(line)) ready.complete(line);
      }
    } catch (IOException e) {
      // the process is gone
    }
    ready.completeExceptionally(new IllegalStateException(name + " exited; see " + log));
  }

  /** Waits for the ready line; fails with the log's name if the process exits first or takes too long. */
  void awaitReady(Duration timeout) {
    try {
      ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException(name + " did not become ready in " + timeout + "; see " + log, e);
    }
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  /** SIGTERM (the launcher stops its nodes and Cassandra in its shutdown hook), then SIGKILL what is left. */
  @Override
  public void close() {
    LIVE.remove(this);
    List<ProcessHandle> tree = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(90, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    for (ProcessHandle h : tree) {
      if (h.isAlive()) {
        h.destroyForcibly();
        h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(x -> null).join();
      }
    }
  }
}
