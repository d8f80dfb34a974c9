package dev.vicinity.translator.catalog;

import dev.vicinity.api.policy.DestinationRule;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.translator.LoadBalancing;
import dev.vicinity.translator.ResourceNames;
import dev.vicinity.translator.envoy.OutlierDetections;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which DestinationRule governs a host, as Istio picks it: an exact host first, then the longest
 * matching wildcard ({@code *.sample.svc.cluster.local}, then {@code *}); among equals the first by
 * namespace and name. Short hosts ({@code helloworld}) mean a service in the rule's own namespace.
 */
final class DestinationRules {
  static final DestinationRules NONE = new DestinationRules(Map.of(), List.of());

  /** The first rule for each exact host. */
  private final Map<String, DestinationRule> exact;
  /** Wildcard rules, most specific first; among equals, in the policy set's order. */
  private final List<Map.Entry<String, DestinationRule>> wildcards;

  private DestinationRules(Map<String, DestinationRule> exact, List<Map.Entry<String, DestinationRule>> wildcards) {
    this.exact = exact;
    this.wildcards = wildcards;
  }

  /** The rules of a policy set, indexed once: a lookup costs a hash and the wildcards, not every rule. */
  static DestinationRules of(PolicySet policies) {
    Map<String, DestinationRule> exact = new HashMap<>();
    List<Map.Entry<String, DestinationRule>> wildcards = new ArrayList<>();
    for (DestinationRule rule : policies.destinationRules()) {
      String pattern = qualified(rule);
      if (pattern.startsWith("*")) {
        wildcards.add(Map.entry(pattern, rule));
      } else {
        exact.putIfAbsent(pattern, rule);
      }
    }
    // A stable sort: equally specific wildcards keep the policy set's order.
    wildcards.sort(Comparator.comparingInt((Map.Entry<String, DestinationRule> e) -> -specificity(e.getKey())));
    return new DestinationRules(Map.copyOf(exact), List.copyOf(wildcards));
  }

  Optional<DestinationRule> forHost(String host) {
    DestinationRule rule = exact.get(host);
    if (rule != null) {
      return Optional.of(rule);
    }
    return wildcards.stream().filter(e -> matches(e.getKey(), host)).map(Map.Entry::getValue).findFirst();
  }

  /** The destination's own settings under the DestinationRule for its host, if there is one. */
  LoadBalancing withRule(String host, LoadBalancing own) {
    return forHost(host).map(rule -> apply(rule, own)).orElse(own);
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
