package dev.meridian.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a recorded JVM spent its CPU: the execution samples of a JFR file counted by top frame (self
 * time), by the first Meridian frame on the stack (which of our code paths led there), and by library,
 * plus allocation by class and GC pause time. {@code java -cp ... dev.meridian.bench.JfrSummary FILE.jfr}.
 */
public final class JfrSummary {

  private JfrSummary() {}

  public static void main(String[] args) throws IOException {
    for (String a : args) System.out.println(summarize(Path.of(a), 25, Instant.MIN));
  }

  /** The summary of the events recorded from {@code from} on. */
  static String summarize(Path file, int top, Instant from) throws IOException {
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> ours = new HashMap<>();
    Map<String, Long> library = new HashMap<>();
    Map<String, Long> alloc = new HashMap<>();
    long samples = 0;
    double gcPauseMs = 0;
    long gcs = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (e.getStartTime().isBefore(from)) continue;
      String type = e.getEventType().getName();
      if (type.equals("jdk.ExecutionSample")) {
        RecordedStackTrace st = e.getStackTrace();
        if (st == null || st.getFrames().isEmpty()) continue;
        samples++;
        List<RecordedFrame> frames = st.getFrames();
        self.merge(name(frames.get(0)), 1L, Long::sum);
        library.merge(library(frames.get(0)), 1L, Long::sum);
        String mine = "(no Meridian frame)";
        for (RecordedFrame f : frames) {
          if (f.getMethod() != null && f.getMethod().getType().getName().startsWith("dev.meridian")) {
            mine = name(f);
            break;
          }
        }
        ours.merge(mine, 1L, Long::sum);
      } else if (type.equals("jdk.ObjectAllocationSample")) {
        var cls = e.getClass("objectClass");
        alloc.merge(cls == null ? "?" : cls.getName(), e.getLong("weight"), Long::sum);
      } else if (type.equals("jdk.GarbageCollection")) {
        gcs++;
        gcPauseMs += e.getDuration("sumOfPauses").toNanos() / 1e6;
      }
    }
    StringBuilder b = new StringBuilder("JFR " + file.getFileName() + ": " + samples + " execution samples, " + gcs
        + " GCs with " + String.format("%.0f", gcPauseMs) + " ms of pauses\n");
    section(b, "by library (top frame)", library, samples, top);
    section(b, "self time (top frame)", self, samples, top);
    section(b, "first Meridian frame on the stack", ours, samples, top);
    long allocTotal = alloc.values().stream().mapToLong(Long::longValue).sum();
    section(b, "allocation by class (sampled bytes)", alloc, allocTotal, 12);
    return b.toString();
  }

  private static void section(StringBuilder b, String title, Map<String, Long> counts, long total, int top) {
    b.append("  ").append(title).append(":\n");
    Map<String, Long> sorted = new LinkedHashMap<>();
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
        .forEach(en -> sorted.put(en.getKey(), en.getValue()));
    sorted.forEach((k, v) -> b.append(String.format("    %5.1f%%  %s%n", 100.0 * v / Math.max(1, total), k)));
  }

  private static String name(RecordedFrame f) {
    if (f.getMethod() == null) return "?";
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static String library(RecordedFrame f) {
    if (f.getMethod() == null) return "?";
    String n = f.getMethod().getType().getName();
    String[][] known = {{"dev.meridian", "meridian"}, {"org.apache.pekko.http", "pekko-http"},
        {"org.apache.pekko.stream", "pekko-stream"}, {"org.apache.pekko.persistence", "pekko-persistence"},
        {"org.apache.pekko.remote", "pekko-remote"}, {"org.apache.pekko", "pekko (other)"},
        {"com.datastax", "cassandra driver"}, {"io.netty", "netty"}, {"com.fasterxml.jackson", "jackson"},
        {"scala.", "scala library"}, {"java.util.zip", "java zip/crc"}, {"sun.security", "jdk crypto"},
        {"com.sun.crypto", "jdk crypto"}, {"java.", "jdk"}, {"jdk.", "jdk"}, {"sun.", "jdk"}};
    for (String[] k : known) if (n.startsWith(k[0])) return k[1];
    int dot = n.lastIndexOf('.');
    return dot < 0 ? n : n.substring(0, dot);
  }
}
