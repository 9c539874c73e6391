package dev.meridian.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The reference S3 server: s3proxy (org.gaul:s3proxy, its jar-with-dependencies, copied next to the
 * harness by Maven) on loopback with its filesystem backend in the run's directory, with the same
 * credentials and the same heap as a Meridian node.
 */
final class S3Proxy implements AutoCloseable {

  private final ChildProcess process;
  private final URI endpoint;

  private S3Proxy(ChildProcess process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  static S3Proxy start(Path jar, int port, Path dir, String heap, String provider) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("s3proxy jar not found at " + jar + " (mvn package -pl bench copies it there)");
    }
    Path data = Files.createDirectories(dir.resolve("data"));
    Path props = dir.resolve("s3proxy.properties");
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    Files.writeString(props, String.join("\n",
        "s3proxy.endpoint=" + endpoint,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + MeridianCluster.ACCESS_KEY,
        "s3proxy.credential=" + MeridianCluster.SECRET_KEY,
        "jclouds.provider=" + provider,
        "jclouds.identity=local",
        "jclouds.credential=local",
        "jclouds.filesystem.basedir=" + data,
        ""));
    System.out.println("[bench] starting s3proxy (" + provider + " in " + data + ") at " + endpoint);
    ChildProcess p = ChildProcess.start("s3proxy", List.of(ChildProcess.java(), "-Xmx" + heap, "-XX:+UseG1GC",
        "-jar", jar.toString(), "--properties", props.toString()), Map.of(), dir.resolve("s3proxy.log"),
        line -> line.contains("Started") && line.contains("Server"));
    p.awaitReady(Duration.ofMinutes(2));
    return new S3Proxy(p, endpoint);
  }

  S3Target target() {
    return new S3Target("s3proxy", endpoint, MeridianCluster.ACCESS_KEY, MeridianCluster.SECRET_KEY, "us-east-1");
  }

  long pid() {
    return process.pid();
  }

  ProcessHandle process() {
    return process.handle();
  }

  @Override
  public void close() {
    System.out.println("[bench] stopping s3proxy ...");
    process.close();
  }
}
