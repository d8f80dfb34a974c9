package dev.vicinity.api.policy;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks of meaning that types alone cannot express; every problem is reported, not only the first. */
final class PolicyValidation {
  /** A DNS name, optionally with a leading wildcard label, as Istio and Gloo Mesh accept for hosts. */
  private static final Pattern HOSTNAME =
      Pattern.compile("^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

  /** Gloo Mesh's port protocols (lower case as in its examples; matched case-insensitively). */
  static final Set<String> PROTOCOLS = Set.of("http", "http2", "grpc", "https", "tls", "tcp");

  private PolicyValidation() {}

  static void virtualDestination(VirtualDestination.Spec spec, Problems problems) {
    JsonPointer root = Problems.at("/spec");
    if (spec.hostname() == null || spec.hostname().isEmpty()) {
      problems.add(root.appendProperty("hostname"), "required: the global hostname clients call, e.g. reviews.global");
    } else if (!HOSTNAME.matcher(spec.hostname()).matches()) {
      problems.add(root.appendProperty("hostname"), "'" + spec.hostname() + "' is not a valid DNS hostname");
    }
    port(spec.port(), root.appendProperty("port"), problems);
    boolean localized = spec.localized() != null;
    boolean fixed = spec.staticFailover() != null;
    if (localized == fixed) {
      problems.add(root, "exactly one of 'localized' or 'static' must be set");
    }
    if (localized) {
      localized(spec.localized(), root.appendProperty("localized"), problems);
    }
    if (fixed) {
      JsonPointer at = root.appendProperty("static").appendProperty("destinations");
      if (spec.staticFailover().destinations().isEmpty()) {
        problems.add(at, "at least one destination is required");
      }
      for (int i = 0; i < spec.staticFailover().destinations().size(); i++) {
        VirtualDestination.BackingDestination destination = spec.staticFailover().destinations().get(i);
        if (destination == null || destination.kubeService() == null) {
          problems.add(at.appendIndex(i), "'kubeService' is required");
        } else {
          serviceRef(destination.kubeService(), at.appendIndex(i).appendProperty("kubeService"), problems);
        }
      }
    }
    if (spec.virtualMesh() != null && spec.meshList() != null) {
      problems.add(root, "at most one of 'virtualMesh' or 'meshList' may be set");
    }
    if (spec.virtualMesh() != null && spec.virtualMesh().name().isEmpty()) {
      problems.add(root.appendProperty("virtualMesh").appendProperty("name"), "required");
    }
  }

  private static void port(VirtualDestination.Port port, JsonPointer at, Problems problems) {
    if (port == null) {
      problems.add(at, "required: {number, protocol}");
      return;
    }
    if (port.number() == null) {
      problems.add(at.appendProperty("number"), "required: the port clients call, 1-65535");
    } else {
      portNumber(port.number(), at.appendProperty("number"), problems);
    }
    if (port.protocol().isEmpty()) {
      problems.add(at.appendProperty("protocol"), "required: one of " + String.join(", ", sorted(PROTOCOLS)));
    } else if (!PROTOCOLS.contains(port.protocol().toLowerCase(java.util.Locale.ROOT))) {
      problems.add(
          at.appendProperty("protocol"),
          "'" + port.protocol() + "' is not a protocol; expected one of " + String.join(", ", sorted(PROTOCOLS)));
    }
    if (port.targetNumber() != null) {
      portNumber(port.targetNumber(), at.appendProperty("targetNumber"), problems);
      if (!port.targetName().isEmpty()) {
        problems.add(at, "at most one of 'targetNumber' or 'targetName' may be set");
      }
    }
  }

  private static void portNumber(int number, JsonPointer at, Problems problems) {
    if (number < 1 || number > 65535) {
      problems.add(at, number + " is not a port number: expected 1-65535");
    }
  }

  private static void localized(VirtualDestination.Localized localized, JsonPointer at, Problems problems) {
    JsonPointer selectors = at.appendProperty("destinationSelectors");
    if (localized.destinationSelectors().isEmpty()) {
      problems.add(selectors, "at least one destination selector is required");
    }
    selectors(localized.destinationSelectors(), selectors, problems);
    OutlierDetection outlier = localized.outlierDetection();
    if (outlier != null) {
      JsonPointer od = at.appendProperty("outlierDetection");
      // 0, as an absent field, takes Gloo Mesh's default of 5 (its field is an unsigned integer).
      if (outlier.consecutiveErrors() != null && outlier.consecutiveErrors() < 0) {
        problems.add(od.appendProperty("consecutiveErrors"),
            outlier.consecutiveErrors() + " is negative: expected a count of errors, or 0 for Gloo Mesh's default of 5");
      }
      if (outlier.maxEjectionPercent() != null
          && (outlier.maxEjectionPercent() < 0 || outlier.maxEjectionPercent() > 100)) {
        problems.add(od.appendProperty("maxEjectionPercent"), "must be a percentage, 0-100");
      }
      if (outlier.interval() != null && outlier.interval().isZero()) {
        problems.add(od.appendProperty("interval"), "must be longer than 0s");
      }
    }
    for (int i = 0; i < localized.failoverDirectives().size(); i++) {
      VirtualDestination.FailoverDirective directive = localized.failoverDirectives().get(i);
      JsonPointer d = at.appendProperty("failoverDirectives").appendIndex(i);
      if (directive == null || directive.from() == null || directive.from().region().isEmpty()) {
        problems.add(d.appendProperty("from"), "required: the client locality {region, zone, subZone} it applies to");
      }
      if (directive == null || directive.to().isEmpty()) {
        problems.add(d.appendProperty("to"), "at least one locality to fail over to is required");
      }
    }
  }

  static void selectors(List<DestinationSelector> selectors, JsonPointer at, Problems problems) {
    for (int i = 0; i < selectors.size(); i++) {
      DestinationSelector selector = selectors.get(i);
      JsonPointer s = at.appendIndex(i);
      if (selector == null || (selector.kubeServiceMatcher() == null) == (selector.kubeServiceRefs() == null)) {
        problems.add(s, "exactly one of 'kubeServiceMatcher' or 'kubeServiceRefs' must be set");
        continue;
      }
      if (selector.kubeServiceRefs() != null) {
        List<ClusterObjectRef> services = selector.kubeServiceRefs().services();
        JsonPointer refs = s.appendProperty("kubeServiceRefs").appendProperty("services");
        if (services.isEmpty()) {
          problems.add(refs, "at least one service is required");
        }
        for (int j = 0; j < services.size(); j++) {
          serviceRef(services.get(j), refs.appendIndex(j), problems);
        }
      }
    }
  }

  private static void serviceRef(ClusterObjectRef ref, JsonPointer at, Problems problems) {
    if (ref == null) {
      problems.add(at, "required: {name, namespace, clusterName}");
      return;
    }
    if (ref.name().isEmpty()) {
      problems.add(at.appendProperty("name"), "required");
    }
    if (ref.namespace().isEmpty()) {
      problems.add(at.appendProperty("namespace"), "required");
    }
    if (ref.clusterName().isEmpty()) {
      problems.add(at.appendProperty("clusterName"), "required");
    }
  }

  static void trafficPolicy(TrafficPolicy.Spec spec, Problems problems) {
    JsonPointer root = Problems.at("/spec");
    selectors(spec.destinationSelector(), root.appendProperty("destinationSelector"), problems);
    if (spec.policy() == null || spec.policy().trafficShift() == null) {
      problems.add(root.appendProperty("policy"), "required: Vicinity applies 'trafficShift'");
      return;
    }
    JsonPointer at = root.appendProperty("policy").appendProperty("trafficShift").appendProperty("destinations");
    List<TrafficPolicy.WeightedDestination> destinations = spec.policy().trafficShift().destinations();
    if (destinations.isEmpty()) {
      problems.add(at, "at least one destination is required");
    }
    for (int i = 0; i < destinations.size(); i++) {
      TrafficPolicy.WeightedDestination destination = destinations.get(i);
      JsonPointer d = at.appendIndex(i);
      if (destination == null
          || (destination.virtualDestination() == null) == (destination.kubeService() == null)) {
        problems.add(d, "exactly one of 'virtualDestination' or 'kubeService' must be set");
        continue;
      }
      if (destination.weight() != null && destination.weight() < 0) {
        problems.add(d.appendProperty("weight"), "must not be negative");
      }
      if (destination.virtualDestination() != null && destination.virtualDestination().name().isEmpty()) {
        problems.add(d.appendProperty("virtualDestination").appendProperty("name"), "required");
      }
      if (destination.kubeService() != null) {
        TrafficPolicy.KubeServiceDestination service = destination.kubeService();
        JsonPointer k = d.appendProperty("kubeService");
        if (service.name().isEmpty()) {
          problems.add(k.appendProperty("name"), "required");
        }
        if (service.namespace().isEmpty()) {
          problems.add(k.appendProperty("namespace"), "required");
        }
        if (service.port() != null) {
          portNumber(service.port(), k.appendProperty("port"), problems);
        }
      }
    }
    if (!destinations.isEmpty()
        && destinations.stream().filter(java.util.Objects::nonNull).mapToInt(TrafficPolicy.WeightedDestination::weightOrDefault).sum() == 0) {
      problems.add(at, "the weights add up to 0: no traffic would go anywhere");
    }
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }
}
