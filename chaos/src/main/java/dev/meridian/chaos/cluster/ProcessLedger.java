package dev.meridian.chaos.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file listing every process a run started ({@code pid marker} per line, the marker being a string
 * found in that process's command line or environment). The harness kills its processes itself, also on
 * Ctrl-C; the ledger is for what is left when the harness JVM dies without running its shutdown hooks
 * (SIGKILL): {@code bin/chaos} reads it after the JVM exits and kills any listed process that still
 * carries its marker (a frozen node cannot notice that its launcher is gone).
 */
public final class ProcessLedger {

  private final Path file;

  public ProcessLedger(Path file) {
    this.file = file;
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public synchronized void record(long pid, String marker) {
    try {
      Files.writeString(file, pid + " " + marker + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records a network namespace to delete ({@code netns name}). */
  public void recordNetns(String name) {
    record(0, "netns:" + name);
  }

  public Path file() {
    return file;
  }
}
