package dev.meridian.chaos.history;

/**
 * The replication lag probe's view of one destination at one second of the run: the age of the oldest probe
 * version not yet seen there (0 when none is owed), and how many are owed.
 *
 * @param t              second of the run (ms since start, rounded down to a second)
 * @param destination    the destination bucket's rule, e.g. {@code crr} or {@code srr}
 * @param oldestOwedMs   age of the oldest acknowledged probe not yet replicated there
 * @param owed           number of acknowledged probes not yet replicated there
 * @param lastLagMs      replication lag of the most recent probe that arrived there (-1 if none yet)
 */
public record LagSample(long t, String destination, long oldestOwedMs, int owed, long lastLagMs) {}
