package dev.meridian.chaos.history;

/**
 * The replication lag probe's view at one second of the run: the age of the oldest probe version not yet
 * seen in the destination region (0 when none is owed), and how many are owed.
 *
 * @param t              second of the run (ms since start, rounded down to a second)
 * @param oldestOwedMs   age of the oldest acknowledged probe not yet replicated
 * @param owed           number of acknowledged probes not yet replicated
 * @param lastLagMs      replication lag of the most recent probe that arrived (-1 if none yet)
 */
public record LagSample(long t, long oldestOwedMs, int owed, long lastLagMs) {}
