package dev.vicinity.translator;

import dev.vicinity.api.policy.DestinationRule;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.policy.VirtualDestination;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import java.util.List;
import java.util.Optional;

/**
 * How a destination balances and fails over, from its VirtualDestination and the DestinationRule for
 * its host. Failover across priorities is only honoured with outlier detection (as in Istio and Gloo
 * Mesh): without it nothing ever ejects the closest endpoints.
 *
 * @param outlierDetection Envoy's outlier detection, if any policy configures it
 * @param minHealthPercent Istio's {@code minHealthPercent}: the panic threshold while failover is on
 * @param locality Istio's locality settings ({@link #DEFAULT_LOCALITY} when none)
 * @param failoverDirectives Gloo Mesh's: from a client locality, these localities come next, in order
 * @param destinationRule the rule that contributed, for explanations
 */
public record LoadBalancing(
    Optional<OutlierDetection> outlierDetection,
    int minHealthPercent,
    Cluster.LbPolicy policy,
    DestinationRule.LocalityLbSetting locality,
    List<VirtualDestination.FailoverDirective> failoverDirectives,
    Optional<ObjectRef> destinationRule) {
  public static final DestinationRule.LocalityLbSetting DEFAULT_LOCALITY =
      new DestinationRule.LocalityLbSetting(true, List.of(), List.of(), List.of());
  public static final LoadBalancing DEFAULT =
      new LoadBalancing(Optional.empty(), 0, Cluster.LbPolicy.ROUND_ROBIN, DEFAULT_LOCALITY, List.of(), Optional.empty());

  public LoadBalancing {
    failoverDirectives = List.copyOf(failoverDirectives);
  }

  public boolean failoverEnabled() {
    return outlierDetection.isPresent() && locality.isEnabled();
  }
}
