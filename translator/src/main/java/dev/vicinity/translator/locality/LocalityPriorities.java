package dev.vicinity.translator.locality;

import dev.vicinity.api.policy.DestinationRule;
import dev.vicinity.api.policy.LocalityMatch;
import dev.vicinity.api.policy.VirtualDestination;
import dev.vicinity.api.world.Locality;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Envoy priorities as Istio computes them ({@code pilot/pkg/networking/core/loadbalancer}), then
 * renumbered so that the priorities in use have no gaps (Envoy requires contiguous priorities from 0).
 *
 * <ul>
 *   <li>Proximity: 0 for the same region, zone and subzone, 1 for the same zone, 2 for the same region,
 *       3 for anywhere else, 4 for other regions when a {@code failover} rule names the region to go to
 *       next from the client's region.
 *   <li>{@code failoverPriority}: with N labels, an endpoint whose labels match the client's on the
 *       first k labels, in order, ranks N - k ({@code key=value} entries compare with the literal value).
 *       With {@code failover} set too, proximity then orders each of those ranks (rank * 5 + proximity).
 * </ul>
 */
public final class LocalityPriorities {
  static final int SAME_SUBZONE = 0;
  static final int SAME_ZONE = 1;
  static final int SAME_REGION = 2;
  static final int ELSEWHERE = 3;
  static final int NOT_THE_FAILOVER_REGION = 4;
  /** Proximity ranks are 0-4 with Istio's failover: five per label rank keeps label ranks apart. */
  private static final int PROXIMITY_RANKS = 5;

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

  /** Proximity with Istio's region {@code failover}: from the client's region, its {@code to} region comes first. */
  public static int proximity(Locality client, Locality endpoint, List<DestinationRule.Failover> failover) {
    int rank = proximity(client, endpoint);
    if (rank == ELSEWHERE) {
      for (DestinationRule.Failover rule : failover) {
        if (rule.from().equals(client.region())) {
          return endpoint.region().equals(rule.to()) ? ELSEWHERE : NOT_THE_FAILOVER_REGION;
        }
      }
    }
    return rank;
  }

  /**
   * Proximity with Gloo Mesh's {@code failoverDirectives}: for the first directive whose {@code from}
   * matches the client, endpoints in its {@code to} localities come after the client's own region, in
   * the order listed, and before every other region.
   */
  public static int proximity(Locality client, Locality endpoint, Collection<VirtualDestination.FailoverDirective> directives) {
    int rank = proximity(client, endpoint);
    if (rank != ELSEWHERE) {
      return rank;
    }
    for (VirtualDestination.FailoverDirective directive : directives) {
      if (directive.from() != null && directive.from().matches(client)) {
        List<LocalityMatch> to = directive.to();
        for (int i = 0; i < to.size(); i++) {
          if (to.get(i).matches(endpoint)) {
            return ELSEWHERE + i;
          }
        }
        return ELSEWHERE + to.size();
      }
    }
    return rank;
  }

  /** A proximity rank in words, for explanations. */
  static String describe(int rank, Locality client, boolean directives) {
    if (client.isUnknown()) {
      return "the client sent no locality: one priority";
    }
    return switch (rank) {
      case SAME_SUBZONE -> "same region, zone and subzone as the client";
      case SAME_ZONE -> "same zone, another subzone";
      case SAME_REGION -> "same region, another zone";
      case ELSEWHERE -> directives ? "another region, first in the failover directive" : "another region";
      default -> directives
          ? "another region, number " + (rank - ELSEWHERE + 1) + " in the failover directive (or not in it)"
          : "another region, not the one failover names for " + client.region();
    };
  }

  /** Istio's label rank: N minus the number of leading {@code failoverPriority} labels that match. */
  public static int labelRank(List<String> failoverPriority, Map<String, String> client, Map<String, String> endpoint) {
    for (int i = 0; i < failoverPriority.size(); i++) {
      String entry = failoverPriority.get(i);
      int equals = entry.indexOf('=');
      String label = equals < 0 ? entry : entry.substring(0, equals);
      String wanted = equals < 0 ? client.get(label) : entry.substring(equals + 1);
      if (wanted == null ? endpoint.get(label) != null : !wanted.equals(endpoint.get(label))) {
        return failoverPriority.size() - i;
      }
    }
    return 0;
  }

  /** Label rank and proximity together, as Istio combines them when both are configured. */
  public static int combined(int labelRank, int proximity) {
    return labelRank * PROXIMITY_RANKS + proximity;
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
