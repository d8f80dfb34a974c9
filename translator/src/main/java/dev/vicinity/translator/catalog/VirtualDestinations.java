package dev.vicinity.translator.catalog;

import dev.vicinity.api.config.MeshTopology;
import dev.vicinity.api.policy.ClusterObjectRef;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.policy.VirtualDestination;
import dev.vicinity.api.world.DiscoveredService;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.ServicePort;
import dev.vicinity.translator.Destination;
import dev.vicinity.translator.LoadBalancing;
import dev.vicinity.translator.PortProtocol;
import dev.vicinity.translator.envoy.OutlierDetections;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a VirtualDestination makes of the world: the destination its hostname and port become, backed by
 * the services it selects (or lists, for static failover), on the port its {@code port} names.
 */
final class VirtualDestinations {
  private VirtualDestinations() {}

  /**
   * One VirtualDestination's outcome before the catalog is assembled (where another may already hold its
   * host and port).
   *
   * @param uses the keys of the services it selected: a change of theirs may change it
   * @param backing the service ports whose endpoints back it
   */
  record Evaluated(VirtualDestination policy, Optional<Destination> destination, List<ClusterObjectRef> selected,
      Problems.Findings findings, Set<ServiceKey> uses, List<BackingPort> backing) {
    Evaluated {
      selected = List.copyOf(selected);
      uses = Set.copyOf(uses);
      backing = List.copyOf(backing);
    }
  }

  /** A selected service's port, in one cluster, that a VirtualDestination forwards to. */
  record BackingPort(DiscoveredService service, String portName) {}

  /**
   * The same evaluation with the endpoints the index holds now: what a change of endpoints alone
   * makes of it, without selecting again.
   */
  static Evaluated withEndpoints(Evaluated evaluated, WorldIndex index) {
    List<Endpoint> endpoints = endpoints(evaluated.backing(), index);
    Optional<Destination> destination = evaluated.destination().map(d -> new Destination(d.host(), d.port(), d.protocol(),
        endpoints, d.loadBalancing(), d.origin(), d.visibleTo(), d.fixedRanks()));
    return new Evaluated(evaluated.policy(), destination, evaluated.selected(), evaluated.findings(), evaluated.uses(),
        evaluated.backing());
  }

