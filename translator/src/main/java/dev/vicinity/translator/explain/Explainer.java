package dev.vicinity.translator.explain;

import com.google.protobuf.Value;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.Locality;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.translator.Destination;
import dev.vicinity.translator.TrafficShiftRule;
import dev.vicinity.translator.catalog.Catalog;
import dev.vicinity.translator.envoy.LoadAssignments;
import dev.vicinity.translator.envoy.Routes;
import dev.vicinity.translator.envoy.UniqueAddresses;
import dev.vicinity.translator.locality.Distribution;
import dev.vicinity.translator.locality.TopologyLabels;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Why a client sees what it sees for a host: where its route sends it, and for each endpoint its
 * priority, weight and the rule that placed it; then, if some localities or clusters failed, which
 * priorities would take the traffic. Pure, like the translation it explains.
 */
public final class Explainer {
  /** Envoy's default overprovisioning factor: a priority takes min(100%, 1.4 x its healthy share). */
  static final double OVERPROVISIONING = 1.4;

  private Explainer() {}

  /** The whole answer. */
  public record Explanation(
      String client, String request, List<Route> routes, List<String> failed, List<String> notes) {}

  /** One virtual host the request matched: its destination(s) and weights. */
  public record Route(String virtualHost, String shiftedBy, List<Target> targets) {}

  /** One cluster the route sends traffic to. */
  public record Target(
      String cluster, int weight, String origin, String outlierDetection, List<Priority> priorities, Scenario scenario) {}

  /** One priority level, by locality. */
  public record Priority(int priority, String locality, int weight, List<Row> endpoints) {}

  /** One endpoint: where it is and why it sits at its priority. */
  public record Row(String address, String health, String cluster, String reason) {}

  /** Share of traffic per priority: Envoy's (with overprovisioning) and gRPC's (first healthy priority). */
  public record Scenario(Map<Integer, Integer> envoyPercentByPriority, Optional<Integer> grpcPriority) {}

  /**
   * @param host a hostname as the client would call it (any name the route answers to)
   * @param port the port, or empty for every port of the host
   * @param failed localities ({@code region[/zone[/subzone]]}) or cluster names to treat as down
   */
  public static Explanation explain(
      Catalog catalog, ClientProfile client, String host, Optional<Integer> port, Set<String> failed) {
    List<Route> routes = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<Destination> visible = catalog.destinations().stream().filter(d -> d.visibleTo(client)).toList();
    for (Destination destination : visible) {
      if (port.isPresent() && port.get() != destination.port()) {
        continue;
      }
      if (!Routes.domains(destination, client).contains(host) && !destination.host().equals(host)) {
        continue;
      }
      Optional<TrafficShiftRule> shift = catalog.shifts().stream()
          .filter(r -> r.clientCluster().equals(client.cluster()) && r.host().equals(destination.host()) && r.port() == destination.port())
          .findFirst();
      List<TrafficShiftRule.WeightedCluster> clusters = shift
          .map(TrafficShiftRule::targets)
          .orElse(List.of(new TrafficShiftRule.WeightedCluster(destination.clusterName(), 1)));
      List<Target> targets = new ArrayList<>();
      for (TrafficShiftRule.WeightedCluster cluster : clusters) {
        catalog.destination(cluster.clusterName()).filter(d -> d.visibleTo(client)).ifPresent(target -> {
          // The same load assignment the client is sent, built for this cluster only.
          ClusterLoadAssignment assignment = LoadAssignments.build(target, client, catalog.meshes(), catalog.lbEndpoints());
          targets.add(target(target, cluster.weight(), assignment, client, failed));
        });
      }
      routes.add(new Route(destination.hostPort(), shift.map(r -> "TrafficPolicy " + r.policy()).orElse(""), targets));
    }
    if (routes.isEmpty()) {
      notes.add("no host " + host + port.map(p -> ":" + p).orElse("") + " is visible to this client");
    }
    return new Explanation(client.toString(), host + port.map(p -> ":" + p).orElse(""), routes, List.copyOf(failed), notes);
  }

