package dev.meridian.persistence.embedded;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the jars of Apache Cassandra {@value #VERSION} for the child process of
 * {@link EmbeddedCassandra}.
 *
 * <p>Cassandra's jars conflict with ours (Netty, Guava, Jackson, logback...), so they are never on
 * this module's classpath. Instead they are resolved once with Maven into a cache directory,
 * {@code ${MERIDIAN_CACHE:-~/.cache/meridian}/cassandra-5.0.9/lib}, and a marker file records that
 * the copy completed. A file lock makes two JVMs resolving at the same time take turns, and the
 * second one then finds the marker. The directory can be overridden with the system property
 * {@code meridian.cassandra.lib} or the environment variable {@code MERIDIAN_CASSANDRA_LIB}; the
 * Maven executable with {@code meridian.mvn} / {@code MERIDIAN_MVN}.
 */
public final class CassandraLibraries {

  /** The Cassandra release that {@link EmbeddedCassandra} runs. */
  public static final String VERSION = "5.0.9";

  private static final Logger log = LoggerFactory.getLogger(CassandraLibraries.class);
  private static final String DEPENDENCY_PLUGIN =
      "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies";
  private static final String MAIN_JAR = "cassandra-all-" + VERSION + ".jar";
  private static final long MAVEN_TIMEOUT_MINUTES = 20;

  private CassandraLibraries() {}

  /**
   * The runtime jars of Cassandra, sorted by file name; resolves them with Maven first if needed.
   *
   * @throws IOException if Maven fails or the jars cannot be found
   */
  // synchronized: FileChannel.lock() refuses a second lock on the same file from the same JVM.
  public static synchronized List<Path> resolve() throws IOException {
    String override = setting("meridian.cassandra.lib", "MERIDIAN_CASSANDRA_LIB");
    if (override != null) {
      return jarsIn(Path.of(override));
    }
    Path cache = cacheDir();
    Path lib = cache.resolve("lib");
    Path marker = cache.resolve("lib.complete");
    if (Files.exists(marker)) {
      return jarsIn(lib);
    }
    Files.createDirectories(cache);
    try (FileChannel channel = FileChannel.open(cache.resolve(".lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock ignored = channel.lock()) {
      if (!Files.exists(marker)) { // another JVM may have finished while we waited for the lock
        download(cache, lib);
        List<Path> jars = jarsIn(lib);
        Files.writeString(marker, jars.stream().map(p -> p.getFileName().toString())
            .collect(Collectors.joining("\n", "", "\n")));
      }
    }
    return jarsIn(lib);
  }

  /** {@code ${MERIDIAN_CACHE:-~/.cache/meridian}/cassandra-<version>}. */
  public static Path cacheDir() {
    String base = setting("meridian.cache", "MERIDIAN_CACHE");
    Path root = base != null ? Path.of(base)
        : Path.of(System.getProperty("user.home"), ".cache", "meridian");
    return root.resolve("cassandra-" + VERSION).toAbsolutePath();
  }

  private static void download(Path cache, Path lib) throws IOException {
    long started = System.nanoTime();
    log.info("Resolving Cassandra {} and its runtime dependencies with Maven into {} (done once)",
        VERSION, lib);
    deleteRecursively(lib); // a copy interrupted earlier may have left partial jars behind
    Path pom = cache.resolve("pom.xml");
    Files.writeString(pom, CassandraConfig.render(CassandraConfig.resource("cassandra-libs-pom.xml"),
        Map.of("version", VERSION)));
    Path mavenLog = cache.resolve("mvn.log");
    List<String> cmd = new ArrayList<>(List.of(maven(), "-q", "-B", "-f", pom.toString(),
        DEPENDENCY_PLUGIN, "-DoutputDirectory=" + lib, "-DincludeScope=runtime"));
    String localRepo = System.getProperty("maven.repo.local");
    if (localRepo != null && !localRepo.isBlank()) {
      cmd.add("-Dmaven.repo.local=" + localRepo);
    }
    Process mvn = new ProcessBuilder(cmd)
        .directory(cache.toFile())
        .redirectErrorStream(true)
        .redirectOutput(mavenLog.toFile())
        .start();
    mvn.getOutputStream().close(); // batch mode: Maven must never wait for input
    try {
      if (!mvn.waitFor(MAVEN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        mvn.destroyForcibly();
        throw new IOException("Maven did not finish within " + MAVEN_TIMEOUT_MINUTES
            + " minutes; see " + mavenLog);
      }
    } catch (InterruptedException e) {
      mvn.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while Maven resolved Cassandra", e);
    }
    if (mvn.exitValue() != 0) {
      throw new IOException("Maven failed (exit " + mvn.exitValue() + ") resolving Cassandra "
          + VERSION + ": " + String.join(" ", cmd) + "\n" + tail(mavenLog, 40));
    }
    log.info("Cassandra {} resolved in {} s", VERSION, (System.nanoTime() - started) / 1_000_000_000L);
  }

  /** The jars of a directory, sorted; fails unless Cassandra's main jar is among them. */
  static List<Path> jarsIn(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("Cassandra library directory does not exist: " + dir);
    }
    List<Path> jars;
    try (Stream<Path> files = Files.list(dir)) {
      jars = files.filter(p -> p.getFileName().toString().endsWith(".jar"))
          .map(Path::toAbsolutePath)
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .collect(Collectors.toList());
    }
    if (jars.stream().noneMatch(p -> p.getFileName().toString().startsWith("cassandra-all-"))) {
      throw new IOException("no cassandra-all jar in " + dir);
    }
    return jars;
  }

  /** The Maven executable: meridian.mvn / MERIDIAN_MVN, then $MAVEN_HOME/bin/mvn, then PATH. */
  private static String maven() throws IOException {
    String configured = setting("meridian.mvn", "MERIDIAN_MVN");
    if (configured != null) {
      return configured;
    }
    boolean windows = System.getProperty("os.name", "").toLowerCase().contains("win");
    String name = windows ? "mvn.cmd" : "mvn";
    List<String> dirs = new ArrayList<>();
    for (String home : new String[] {System.getenv("MAVEN_HOME"), System.getenv("M2_HOME"),
        System.getProperty("maven.home")}) {
      if (home != null && !home.isBlank()) {
        dirs.add(Path.of(home, "bin").toString());
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    for (String dir : dirs) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IOException("Maven (" + name + ") not found on PATH or in MAVEN_HOME; it is needed "
        + "once to fetch Cassandra " + VERSION + ". Set -Dmeridian.mvn=/path/to/mvn or point "
        + "-Dmeridian.cassandra.lib at a directory holding Cassandra's jars.");
  }

  /** A system property, else an environment variable, else null. */
  static String setting(String property, String env) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(env);
    }
    return value == null || value.isBlank() ? null : value;
  }

  /** The last lines of a text file, or a note that it cannot be read. */
  static String tail(Path file, int lines) {
    try {
      if (!Files.exists(file)) {
        return "(" + file + " does not exist)";
      }
      // Decoded leniently: a log cut off mid-character must still be shown.
      List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines()
          .collect(Collectors.toList());
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
