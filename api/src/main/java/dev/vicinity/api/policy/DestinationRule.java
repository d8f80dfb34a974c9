package dev.vicinity.api.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Istio's {@code networking.istio.io DestinationRule} ({@code v1}, {@code v1beta1}, {@code v1alpha3}).
 * Vicinity implements outlier detection, the simple load balancer and {@code localityLbSetting}; the
 * other Istio fields are accepted (so existing rules apply unchanged) and have no effect.
 */
public record DestinationRule(ObjectMeta metadata, Spec spec) implements Policy {
  @Override
  public PolicyKind kind() {
    return PolicyKind.DESTINATION_RULE;
  }

  /** The spec, field for field as Istio defines it. */
  public record Spec(
      String host,
      TrafficPolicy trafficPolicy,
      JsonNode subsets,
      List<String> exportTo,
      JsonNode workloadSelector) {
    public Spec {
      host = Nulls.text(host);
      exportTo = Nulls.list(exportTo);
    }
  }

  /** Traffic policy for every port of the host. */
  public record TrafficPolicy(
      LoadBalancer loadBalancer,
      OutlierDetection outlierDetection,
      JsonNode connectionPool,
      JsonNode tls,
      JsonNode portLevelSettings,
      JsonNode tunnel,
      JsonNode proxyProtocol) {}

  /** The load balancing algorithm and locality settings. */
  public record LoadBalancer(
      String simple,
      JsonNode consistentHash,
      LocalityLbSetting localityLbSetting,
      JsonNode warmupDurationSecs,
      JsonNode warmup) {
    public LoadBalancer {
      simple = Nulls.text(simple);
    }
  }

  /**
   * Istio's locality settings: weights per locality ({@code distribute}), region failover order
   * ({@code failover}) or label-based failover ({@code failoverPriority}).
   */
  public record LocalityLbSetting(
      Boolean enabled, List<Distribute> distribute, List<Failover> failover, List<String> failoverPriority) {
    public LocalityLbSetting {
      distribute = Nulls.list(distribute);
      failover = Nulls.list(failover);
      failoverPriority = Nulls.list(failoverPriority);
    }

    public boolean isEnabled() {
      return enabled == null || enabled;
    }
  }

  /** From a client locality pattern ({@code region/zone/subzone}, {@code *} wildcards), weights per locality pattern. */
  public record Distribute(String from, Map<String, Integer> to) {
    public Distribute {
      from = Nulls.text(from);
      to = to == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(to));
    }
  }

  /** From a client region, the region to fail over to first. */
  public record Failover(String from, String to) {
    public Failover {
      from = Nulls.text(from);
      to = Nulls.text(to);
    }
  }

  /** Istio's outlier detection; absent fields take Envoy's defaults, {@code minHealthPercent} 0. */
  public record OutlierDetection(
      Integer consecutiveErrors,
      Integer consecutive5xxErrors,
      Integer consecutiveGatewayErrors,
      Integer consecutiveLocalOriginFailures,
      Boolean splitExternalLocalOriginErrors,
      Duration interval,
      Duration baseEjectionTime,
      Integer maxEjectionPercent,
      Integer minHealthPercent) {}
}