  private static Target target(
      Destination destination, int weight, ClusterLoadAssignment assignment, ClientProfile client, Set<String> failed) {
    Map<String, String> clientLabels = TopologyLabels.of(client);
    Map<String, Endpoint> byAddress = new HashMap<>();
    destination.endpoints().forEach(e -> byAddress.put(e.cluster() + "|" + e.address() + ":" + e.port(), e));
    List<Priority> priorities = new ArrayList<>();
    Map<Integer, int[]> healthByPriority = new TreeMap<>(); // priority -> {healthy, total}
    for (LocalityLbEndpoints locality : assignment.getEndpointsList()) {
      Locality where = new Locality(locality.getLocality().getRegion(), locality.getLocality().getZone(), locality.getLocality().getSubZone());
      List<Row> rows = new ArrayList<>();
      int[] health = healthByPriority.computeIfAbsent(locality.getPriority(), p -> new int[2]);
      for (LbEndpoint lbEndpoint : locality.getLbEndpointsList()) {
        Map<String, Value> metadata = lbEndpoint.getMetadata().getFilterMetadataOrDefault(
            LoadAssignments.METADATA_NAMESPACE, com.google.protobuf.Struct.getDefaultInstance()).getFieldsMap();
        String cluster = metadata.containsKey("cluster") ? metadata.get("cluster").getStringValue() : "";
        String address = lbEndpoint.getEndpoint().getAddress().getSocketAddress().getAddress() + ":"
            + lbEndpoint.getEndpoint().getAddress().getSocketAddress().getPortValue();
        Endpoint endpoint = byAddress.get(cluster + "|" + address);
        String reason = endpoint != null
            ? LoadAssignments.rank(destination, client, clientLabels, endpoint).reason()
            : gatewayReason(metadata, lbEndpoint.getLoadBalancingWeight().getValue());
        boolean down = failed.contains(cluster) || failed.stream().anyMatch(f -> Distribution.matches(f, where));
        boolean healthy = !down && lbEndpoint.getHealthStatus() == HealthStatus.HEALTHY;
        health[0] += healthy ? 1 : 0;
        health[1] += 1;
        rows.add(new Row(address, down ? "FAILED (simulated)" : lbEndpoint.getHealthStatus().name(), cluster, reason));
      }
      priorities.add(new Priority(locality.getPriority(), where.toString(), locality.getLoadBalancingWeight().getValue(), rows));
    }
    String origin = destination.origin().map(r -> "VirtualDestination " + r).orElse("Kubernetes service")
        + destination.loadBalancing().destinationRule().map(r -> ", DestinationRule " + r).orElse("");
    String outlier = destination.loadBalancing().outlierDetection()
        .map(o -> "on (panic threshold " + destination.loadBalancing().minHealthPercent() + "%)")
        .orElse(destination.fixedRanks().isEmpty()
            ? "off: no failover between priorities"
            // A static list orders priorities anyway; endpoints that are not ready still hand traffic on.
            : "off: nothing is ejected, but the static list still orders the priorities");
    return new Target(destination.clusterName(), weight, origin, outlier, priorities, scenario(healthByPriority));
  }

  /** Why a gateway is there; for a gRPC client, which remote localities it stands for at once. */
  private static String gatewayReason(Map<String, Value> metadata, int weight) {
    String reason = "east-west gateway of network " + metadata.getOrDefault("network", Value.getDefaultInstance()).getStringValue()
        + ", for " + weight + " healthy endpoints behind it";
    Value merged = metadata.get(UniqueAddresses.MERGED_LOCALITIES);
    return merged == null ? reason
        : reason + " in " + merged.getStringValue() + " (merged: gRPC takes each address once, so the gateway's network,"
            + " not this client, fails over between them)";
  }

  /**
   * Envoy's priority load: each priority takes min(100, 1.4 x its healthy percentage) of what the
   * higher ones left, normalised when all together are under 100; gRPC uses the first priority that
   * has a healthy endpoint.
   */
  static Scenario scenario(Map<Integer, int[]> healthByPriority) {
    Map<Integer, Double> health = new TreeMap<>();
    healthByPriority.forEach((p, h) -> health.put(p, h[1] == 0 ? 0 : Math.min(100.0, OVERPROVISIONING * 100.0 * h[0] / h[1])));
    double total = Math.min(100.0, health.values().stream().mapToDouble(Double::doubleValue).sum());
    Map<Integer, Integer> load = new TreeMap<>();
    double left = 100.0;
    for (Map.Entry<Integer, Double> entry : health.entrySet()) {
      double share = total == 0 ? 0 : Math.min(left, entry.getValue() * 100.0 / total);
      load.put(entry.getKey(), (int) Math.round(share));
      left -= share;
    }
    Optional<Integer> grpc = healthByPriority.entrySet().stream().filter(e -> e.getValue()[0] > 0).map(Map.Entry::getKey).findFirst();
    return new Scenario(load, grpc);
  }

  /** The explanation as an operator reads it on a terminal. */
  public static String render(Explanation explanation) {
    StringBuilder out = new StringBuilder();
    out.append("client ").append(explanation.client()).append(" calling ").append(explanation.request()).append('\n');
    if (!explanation.failed().isEmpty()) {
      out.append("simulating the failure of: ").append(String.join(", ", explanation.failed())).append('\n');
    }
    explanation.notes().forEach(n -> out.append(n).append('\n'));
    for (Route route : explanation.routes()) {
      out.append("\nroute ").append(route.virtualHost())
          .append(route.shiftedBy().isEmpty() ? "" : " (shifted by " + route.shiftedBy() + ")").append('\n');
      for (Target target : route.targets()) {
        out.append("  -> ").append(target.cluster()).append(route.targets().size() > 1 ? " weight " + target.weight() : "")
            .append("  [").append(target.origin()).append("; outlier detection ").append(target.outlierDetection()).append("]\n");
        for (Priority priority : target.priorities()) {
          out.append(String.format("     priority %d  %-28s weight %d%n", priority.priority(), priority.locality(), priority.weight()));
          for (Row row : priority.endpoints()) {
            out.append(String.format("       %-22s %-19s %-16s %s%n", row.address(), row.health(), row.cluster(), row.reason()));
          }
        }
        out.append("     traffic: Envoy ");
        target.scenario().envoyPercentByPriority().forEach((p, pct) -> out.append("priority ").append(p).append(' ').append(pct).append("%  "));
        out.append("| gRPC ").append(target.scenario().grpcPriority().map(p -> "priority " + p).orElse("no healthy priority")).append('\n');
      }
    }
    return out.toString();
  }
}
