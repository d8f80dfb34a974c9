package dev.vicinity.translator;

import dev.vicinity.api.world.Locality;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Envoy priorities by proximity to the client, as Istio computes them: 0 for the same region, zone and
 * subzone, 1 for the same zone, 2 for the same region, 3 for anywhere else; then renumbered so that the
 * priorities in use have no gaps (Envoy requires priorities to be contiguous from 0).
 */
public final class LocalityPriorities {
  static final int SAME_SUBZONE = 0;
  static final int SAME_ZONE = 1;
  static final int SAME_REGION = 2;
  static final int ELSEWHERE = 3;

  private LocalityPriorities() {}

  /** The raw proximity rank of an endpoint locality seen from a client locality. */
  public static int proximity(Locality client, Locality endpoint) {
    if (client.isUnknown()) {
      return SAME_SUBZONE; // a client that does not say where it is gets a single priority
    }
    if (!client.region().equals(endpoint.region())) {
      return ELSEWHERE;
    }
    if (!client.zone().equals(endpoint.zone())) {
      return SAME_REGION;
    }
    if (!client.subZone().equals(endpoint.subZone())) {
      return SAME_ZONE;
    }
    return SAME_SUBZONE;
  }

  /** Maps each rank in use to its position among them: {1, 3} becomes {1: 0, 3: 1}. */
  public static Map<Integer, Integer> withoutGaps(Collection<Integer> ranks) {
    Map<Integer, Integer> renumbered = new TreeMap<>();
    for (int rank : new TreeSet<>(ranks)) {
      renumbered.put(rank, renumbered.size());
    }
    return renumbered;
  }
}
