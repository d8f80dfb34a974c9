package dev.vicinity.inventory.mapping;

import com.google.common.collect.ImmutableList;
import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.DiscoveredService;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.EndpointConditions;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.ServicePort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Kubernetes objects to World records, as a pure function: the same objects in, the same ClusterWorld
 * out, whether they came from a file dump or from informers. Objects the Kubernetes API server would
 * refuse are left out.
 */
public final class KubernetesWorldMapper {
  public static final String REGION_LABEL = "topology.kubernetes.io/region";
  public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
  public static final String SUBZONE_LABEL = "topology.istio.io/subzone";
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private KubernetesWorldMapper() {}

  /** An object left out of the world, and every rule it breaks. */
  public record Rejected(String object, List<Violation> violations) {
    public Rejected {
      violations = List.copyOf(violations);
    }

    /** {@code ports[0].port: -5 is not a port number: expected 1-65535; ...}. */
    public String reasons() {
      return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }

    @Override
    public String toString() {
      return object + ": " + reasons();
    }
  }

  /** A cluster's world and the objects left out of it because the API server would refuse them. */
  public record Mapped(ClusterWorld world, List<Rejected> rejected) {
    public Mapped {
      rejected = List.copyOf(rejected);
    }
  }

  /** The world of the valid objects; invalid ones are left out (see {@link #map} for which and why). */
  public static ClusterWorld toClusterWorld(
      ClusterConfig cluster, Collection<Node> nodes, Collection<Service> services, Collection<EndpointSlice> slices) {
    return map(cluster, nodes, services, slices).world();
  }

  /**
   * The world of the objects Kubernetes' API validation would accept ({@link KubernetesObjectRules}), and
   * the others, left out whole. Objects read from files were checked already, with their lines; objects
   * from informers are checked here, since a world must never carry an address or port no client can use.
   */
  public static Mapped map(
      ClusterConfig cluster, Collection<Node> nodes, Collection<Service> services, Collection<EndpointSlice> slices) {
    return map(cluster, nodes, services, slices, new MappingMemo());
  }

  /**
   * As {@link #map(ClusterConfig, Collection, Collection, Collection)}, checking and mapping only objects new to
   * {@code memo} and sorting only the endpoints of services whose slices changed; the last world built with
   * {@code memo} if nothing in it changed. One memo per cluster.
   */
  public static Mapped map(ClusterConfig cluster, Collection<Node> nodes, Collection<Service> services,
      Collection<EndpointSlice> slices, MappingMemo memo) {
    List<Rejected> rejected = new ArrayList<>();
    Map<String, Locality> localities = new HashMap<>();
    for (Node node : valid(nodes, rejected, memo)) {
      nodeLocality(node).ifPresent(l -> localities.put(node.getMetadata().getName(), l));
    }
    Map<String, Locality> nodeLocalities = memo.nodeLocalities(localities);
    ImmutableList<DiscoveredService> discovered = valid(services, rejected, memo).stream()
        .map(s -> memo.service(s, () -> service(cluster, s)))
        .sorted(Comparator.comparing(DiscoveredService::key))
        .collect(ImmutableList.toImmutableList());
    // Each service's endpoints are sorted on their own, and only when one of its slices changed: in key order,
    // they make the world's order without sorting the cluster's endpoints (see NormalizedEndpoints).
    Map<ServiceKey, List<List<Endpoint>>> slicesByService = new HashMap<>();
    for (EndpointSlice slice : valid(slices, rejected, memo)) {
      List<Endpoint> endpoints = memo.endpoints(slice, nodeLocalities, () -> endpoints(cluster, slice, nodeLocalities));
      if (!endpoints.isEmpty()) {
        slicesByService.computeIfAbsent(endpoints.get(0).service(), key -> new ArrayList<>(1)).add(endpoints);
      }
    }
    // ClusterWorld keeps one copy of an address listed in two slices (the ready one).
    ClusterWorld world = memo.world(cluster.id(), cluster.network(), discovered, memo.clusterEndpoints(slicesByService));
    return new Mapped(world, rejected);
  }

  private static <T extends HasMetadata> List<T> valid(Collection<T> objects, List<Rejected> rejected, MappingMemo memo) {
    List<T> valid = new ArrayList<>(objects.size());
    for (T object : objects) {
      List<Violation> violations = memo.violations(object, () -> KubernetesObjectRules.check(object));
      if (violations.isEmpty()) {
        valid.add(object);
      } else {
        rejected.add(new Rejected(describe(object), violations));
      }
    }
    return valid;
  }

  private static String describe(HasMetadata object) {
    ObjectMeta metadata = object.getMetadata();
    String name = metadata == null || metadata.getName() == null ? "(no name)" : metadata.getName();
    String namespace = metadata == null ? null : metadata.getNamespace();
    return object.getKind() + " " + (namespace == null || namespace.isEmpty() ? name : namespace + "/" + name);
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
