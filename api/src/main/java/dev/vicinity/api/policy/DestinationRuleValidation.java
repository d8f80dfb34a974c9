package dev.vicinity.api.policy;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Istio's own checks of a DestinationRule's host, load balancer, locality settings and outlier detection. */
final class DestinationRuleValidation {
  /**
   * Istio's simple load balancers Vicinity implements; LEAST_CONN is the deprecated name of
   * LEAST_REQUEST. PASSTHROUGH needs original-destination clusters, which EDS cannot express.
   */
  static final Set<String> SIMPLE = Set.of("UNSPECIFIED", "RANDOM", "ROUND_ROBIN", "LEAST_REQUEST", "LEAST_CONN");

  private static final Pattern HOST =
      Pattern.compile("^(\\*|(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$");
  private static final Pattern LOCALITY_PATTERN = Pattern.compile("^[^/]+(/[^/]+){0,2}$");

  private DestinationRuleValidation() {}

  static void validate(DestinationRule.Spec spec, Problems problems) {
    JsonPointer root = Problems.at("/spec");
    if (spec.host().isEmpty()) {
      problems.add(root.appendProperty("host"), "required: the service host, e.g. helloworld.sample.svc.cluster.local");
    } else if (!HOST.matcher(spec.host()).matches()) {
      problems.add(root.appendProperty("host"), "'" + spec.host() + "' is not a valid host (a DNS name, optionally *.-prefixed)");
    }
    DestinationRule.TrafficPolicy policy = spec.trafficPolicy();
    if (policy == null) {
      return;
    }
    JsonPointer at = root.appendProperty("trafficPolicy");
    if (policy.loadBalancer() != null) {
      loadBalancer(policy.loadBalancer(), at.appendProperty("loadBalancer"), problems);
    }
    if (policy.outlierDetection() != null) {
      outlierDetection(policy.outlierDetection(), at.appendProperty("outlierDetection"), problems);
    }
  }

  private static void loadBalancer(DestinationRule.LoadBalancer lb, JsonPointer at, Problems problems) {
    if (lb.simple().equals("PASSTHROUGH")) {
      problems.add(at.appendProperty("simple"), "PASSTHROUGH is not supported: it needs original-destination clusters");
    } else if (!lb.simple().isEmpty() && !SIMPLE.contains(lb.simple())) {
      problems.add(at.appendProperty("simple"),
          "'" + lb.simple() + "' is not a load balancer; expected one of " + String.join(", ", SIMPLE.stream().sorted().toList()));
    }
    DestinationRule.LocalityLbSetting locality = lb.localityLbSetting();
    if (locality == null) {
      return;
    }
    JsonPointer l = at.appendProperty("localityLbSetting");
    if (!locality.distribute().isEmpty() && (!locality.failover().isEmpty() || !locality.failoverPriority().isEmpty())) {
      problems.add(l, "'distribute' cannot be combined with 'failover' or 'failoverPriority' (Istio applies only one)");
    }
    for (int i = 0; i < locality.distribute().size(); i++) {
      DestinationRule.Distribute distribute = locality.distribute().get(i);
      JsonPointer d = l.appendProperty("distribute").appendIndex(i);
      if (!LOCALITY_PATTERN.matcher(distribute.from()).matches()) {
        problems.add(d.appendProperty("from"), "expected a locality region/zone/subzone (with * wildcards), got '" + distribute.from() + "'");
      }
      int total = 0;
      boolean everyWeightAPercentage = true;
      for (Map.Entry<String, Integer> to : distribute.to().entrySet()) {
        if (!LOCALITY_PATTERN.matcher(to.getKey()).matches()) {
          problems.add(d.appendProperty("to").appendProperty(to.getKey()), "expected a locality region/zone/subzone (with * wildcards)");
        }
        if (to.getValue() == null || to.getValue() < 0 || to.getValue() > 100) {
          problems.add(d.appendProperty("to").appendProperty(to.getKey()), "weight must be a percentage, 0-100");
          everyWeightAPercentage = false;
        } else {
          total += to.getValue();
        }
      }
      if (everyWeightAPercentage && total != 100) {
        problems.add(d.appendProperty("to"), "weights must add up to 100, they add up to " + total);
      }
    }
    List<DestinationRule.Failover> failovers = locality.failover();
    for (int i = 0; i < failovers.size(); i++) {
      DestinationRule.Failover failover = failovers.get(i);
      JsonPointer f = l.appendProperty("failover").appendIndex(i);
      if (failover.from().isEmpty() || failover.to().isEmpty()) {
        problems.add(f, "both 'from' and 'to' regions are required");
      } else if (failover.from().equals(failover.to())) {
        problems.add(f, "'from' and 'to' must be different regions, both are '" + failover.from() + "'");
      }
    }
    for (int i = 0; i < locality.failoverPriority().size(); i++) {
      String label = locality.failoverPriority().get(i);
      if (label.isEmpty() || label.startsWith("=") || label.endsWith("=")) {
        problems.add(l.appendProperty("failoverPriority").appendIndex(i), "expected a label name or label=value, got '" + label + "'");
      }
    }
  }

  private static void outlierDetection(DestinationRule.OutlierDetection od, JsonPointer at, Problems problems) {
    nonNegative(od.consecutiveErrors(), at.appendProperty("consecutiveErrors"), problems);
    nonNegative(od.consecutive5xxErrors(), at.appendProperty("consecutive5xxErrors"), problems);
    nonNegative(od.consecutiveGatewayErrors(), at.appendProperty("consecutiveGatewayErrors"), problems);
    nonNegative(od.consecutiveLocalOriginFailures(), at.appendProperty("consecutiveLocalOriginFailures"), problems);
    percentage(od.maxEjectionPercent(), at.appendProperty("maxEjectionPercent"), problems);
    percentage(od.minHealthPercent(), at.appendProperty("minHealthPercent"), problems);
    if (od.interval() != null && od.interval().toMillis() < 1) {
      problems.add(at.appendProperty("interval"), "must be at least 1ms");
    }
    if (od.baseEjectionTime() != null && od.baseEjectionTime().toMillis() < 1) {
      problems.add(at.appendProperty("baseEjectionTime"), "must be at least 1ms");
    }
  }

  private static void nonNegative(Integer value, JsonPointer at, Problems problems) {
    if (value != null && value < 0) {
      problems.add(at, "must not be negative");
    }
  }

  private static void percentage(Integer value, JsonPointer at, Problems problems) {
    if (value != null && (value < 0 || value > 100)) {
      problems.add(at, "must be a percentage, 0-100");
    }
  }
}
