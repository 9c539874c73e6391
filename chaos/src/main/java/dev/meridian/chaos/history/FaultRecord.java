package dev.meridian.chaos.history;

/**
 * A fault as it happened: injected at {@code start}, healed at {@code end} (ms since the run started),
 * and the affected part serving again at {@code recovered} (-1 when not known).
 *
 * @param kind      nemesis name, e.g. {@code region-outage}
 * @param target    what was hit: a region, a node name or a link
 * @param affectedRegion the region whose own requests may fail during the fault, or null when none may
 * @param start     when the fault was injected
 * @param end       when it was healed
 * @param recovered when the affected nodes served again after healing
 * @param detail    what exactly was done (signals, commands)
 */
public record FaultRecord(String kind, String target, String affectedRegion, long start, long end, long recovered,
    String detail) {

  public FaultRecord healed(long end) {
    return new FaultRecord(kind, target, affectedRegion, start, end, recovered, detail);
  }

  public FaultRecord recovered(long at) {
    return new FaultRecord(kind, target, affectedRegion, start, end, at, detail);
  }

  public FaultRecord withDetail(String detail) {
    return new FaultRecord(kind, target, affectedRegion, start, end, recovered, detail);
  }

  /**
   * Whether time {@code t} falls in the fault's window, which lasts until the hit part served again (or,
   * when that is not known, until the fault was healed).
   */
  public boolean covers(long t) {
    long until = recovered >= 0 ? recovered : end;
    return t >= start && (until < 0 || t < until);
  }

  /** Whether {@code t} is after the heal but before the hit part served again. */
  public boolean healing(long t) {
    return covers(t) && end >= 0 && t >= end;
  }
}
