package dev.meridian.cluster.region;

import dev.meridian.cluster.MeridianSettings;
import dev.meridian.cluster.RegionStorage;
import dev.meridian.cluster.Result;
import dev.meridian.cluster.StoreError;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.stream.Materializer;

/**
 * Every region's data plane as seen from this node: its own region served locally (and offered to the
 * other regions through a {@link RegionGateway}), every other region through its gateways.
 */
public final class Regions {

  private final String self;
  private final Map<String, RegionData> data = new HashMap<>();
  private final RegionHealth health;

  public Regions(ActorSystem<?> system, RegionStorage storage) {
    MeridianSettings s = storage.settings;
    this.self = s.region();
    this.health = new RegionHealth(system);
    LocalRegionData local = new LocalRegionData(storage, Materializer.matFromSystem(system));
    data.put(self, local);
    system.systemActorOf(RegionGateway.create(self, local), "region-gateway", Props.empty());
    for (String region : s.regions()) {
      if (!region.equals(self)) {
        data.put(region, new RemoteRegionData(system, region, health, s.askTimeout(), s.streamTimeout()));
      }
    }
  }

  /** The data plane of {@code region}; REGION_UNAVAILABLE for a region this cluster does not have. */
  public RegionData of(String region) {
    RegionData d = data.get(region);
    if (d == null) throw new Result.StoreException(StoreError.REGION_UNAVAILABLE, "unknown region " + region);
    return d;
  }

  /** Fails at once when {@code region} is another region with no reachable node (rather than timing out). */
  public void requireReachable(String region) {
    if (!region.equals(self) && !health.regionReachable(region)) {
      throw new Result.StoreException(StoreError.REGION_UNAVAILABLE, region);
    }
  }
}
