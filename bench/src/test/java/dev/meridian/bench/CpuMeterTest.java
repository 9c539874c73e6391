package dev.meridian.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class CpuMeterTest {

  @Test
  void countsTheCpuAProcessSpendsPerOperation() {
    CpuMeter meter = new CpuMeter(ProcessHandle.current()); // this JVM as the "server" too
    CpuMeter.Sample before = meter.sample();
    long spin = 0;
    long deadline = System.nanoTime() + 10_000_000_000L; // bounded, however busy the machine is
    // Busy until the OS has counted 200 ms of this JVM's CPU (in clock ticks of 10 ms), over 10 operations.
    while (meter.sample().generatorNanos() - before.generatorNanos() < 200_000_000L && System.nanoTime() < deadline) {
      for (int i = 0; i < 100_000; i++) spin += Long.numberOfTrailingZeros(spin + i);
    }
    CpuMeter.PerOp perOp = CpuMeter.perOp(before, meter.sample(), 10);
    assertTrue(perOp.serverMs() >= 10 && perOp.serverMs() < 1000, perOp + " " + spin);
    assertTrue(perOp.generatorMs() >= 10, perOp.toString());
    assertNull(CpuMeter.perOp(before, meter.sample(), 0));
  }

  @Test
  void theTableShowsTheMedianCpuPerOperationOfTheRoundsThatMeasuredIt() {
    List<S3Suite.Cell> cells = List.of(cell("meridian", 1, 1.0, 0.5), cell("meridian", 2, 3.0, 0.7),
        cell("meridian", 3, 2.0, 0.6), cell("s3proxy", 1, null, null));
    List<Report.Row> rows = Report.rows(cells, "meridian", "s3proxy");
    assertEquals(2.0, rows.get(0).targets().get("meridian").serverCpuMsPerOp());
    assertEquals(0.6, rows.get(0).targets().get("meridian").loadgenCpuMsPerOp());
    assertNull(rows.get(0).targets().get("s3proxy").serverCpuMsPerOp());
    String table = Report.table(rows, "meridian");
    assertTrue(table.lines().anyMatch(l -> l.startsWith("PUT") && l.contains("meridian") && l.endsWith("2.00/0.60")), table);
    assertTrue(table.lines().anyMatch(l -> l.contains("s3proxy") && !l.contains("/0.")), table);
  }

  private static S3Suite.Cell cell(String target, int round, Double serverMs, Double generatorMs) {
    Histogram h = Stats.micros();
    h.recordValue(5_000);
    return new S3Suite.Cell(target, "PUT", "4KiB", 4096, 16, round, Stats.Summary.of(h, 0, 4096, 1.0), Map.of(), 1, 1,
        null, null, null, serverMs, generatorMs, "2026-12-06T00:00:00Z");
  }
}
