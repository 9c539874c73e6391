package dev.meridian.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * On a 2-CPU JVM (as on the development machine, or a pod with 2 CPUs) a node's async completions run
 * on the common pool, not on a new thread each; an explicit parallelism is left alone. Each case runs in
 * a fresh JVM, since the pool is fixed when it is first used.
 */
class AsyncPoolTest {

  /** Run in the child JVM: prints the common pool's parallelism and which executor completions use. */
  public static void main(String[] args) {
    boolean pooled = AsyncPool.configure();
    Thread[] ran = new Thread[1];
    CompletableFuture.runAsync(() -> ran[0] = Thread.currentThread()).join();
    System.out.println(System.getProperty(AsyncPool.PARALLELISM) + " " + pooled + " " + ran[0].getName().startsWith("ForkJoinPool"));
  }

  @Test
  void twoCpusGetAPoolOfTwo() throws Exception {
    assertEquals("2 true true", child(2));
  }

  @Test
  void oneCpuStillGetsAPool() throws Exception {
    assertEquals("2 true true", child(1));
  }

  @Test
  void anExplicitParallelismWins() throws Exception {
    assertEquals("1 false false", child(2, "-D" + AsyncPool.PARALLELISM + "=1"));
  }

  private static String child(int cpus, String... flags) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-XX:ActiveProcessorCount=" + cpus));
    cmd.addAll(List.of(flags));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), AsyncPoolTest.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor(30, TimeUnit.SECONDS);
    return out.lines().reduce((a, b) -> b).orElse(out);
  }
}
