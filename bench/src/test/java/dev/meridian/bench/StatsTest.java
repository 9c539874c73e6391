package dev.meridian.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void percentilesOfAKnownDistribution() {
    Histogram h = Stats.micros();
    for (int ms = 1; ms <= 1000; ms++) h.recordValue(ms * 1000L);
    Stats.Summary s = Stats.Summary.of(h, 3, 1000L * 4096, 2.0);
    assertEquals(1000, s.ops());
    assertEquals(3, s.errors());
    assertEquals(500.0, s.opsPerSec(), 1e-9);
    assertEquals(1000 * 4096 / 1048576.0 / 2.0, s.mibPerSec(), 1e-9);
    // HdrHistogram with 3 significant digits: values within 0.1 %.
    assertEquals(500, s.p50Ms(), 1.0);
    assertEquals(900, s.p90Ms(), 1.0);
    assertEquals(990, s.p99Ms(), 1.0);
    assertEquals(999, s.p999Ms(), 1.0);
    assertEquals(1000, s.maxMs(), 1.0);
  }

  @Test
  void emptyCellHasNoLatencies() {
    Stats.Summary s = Stats.Summary.of(Stats.micros(), 5, 0, 1.0);
    assertEquals(0, s.ops());
    assertEquals(0.0, s.opsPerSec());
    assertTrue(Double.isNaN(s.p50Ms()));
    assertTrue(Double.isNaN(s.maxMs()));
  }

  @Test
  void medianOfOddEvenAndNonFinite() {
    assertEquals(2.0, Stats.median(List.of(3.0, 1.0, 2.0)));
    assertEquals(2.5, Stats.median(List.of(4.0, 1.0, 3.0, 2.0)));
    assertEquals(2.0, Stats.median(List.of(1.0, Double.NaN, 3.0)));
    assertTrue(Double.isNaN(Stats.median(List.of())));
  }

  @Test
  void pairedRatioIsTheMedianOfPerRoundRatios() {
    // Round 2 ran under a load spike that hit both servers: pairing cancels it, a ratio of medians would not.
    List<Double> meridian = List.of(100.0, 20.0, 110.0);
    List<Double> reference = List.of(200.0, 40.0, 100.0);
    assertEquals(0.5, Stats.pairedRatio(meridian, reference), 1e-9);
    assertTrue(Double.isNaN(Stats.ratio(1.0, 0.0)));
    assertEquals(0.5, Stats.pairedRatio(List.of(1.0, 2.0, 3.0), List.of(2.0)), 1e-9);
  }

  @Test
  void nearestRankPercentile() {
    List<Double> v = new ArrayList<>();
    for (int i = 1; i <= 1000; i++) v.add((double) i);
    assertEquals(500.0, Stats.percentile(v, 50));
    assertEquals(990.0, Stats.percentile(v, 99));
    assertEquals(999.0, Stats.percentile(v, 99.9));
    assertEquals(1000.0, Stats.percentile(v, 100));
    assertEquals(7.0, Stats.percentile(List.of(7.0), 99.9));
  }

  @Test
  void optionsParseSizesDurationsAndDefaults() {
    assertEquals(4096, BenchOptions.bytes("4KiB"));
    assertEquals(64 << 20, BenchOptions.bytes("64MiB"));
    assertEquals(1 << 20, BenchOptions.bytes("1m"));
    assertEquals("64MiB", BenchOptions.sizeName(64 << 20));
    assertEquals(1500, BenchOptions.duration("1500ms").toMillis());
    BenchOptions o = BenchOptions.parse(new String[] {"--target", "meridian=http://127.0.0.1:9001", "--rounds=5",
        "--replication-rates", "200x4KiB,20x1MiB"});
    assertEquals("http://127.0.0.1:9001", o.meridian());
    assertEquals(5, o.rounds());
    assertEquals(new ReplicationBench.Rate(20, 1 << 20), o.replicationRates().get(1));
    assertEquals(List.of(4096, 1 << 20, 64 << 20), o.sizes());
  }
}
