package dev.meridian.chaos.scenario;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Options of one scenario run.
 *
 * @param duration     how long the workload runs; faults are scheduled inside it
 * @param drain        how long replication may take to converge after the workload and faults end
 * @param out          directory for this run's history, verdict, report and logs
 * @param cassandra    an external Cassandra ({@code host:port[/dc]}) for scenarios that do not kill
 *                     Cassandra; null to start one of the run's own
 * @param keep         keep the run's Cassandra data and keyspaces
 * @param plant        test-only: after the verdict, plant faults ({@code drop-replica}, {@code drop-ack}, or both
 *                     comma-separated) through the S3 API and check again; the second verdict must catch them
 * @param maxErrorRate error rate allowed to the local requests of regions a fault does not hit
 * @param nodeHeap     heap of each node process
 * @param nodeEnv      extra MERIDIAN_* settings for every node (to try a setting or a fix), recorded in the report
 */
public record RunConfig(Scenario scenario, long seed, Duration duration, Duration drain, Path out, String cassandra,
    boolean keep, String plant, double maxErrorRate, String nodeHeap, java.util.Map<String, String> nodeEnv) {}
