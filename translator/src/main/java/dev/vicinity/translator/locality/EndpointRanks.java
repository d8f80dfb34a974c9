package dev.vicinity.translator.locality;

import dev.vicinity.api.policy.DestinationRule;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.translator.Destination;
import dev.vicinity.translator.LoadBalancing;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The raw priority rank of each endpoint of one destination for one client (see {@link LocalityPriorities}).
 * Which rule applies, and what the client's side of it is (its labels' values for {@code failoverPriority}),
 * depends only on the destination and the client, so it is worked out once here: ranking an endpoint then
 * allocates nothing, and the reason in words is only written when an explanation asks for it.
 */
public final class EndpointRanks {
  /** Which rule ranks the endpoints. */
  private enum Rule {
    /** A static VirtualDestination: the order of its list, whoever asks. */
    STATIC_LIST,
    NO_OUTLIER_DETECTION,
    LOCALITY_LB_DISABLED,
    DISTRIBUTE,
    PROXIMITY,
    CLIENT_WITHOUT_LABELS,
    LABELS,
    LABELS_THEN_PROXIMITY
  }

  /** An endpoint's raw priority rank for a client, and the rule that gave it, in words. */
  public record Rank(int value, String reason) {}

  private final Destination destination;
  private final ClientProfile client;
  private final Rule rule;
  /** Per {@code failoverPriority} entry: how to read the endpoint's label, and the value it must have. */
  private final List<Function<Endpoint, String>> labels;
  private final String[] wanted;

  private EndpointRanks(Destination destination, ClientProfile client, Rule rule, Map<String, String> clientLabels) {
    this.destination = destination;
    this.client = client;
    this.rule = rule;
    List<String> failoverPriority = destination.loadBalancing().locality().failoverPriority();
    boolean byLabels = rule == Rule.LABELS || rule == Rule.LABELS_THEN_PROXIMITY;
    this.labels = byLabels
        ? failoverPriority.stream().map(entry -> TopologyLabels.ofEndpoint(labelOf(entry))).toList()
        : List.of();
    this.wanted = new String[labels.size()];
    for (int i = 0; i < wanted.length; i++) {
      String entry = failoverPriority.get(i);
      int equals = entry.indexOf('=');
      // "key=value" compares with the literal value, a bare key with the client's own value of it.
      wanted[i] = equals < 0 ? clientLabels.get(entry) : entry.substring(equals + 1);
    }
  }

  /** {@code clientLabels}: the client's labels ({@link TopologyLabels#of(ClientProfile)}). */
  public static EndpointRanks of(Destination destination, ClientProfile client, Map<String, String> clientLabels) {
    return new EndpointRanks(destination, client, rule(destination, clientLabels), clientLabels);
  }

  /**
   * Without failover (no outlier detection, locality load balancing disabled, or weights by
   * {@code distribute}) everything shares rank 0: nothing would ever eject the closest endpoints and
   * hand traffic on.
   */
  private static Rule rule(Destination destination, Map<String, String> clientLabels) {
    if (!destination.fixedRanks().isEmpty()) {
      return Rule.STATIC_LIST;
    }
    LoadBalancing lb = destination.loadBalancing();
    DestinationRule.LocalityLbSetting locality = lb.locality();
    if (lb.outlierDetection().isEmpty()) {
      return Rule.NO_OUTLIER_DETECTION;
    }
    if (!locality.isEnabled()) {
      return Rule.LOCALITY_LB_DISABLED;
    }
    if (!locality.distribute().isEmpty()) {
      return Rule.DISTRIBUTE;
    }
    if (locality.failoverPriority().isEmpty() || (clientLabels.isEmpty() && !locality.failover().isEmpty())) {
      // Istio: a proxy without labels gets no label ranks; only explicit failover still orders regions.
      return Rule.PROXIMITY;
    }
    if (clientLabels.isEmpty()) {
      return Rule.CLIENT_WITHOUT_LABELS;
    }
    return locality.failover().isEmpty() ? Rule.LABELS : Rule.LABELS_THEN_PROXIMITY;
  }

  private static String labelOf(String failoverPriorityEntry) {
    int equals = failoverPriorityEntry.indexOf('=');
    return equals < 0 ? failoverPriorityEntry : failoverPriorityEntry.substring(0, equals);
  }

  /** The endpoint's raw rank. */
  public int rank(Endpoint endpoint) {
    return switch (rule) {
      case STATIC_LIST -> staticPosition(endpoint);
      case NO_OUTLIER_DETECTION, LOCALITY_LB_DISABLED, DISTRIBUTE, CLIENT_WITHOUT_LABELS -> 0;
      case PROXIMITY -> proximity(endpoint);
      case LABELS -> labelRank(endpoint);
      case LABELS_THEN_PROXIMITY -> LocalityPriorities.combined(labelRank(endpoint), proximity(endpoint));
    };
  }

  /** The endpoint's raw rank and the rule that gave it, in words. */
  public Rank explained(Endpoint endpoint) {
    int rank = rank(endpoint);
    return new Rank(rank, switch (rule) {
      case STATIC_LIST -> "static failover: destination " + (rank + 1) + " of the list";
      case NO_OUTLIER_DETECTION -> "no outlier detection, so no failover: one priority";
      case LOCALITY_LB_DISABLED -> "locality load balancing disabled: one priority";
      case DISTRIBUTE -> "distribute sets weights, not priorities: one priority";
      case CLIENT_WITHOUT_LABELS -> "failoverPriority, but the client has no labels: one priority";
      case PROXIMITY -> proximityReason(rank);
      case LABELS -> labelsReason(rank);
      case LABELS_THEN_PROXIMITY -> labelsReason(labelRank(endpoint)) + "; then " + proximityReason(proximity(endpoint));
    });
  }

  private int staticPosition(Endpoint endpoint) {
    Map<String, Integer> fixedRanks = destination.fixedRanks();
    return fixedRanks.getOrDefault(Destination.backendKey(endpoint), fixedRanks.size());
  }

  private int proximity(Endpoint endpoint) {
    LoadBalancing lb = destination.loadBalancing();
    return lb.failoverDirectives().isEmpty()
        ? LocalityPriorities.proximity(client.locality(), endpoint.locality(), lb.locality().failover())
        : LocalityPriorities.proximity(client.locality(), endpoint.locality(), lb.failoverDirectives());
  }

  private String proximityReason(int proximity) {
    return LocalityPriorities.describe(proximity, client.locality(), !destination.loadBalancing().failoverDirectives().isEmpty());
  }

  /** Istio's label rank: N minus the number of leading {@code failoverPriority} labels that match. */
  private int labelRank(Endpoint endpoint) {
    for (int i = 0; i < wanted.length; i++) {
      String have = labels.get(i).apply(endpoint);
      if (wanted[i] == null ? have != null : !wanted[i].equals(have)) {
        return wanted.length - i;
      }
    }
    return 0;
  }

  private String labelsReason(int labelRank) {
    List<String> failoverPriority = destination.loadBalancing().locality().failoverPriority();
    int matched = failoverPriority.size() - labelRank;
    return "failoverPriority: matches the client on " + matched + " of " + failoverPriority.size()
        + " labels " + failoverPriority;
  }
}
