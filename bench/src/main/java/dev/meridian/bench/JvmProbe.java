package dev.meridian.bench;

import com.sun.tools.attach.VirtualMachine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import jdk.management.jfr.FlightRecorderMXBean;

/**
 * A look into a server JVM on this machine (a Meridian node, s3proxy) through the Attach API and its local
 * JMX agent: heap in use, live heap after a full GC, and Java Flight Recorder recordings, without a tool
 * process per sample.
 */
final class JvmProbe implements AutoCloseable {

  private final long pid;
  private final JMXConnector connector;
  private final MemoryMXBean memory;
  private final List<MemoryPoolMXBean> pools;
  private final FlightRecorderMXBean jfr;
  private long recording = -1;

  private JvmProbe(long pid, JMXConnector connector, MBeanServerConnection c) throws Exception {
    this.pid = pid;
    this.connector = connector;
    this.memory = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
    this.pools = ManagementFactory.getPlatformMXBeans(c, MemoryPoolMXBean.class);
    this.jfr = ManagementFactory.newPlatformMXBeanProxy(c, "jdk.management.jfr:type=FlightRecorder",
        FlightRecorderMXBean.class);
  }

  static JvmProbe attach(long pid) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    String url;
    try {
      url = vm.startLocalManagementAgent();
    } finally {
      vm.detach();
    }
    JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(url));
    return new JvmProbe(pid, connector, connector.getMBeanServerConnection());
  }

  long pid() {
    return pid;
  }

  /** Heap in use now (bytes), garbage included. */
  long heapUsed() {
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** Old generation in use now (bytes): what survived young collections. */
  long oldGenUsed() {
    return pools.stream().filter(p -> p.getName().contains("Old Gen")).mapToLong(p -> p.getUsage().getUsed()).sum();
  }

  /** Heap in use right after a full GC: the live set. */
  long liveHeapAfterGc() {
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** Starts a JFR recording with the JDK's "default" settings. */
  void startJfr() throws Exception {
    recording = jfr.newRecording();
    jfr.setPredefinedConfiguration(recording, "default"); // lighter than "profile" on 2 busy cores
    jfr.setRecordingOptions(recording, Map.of("name", "meridian-bench"));
    jfr.startRecording(recording);
  }

  /** Stops the recording and writes it (the file is written by the recorded JVM). */
  void stopJfr(Path file) throws Exception {
    if (recording < 0) return;
    jfr.stopRecording(recording);
    jfr.copyTo(recording, file.toAbsolutePath().toString());
    jfr.closeRecording(recording);
    recording = -1;
  }

  @Override
  public void close() {
    try {
      connector.close();
    } catch (Exception e) {
      // the JVM is gone
    }
  }
}