  private static List<Endpoint> endpoints(List<BackingPort> backing, WorldIndex index) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (BackingPort port : backing) {
      endpoints.addAll(index.endpoints(port.service().cluster(), port.service().key(), port.portName()));
    }
    return endpoints;
  }

  static Evaluated evaluate(VirtualDestination vd, WorldIndex index, DestinationRules rules, MeshTopology meshes) {
    Problems problems = new Problems();
    List<ClusterObjectRef> selected = new ArrayList<>();
    Set<ServiceKey> uses = new HashSet<>();
    VirtualDestination.Spec spec = vd.spec();
    VirtualDestination.Port port = spec.port();
    List<DiscoveredService> services = new ArrayList<>();
    Map<String, Integer> fixedRanks = new HashMap<>();
    if (spec.localized() != null) {
      index.world().services()
          .filter(service -> ServiceSelection.selectedByAny(spec.localized().destinationSelectors(), service))
          .forEach(services::add);
    } else {
      List<VirtualDestination.BackingDestination> list = spec.staticFailover().destinations();
      for (int rank = 0; rank < list.size(); rank++) {
        ClusterObjectRef ref = list.get(rank).kubeService();
        Optional<DiscoveredService> found = index.world().services().filter(s -> refersTo(ref, s)).findFirst();
        if (found.isEmpty()) {
          problems.error("static destination " + ref + " does not exist");
        } else if (fixedRanks.putIfAbsent(ref.toString(), rank) == null) {
          services.add(found.get());
        }
      }
    }
    List<BackingPort> backing = new ArrayList<>();
    for (DiscoveredService service : services) {
      uses.add(service.key());
      Optional<ServicePort> backend = backendPort(service, port);
      if (backend.isEmpty()) {
        problems.error("service " + service.cluster() + "/" + service.namespace() + "/" + service.name() + " has no port "
            + (port.targetName().isEmpty() ? Integer.toString(port.backendNumber()) : "named " + port.targetName()));
        continue;
      }
      selected.add(new ClusterObjectRef(service.name(), service.namespace(), service.cluster().value()));
      backing.add(new BackingPort(service, backend.get().name()));
    }
    if (selected.isEmpty()) {
      problems.fail("selects no service with the port it forwards to");
    }
    Optional<Set<String>> visibleTo = visibility(vd, meshes, problems);
    LoadBalancing own = new LoadBalancing(
        Optional.ofNullable(spec.localized()).map(VirtualDestination.Localized::outlierDetection).map(OutlierDetections::gloo),
        0,
        LoadBalancing.DEFAULT.policy(),
        LoadBalancing.DEFAULT_LOCALITY,
        spec.localized() == null ? List.of() : spec.localized().failoverDirectives(),
        Optional.empty());
    Destination destination = new Destination(
        spec.hostname(),
        port.number(),
        PortProtocol.parse(port.protocol()),
        endpoints(backing, index),
        rules.withRule(spec.hostname(), own),
        Optional.of(vd.ref()),
        visibleTo,
        fixedRanks);
    return new Evaluated(vd, Optional.of(destination), selected, problems.findings(), uses, backing);
  }

  /** True when the VirtualDestination would pick this service (by its selectors, or its static list). */
  static boolean mayPick(VirtualDestination vd, DiscoveredService service) {
    VirtualDestination.Spec spec = vd.spec();
    if (spec.localized() != null) {
      return ServiceSelection.selectedByAny(spec.localized().destinationSelectors(), service);
    }
    return spec.staticFailover().destinations().stream().anyMatch(d -> refersTo(d.kubeService(), service));
  }

  private static boolean refersTo(ClusterObjectRef ref, DiscoveredService service) {
    return service.name().equals(ref.name()) && service.namespace().equals(ref.namespace())
        && service.cluster().value().equals(ref.clusterName());
  }

  /**
   * The clusters whose clients see a VirtualDestination: those of the meshes of its virtual mesh or
   * mesh list. Without meshes in {@code vicinity.yaml}, every client sees it.
   */
  private static Optional<Set<String>> visibility(VirtualDestination vd, MeshTopology meshes, Problems problems) {
    if (!meshes.restrictsVisibility()) {
      return Optional.empty();
    }
    if (vd.spec().virtualMesh() != null) {
      ObjectRef ref = vd.spec().virtualMesh();
      ObjectRef resolved = ref.namespace().isEmpty() ? new ObjectRef(ref.name(), vd.metadata().namespace()) : ref;
      Optional<Set<String>> clusters = meshes.clustersOfVirtualMesh(resolved);
      if (clusters.isEmpty()) {
        problems.fail("virtual mesh " + resolved + " is not defined in vicinity.yaml (virtualMeshes)");
        return Optional.of(Set.of());
      }
      return clusters;
    }
    if (vd.spec().meshList() != null) {
      vd.spec().meshList().meshes().stream().filter(m -> !meshes.meshExists(m))
          .forEach(m -> problems.error("mesh " + m + " is not defined in vicinity.yaml (meshes)"));
      return Optional.of(meshes.clustersOf(vd.spec().meshList().meshes()));
    }
    problems.fail("names neither a virtualMesh nor a meshList, so no client can see it");
    return Optional.of(Set.of());
  }

  /** The selected service's port a VirtualDestination forwards to: by name if named, else by number. */
  private static Optional<ServicePort> backendPort(DiscoveredService service, VirtualDestination.Port port) {
    return port.targetName().isEmpty()
        ? service.portNumbered(port.backendNumber())
        : service.portNamed(port.targetName());
  }
}
