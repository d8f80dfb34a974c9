package dev.vicinity.translator;

import dev.vicinity.api.policy.DestinationRule;
import dev.vicinity.api.policy.PolicySet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which DestinationRule governs a host, as Istio picks it: an exact host first, then the longest
 * matching wildcard ({@code *.sample.svc.cluster.local}, then {@code *}); among equals the first by
 * namespace and name. Short hosts ({@code helloworld}) mean a service in the rule's own namespace.
 */
final class DestinationRules {
  private DestinationRules() {}

  static Optional<DestinationRule> forHost(String host, PolicySet policies) {
    return policies.destinationRules().stream()
        .filter(rule -> matches(qualified(rule), host))
        .min(Comparator.comparingInt((DestinationRule rule) -> -specificity(qualified(rule))));
  }

  /** Applies a rule to what a destination already has: the rule's settings win where it sets them. */
  static LoadBalancing apply(DestinationRule rule, LoadBalancing base) {
    DestinationRule.TrafficPolicy policy = rule.spec().trafficPolicy();
    if (policy == null) {
      return new LoadBalancing(base.outlierDetection(), base.minHealthPercent(), base.policy(), base.locality(),
          base.failoverDirectives(), Optional.of(rule.ref()));
    }
    DestinationRule.OutlierDetection outlier = policy.outlierDetection();
    DestinationRule.LoadBalancer lb = policy.loadBalancer();
    return new LoadBalancing(
        outlier != null ? Optional.of(OutlierDetections.istio(outlier)) : base.outlierDetection(),
        outlier != null && outlier.minHealthPercent() != null ? outlier.minHealthPercent() : base.minHealthPercent(),
        lb != null && !lb.simple().isEmpty() ? lbPolicy(lb.simple()) : base.policy(),
        lb != null && lb.localityLbSetting() != null ? lb.localityLbSetting() : base.locality(),
        base.failoverDirectives(),
        Optional.of(rule.ref()));
  }

  private static io.envoyproxy.envoy.config.cluster.v3.Cluster.LbPolicy lbPolicy(String simple) {
    return switch (simple.toUpperCase(Locale.ROOT)) {
      case "LEAST_REQUEST", "LEAST_CONN" -> io.envoyproxy.envoy.config.cluster.v3.Cluster.LbPolicy.LEAST_REQUEST;
      case "RANDOM" -> io.envoyproxy.envoy.config.cluster.v3.Cluster.LbPolicy.RANDOM;
      default -> io.envoyproxy.envoy.config.cluster.v3.Cluster.LbPolicy.ROUND_ROBIN;
    };
  }

  private static String qualified(DestinationRule rule) {
    String host = rule.spec().host();
    return host.contains(".") || host.equals("*") ? host : host + "." + rule.metadata().namespace() + ".svc." + ResourceNames.CLUSTER_DOMAIN;
  }

  private static boolean matches(String pattern, String host) {
    if (pattern.equals("*")) {
      return true;
    }
    if (pattern.startsWith("*.")) {
      return host.endsWith(pattern.substring(1));
    }
    return pattern.equals(host);
  }

  /** Exact hosts beat every wildcard; longer wildcards beat shorter ones. */
  private static int specificity(String pattern) {
    return pattern.startsWith("*") ? pattern.length() : Integer.MAX_VALUE;
  }

}
