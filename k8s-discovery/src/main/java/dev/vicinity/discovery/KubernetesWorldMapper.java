package dev.vicinity.discovery;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.DiscoveredService;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.EndpointConditions;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.ServicePort;
import dev.vicinity.api.world.SyncState;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Kubernetes objects to World records, as a pure function: the same objects in, the same ClusterWorld
 * out, whether they came from a file dump or from informers.
 */
public final class KubernetesWorldMapper {
  public static final String REGION_LABEL = "topology.kubernetes.io/region";
  public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
  public static final String SUBZONE_LABEL = "topology.istio.io/subzone";
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private KubernetesWorldMapper() {}

  public static ClusterWorld toClusterWorld(
      ClusterConfig cluster, Collection<Node> nodes, Collection<Service> services, Collection<EndpointSlice> slices) {
    Map<String, Locality> nodeLocalities = new HashMap<>();
    nodes.forEach(node -> nodeLocality(node).ifPresent(l -> nodeLocalities.put(node.getMetadata().getName(), l)));
    List<DiscoveredService> discovered = services.stream().map(s -> service(cluster, s)).toList();
    List<Endpoint> endpoints = new ArrayList<>();
    for (EndpointSlice slice : slices) {
      endpoints.addAll(endpoints(cluster, slice, nodeLocalities));
    }
    // ClusterWorld keeps one copy of an address listed in two slices (the ready one).
    return new ClusterWorld(cluster.id(), cluster.network(), SyncState.SYNCED, discovered, endpoints);
  }

  /** A node's locality from its topology labels; empty when it has no region label. */
  static java.util.Optional<Locality> nodeLocality(Node node) {
    Map<String, String> labels = labelsOf(node.getMetadata());
    String region = labels.getOrDefault(REGION_LABEL, "");
    if (region.isEmpty()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new Locality(region, labels.getOrDefault(ZONE_LABEL, ""), labels.getOrDefault(SUBZONE_LABEL, "")));
  }

  static DiscoveredService service(ClusterConfig cluster, Service service) {
    ObjectMeta metadata = service.getMetadata();
    List<ServicePort> ports = service.getSpec() == null || service.getSpec().getPorts() == null
        ? List.of()
        : service.getSpec().getPorts().stream()
            .map(p -> new ServicePort(p.getName(), p.getPort(), p.getProtocol(), p.getAppProtocol()))
            .toList();
    return new DiscoveredService(cluster.id(), new ServiceKey(namespaceOf(metadata), metadata.getName()), labelsOf(metadata), ports);
  }

  static List<Endpoint> endpoints(ClusterConfig cluster, EndpointSlice slice, Map<String, Locality> nodeLocalities) {
    Map<String, String> labels = labelsOf(slice.getMetadata());
    String serviceName = labels.get(SERVICE_NAME_LABEL);
    if (serviceName == null || "FQDN".equals(slice.getAddressType()) || slice.getEndpoints() == null) {
      return List.of(); // not owned by a Service, or not addresses Envoy can dial
    }
    ServiceKey service = new ServiceKey(namespaceOf(slice.getMetadata()), serviceName);
    List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
    List<Endpoint> endpoints = new ArrayList<>();
    for (io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint : slice.getEndpoints()) {
      Locality locality = locality(cluster, endpoint, nodeLocalities);
      EndpointConditions conditions = conditions(endpoint.getConditions());
      for (String address : Objects.requireNonNullElse(endpoint.getAddresses(), List.<String>of())) {
        for (EndpointPort port : ports) {
          if (port.getPort() == null) {
            continue; // a port with no number means "all ports": nothing Envoy can dial
          }
          endpoints.add(new Endpoint(cluster.id(), service, address, port.getName(), port.getPort(), locality,
              endpoint.getNodeName(), conditions, cluster.network()));
        }
      }
    }
    return endpoints;
  }

  /**
   * The node's topology labels first; then the slice's {@code zone} field (in the cluster's default
   * region); then the cluster's configured default locality.
   */
  static Locality locality(
      ClusterConfig cluster, io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint, Map<String, Locality> nodeLocalities) {
    Locality fromNode = endpoint.getNodeName() == null ? null : nodeLocalities.get(endpoint.getNodeName());
    if (fromNode != null) {
      return fromNode;
    }
    Locality fallback = cluster.defaultLocality();
    if (endpoint.getZone() != null && !endpoint.getZone().isEmpty()) {
      return new Locality(fallback.region(), endpoint.getZone(), "");
    }
    return fallback;
  }

  /** Kubernetes' rules: a missing {@code ready} is ready, a missing {@code serving} follows {@code ready}. */
  static EndpointConditions conditions(io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions conditions) {
    if (conditions == null) {
      return EndpointConditions.READY;
    }
    boolean ready = !Boolean.FALSE.equals(conditions.getReady());
    boolean serving = conditions.getServing() == null ? ready : conditions.getServing();
    boolean terminating = Boolean.TRUE.equals(conditions.getTerminating());
    return new EndpointConditions(ready, serving, terminating);
  }

  private static Map<String, String> labelsOf(ObjectMeta metadata) {
    return metadata == null || metadata.getLabels() == null ? Map.of() : metadata.getLabels();
  }

  private static String namespaceOf(ObjectMeta metadata) {
    return metadata.getNamespace() == null ? "default" : metadata.getNamespace();
  }
}
