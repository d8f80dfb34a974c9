package dev.vicinity.translator.catalog;

import dev.vicinity.api.config.MeshTopology;
import dev.vicinity.api.policy.ClusterObjectRef;
import dev.vicinity.api.policy.DestinationRule;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.policy.PolicyKind;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.policy.PolicyStatus;
import dev.vicinity.api.policy.TrafficPolicy;
import dev.vicinity.api.policy.VirtualDestination;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.World;
import dev.vicinity.translator.Destination;
import dev.vicinity.translator.ResourceNames;
import dev.vicinity.translator.TrafficShiftRule;
import dev.vicinity.translator.envoy.Clusters;
import dev.vicinity.translator.envoy.LoadAssignments;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A catalog with what it was built from, so that the next one is built from what changed: a service's
 * destinations are built again when its endpoints, its definition in any cluster or its DestinationRule
 * changed; a VirtualDestination when it changed, or a service it selected or may now select did, or its
 * DestinationRule; traffic shifts when a TrafficPolicy, a VirtualDestination, a service definition or
 * the set of destinations changed; Clusters and LbEndpoints of unchanged destinations and endpoints are
 * kept. What is kept is what a full build would make again: {@code empty(meshes).update(world, policies)}
 * is the full build, and any sequence of updates ends where that does (checked by
 * {@code IncrementalCatalogPropertiesTest}). Immutable: each update gives a new instance.
 */
public final class IncrementalCatalog {
  private final MeshTopology meshes;
  private final WorldIndex index;
  private final PolicySet policies;
  private final DestinationRules rules;
  private final ChunkedMap<ServiceKey, List<Destination>> services;
  private final Map<ObjectRef, VirtualDestinations.Evaluated> virtualDestinations;
  private final Shifts shifts;
  private final ChunkedMap<Endpoint, LbEndpoint> lbEndpoints;
  /** Never written after construction: each destination's Cluster, by cluster name. */
  private final Map<String, Cluster> clusters;
  /** Where each destination sits in the catalog's list, by cluster name. */
  private final Map<String, Integer> positions;
  private final Catalog catalog;
  /** The catalog this one was updated from, and what changed since: see {@link #endpointOnlyChangesSince}. */
  private final Catalog predecessor;
  private final Optional<List<Destination>> replacedEndpoints;

  /** The traffic shifts of every TrafficPolicy, and their statuses. */
  private record Shifts(List<TrafficShiftRule> rules, List<PolicyStatus> statuses) {
    static final Shifts NONE = new Shifts(List.of(), List.of());
  }

  private IncrementalCatalog(MeshTopology meshes, WorldIndex index, PolicySet policies, DestinationRules rules,
      ChunkedMap<ServiceKey, List<Destination>> services, Map<ObjectRef, VirtualDestinations.Evaluated> virtualDestinations,
      Shifts shifts, ChunkedMap<Endpoint, LbEndpoint> lbEndpoints, Map<String, Cluster> clusters,
      Map<String, Integer> positions, Catalog catalog, Catalog predecessor, Optional<List<Destination>> replacedEndpoints) {
    this.meshes = meshes;
    this.index = index;
    this.policies = policies;
    this.rules = rules;
    this.services = services;
    this.virtualDestinations = Collections.unmodifiableMap(virtualDestinations);
    this.shifts = shifts;
    this.lbEndpoints = lbEndpoints;
    this.clusters = clusters;
    this.positions = positions;
    this.catalog = catalog;
    this.predecessor = predecessor;
    this.replacedEndpoints = replacedEndpoints;
  }

  /** Nothing built yet: the first update is a full build. */
  public static IncrementalCatalog empty(MeshTopology meshes) {
    return new IncrementalCatalog(meshes, WorldIndex.EMPTY, PolicySet.EMPTY, DestinationRules.NONE,
        ChunkedMap.empty(ChunkedMap.Keys.EQUAL), Map.of(), Shifts.NONE, ChunkedMap.empty(ChunkedMap.Keys.IDENTICAL),
        Map.of(), Map.of(), new Catalog(List.of(), List.of(), List.of(), meshes, Map.of(), Map.of()), null,
        Optional.empty());
  }

  public Catalog catalog() {
    return catalog;
  }

  /**
   * As {@link Catalog#endpointOnlyChangesSince}: the destinations whose load assignments may differ from
   * {@code previous}'s when only endpoints changed. Known without comparing when {@code previous} is the
   * catalog this one was updated from along the endpoint-only path.
   */
  public Optional<List<Destination>> endpointOnlyChangesSince(Catalog previous) {
    if (previous == catalog) {
      return Optional.of(List.of());
    }
    if (previous == predecessor && replacedEndpoints.isPresent()) {
      return replacedEndpoints;
    }
    return catalog.endpointOnlyChangesSince(previous);
  }

  /** The catalog of {@code world} and {@code policies}, built from what changed since this one. */
  public IncrementalCatalog update(World world, PolicySet policies) {
    if (world == index.world() && policies.equals(this.policies)) {
      return this;
    }
    WorldIndex.Updated updated = index.update(world);
    WorldIndex next = updated.index();
    WorldIndex.Change change = updated.change();
    boolean rulesChanged = !policies.destinationRules().equals(this.policies.destinationRules());
    DestinationRules rules = rulesChanged ? DestinationRules.of(policies) : this.rules;

    ChunkedMap<ServiceKey, List<Destination>>.Editor serviceEdits = this.services.edit();
    Set<ServiceKey> stale = new HashSet<>(change.endpoints());
    stale.addAll(change.definitions());
    if (rulesChanged) {
      this.services.keySet().stream()
          .filter(key -> ruleChanged(ResourceNames.serviceHost(key), rules))
          .forEach(stale::add);
    }
    for (ServiceKey key : stale) {
      var instances = next.instances(key);
      if (instances.isEmpty()) {
        serviceEdits.remove(key);
      } else {
        serviceEdits.put(key, ServiceDestinations.of(key, instances, next, rules));
      }
    }
    ChunkedMap<ServiceKey, List<Destination>> services = serviceEdits.build();

    Map<ObjectRef, VirtualDestinations.Evaluated> evaluated = new HashMap<>();
    for (VirtualDestination vd : policies.virtualDestinations()) {
      VirtualDestinations.Evaluated before = virtualDestinations.get(vd.ref());
      VirtualDestinations.Evaluated now;
      if (before == null || !selectionHolds(before, vd, change, rulesChanged, rules)) {
        now = VirtualDestinations.evaluate(vd, next, rules, meshes);
      } else if (intersects(before.uses(), change.endpoints())) {
        now = VirtualDestinations.withEndpoints(before, next);
      } else {
        now = before;
      }
      evaluated.put(vd.ref(), now);
    }

    ChunkedMap<Endpoint, LbEndpoint> lbEndpoints = lbEndpoints(next, change);
    if (change.definitions().isEmpty() && policies.equals(this.policies)) {
      // Only endpoints changed: the same destinations in the same order, with the same Clusters and statuses.
      List<Destination> destinations = new ArrayList<>(catalog.destinations());
      List<Destination> replaced = withRebuiltEndpoints(destinations, stale, services, evaluated);
      Catalog built = new Catalog(destinations, this.shifts.rules(), catalog.statuses(), meshes, this.clusters, lbEndpoints);
      return new IncrementalCatalog(meshes, next, policies, rules, services, evaluated, this.shifts, lbEndpoints,
          this.clusters, this.positions, built, catalog, Optional.of(List.copyOf(replaced)));
    }
    return assembled(world, policies, next, rules, services, evaluated, change, lbEndpoints);
  }

  /**
   * Puts the destinations rebuilt for new endpoints in their places in the last catalog's {@code destinations};
   * gives those whose endpoints differ from the ones they replaced.
   */
  private List<Destination> withRebuiltEndpoints(List<Destination> destinations, Set<ServiceKey> stale,
      ChunkedMap<ServiceKey, List<Destination>> services, Map<ObjectRef, VirtualDestinations.Evaluated> evaluated) {
    List<Destination> replaced = new ArrayList<>();
    for (ServiceKey key : stale) {
      services.getOrDefault(key, List.of()).forEach(d -> replace(destinations, d, replaced));
    }
    evaluated.forEach((ref, now) -> {
      if (now != virtualDestinations.get(ref)) {
        now.destination().ifPresent(d -> replace(destinations, d, replaced));
      }
    });
    return replaced;
  }

  /**
   * The catalog put together again from its parts: VirtualDestinations claim their hosts (the first by
   * namespace/name wins), services take what is left, then shifts and statuses.
   */
  private IncrementalCatalog assembled(World world, PolicySet policies, WorldIndex next, DestinationRules rules,
      ChunkedMap<ServiceKey, List<Destination>> services, Map<ObjectRef, VirtualDestinations.Evaluated> evaluated,
      WorldIndex.Change change, ChunkedMap<Endpoint, LbEndpoint> lbEndpoints) {
    List<PolicyStatus> statuses = new ArrayList<>();
    Map<String, Destination> byCluster = new LinkedHashMap<>();
    for (VirtualDestination vd : policies.virtualDestinations()) {
      statuses.add(claim(evaluated.get(vd.ref()), byCluster));
    }
    new TreeMap<>(services).values().forEach(list -> list.forEach(d -> byCluster.putIfAbsent(d.clusterName(), d)));

    Shifts shifts = policies.trafficPolicies().equals(this.policies.trafficPolicies())
        && policies.virtualDestinations().equals(this.policies.virtualDestinations())
        && change.definitions().isEmpty()
        && byCluster.keySet().equals(catalog.clusters().keySet())
        ? this.shifts
        : shifts(world, policies, byCluster.keySet());
    statuses.addAll(shifts.statuses());
    statuses.addAll(destinationRuleStatuses(policies, byCluster.values()));

    List<Destination> destinations = sortedByHostPort(byCluster.values());
    Map<String, Integer> positions = new HashMap<>();
    for (int i = 0; i < destinations.size(); i++) {
      positions.put(destinations.get(i).clusterName(), i);
    }
    Map<String, Cluster> clusters = clusters(destinations);
    Catalog built = new Catalog(destinations, shifts.rules(), statuses, meshes, clusters, lbEndpoints);
    return new IncrementalCatalog(meshes, next, policies, rules, services, evaluated, shifts, lbEndpoints, clusters,
        positions, built, catalog, Optional.empty());
  }

  /**
   * Puts a rebuilt destination where the one it replaces sits, if that one is in the catalog: from the
   * same origin (a service's destination may be shadowed by a VirtualDestination's of the same host and port,
   * and a failed VirtualDestination's is in no catalog).
   */
  private void replace(List<Destination> destinations, Destination rebuilt, List<Destination> replaced) {
    Integer position = positions.get(rebuilt.clusterName());
    Destination before = position == null ? null : destinations.get(position);
    if (before != null && before.origin().equals(rebuilt.origin())) {
      destinations.set(position, rebuilt);
      if (!before.endpoints().equals(rebuilt.endpoints())) {
        replaced.add(rebuilt);
      }
    }
  }

  private boolean ruleChanged(String host, DestinationRules rules) {
    return !rules.forHost(host).equals(this.rules.forHost(host));
  }

  /**
   * True when nothing a VirtualDestination's evaluation read has changed but, perhaps, the endpoints of
   * the services it selected.
   */
  private boolean selectionHolds(VirtualDestinations.Evaluated before, VirtualDestination vd, WorldIndex.Change change,
      boolean rulesChanged, DestinationRules rules) {
    return before.policy().equals(vd)
        && !intersects(before.uses(), change.definitions())
        && change.changedServices().stream().noneMatch(service -> VirtualDestinations.mayPick(vd, service))
        && !(rulesChanged && ruleChanged(vd.spec().hostname(), rules));
  }

  private static boolean intersects(Set<ServiceKey> a, Set<ServiceKey> b) {
    Set<ServiceKey> smaller = a.size() <= b.size() ? a : b;
    Set<ServiceKey> larger = smaller == a ? b : a;
    return smaller.stream().anyMatch(larger::contains);
  }

  /**
   * A VirtualDestination takes its host and port unless an earlier one (by namespace/name) holds them;
   * its status says which.
   */
  private static PolicyStatus claim(VirtualDestinations.Evaluated evaluated, Map<String, Destination> byCluster) {
    Problems problems = Problems.from(evaluated.findings());
    evaluated.destination().ifPresent(d -> {
      Destination taken = byCluster.get(d.clusterName());
      if (taken != null) {
        problems.fail(d.hostPort() + " is already served by VirtualDestination " + taken.origin().orElseThrow());
      } else if (!problems.failed()) {
        byCluster.put(d.clusterName(), d);
      }
    });
    VirtualDestination vd = evaluated.policy();
    return problems.status(PolicyKind.VIRTUAL_DESTINATION, vd.ref(), vd.metadata().generation(), evaluated.selected(),
        evaluated.destination().filter(d -> !problems.failed()).map(d -> List.of(d.hostPort())).orElse(List.of()));
  }

  /** Every TrafficPolicy's shifts; where two set the same service's shift in one cluster, the first wins. */
  private static Shifts shifts(World world, PolicySet policies, Set<String> destinations) {
    List<TrafficShiftRule> rules = new ArrayList<>();
    List<PolicyStatus> statuses = new ArrayList<>();
    Map<String, TrafficShiftRule> claimed = new LinkedHashMap<>();
    for (TrafficPolicy policy : policies.trafficPolicies()) {
      Problems problems = new Problems();
      List<ClusterObjectRef> selected = new ArrayList<>();
      List<String> appliedTo = new ArrayList<>();
      for (TrafficShiftRule rule : TrafficShifts.of(policy, world, policies, destinations, selected, problems)) {
        String key = rule.clientCluster() + "|" + rule.host() + ":" + rule.port();
        TrafficShiftRule earlier = claimed.putIfAbsent(key, rule);
        if (earlier == null) {
          rules.add(rule);
          appliedTo.add(rule.clientCluster() + ": " + rule.host() + ":" + rule.port());
        } else {
          problems.error("the shift of " + rule.host() + ":" + rule.port() + " in " + rule.clientCluster()
              + " is already set by TrafficPolicy " + earlier.policy());
        }
      }
      if (appliedTo.isEmpty() && !problems.failed()) {
        problems.fail("applies to nothing");
      }
      statuses.add(problems.status(PolicyKind.TRAFFIC_POLICY, policy.ref(), policy.metadata().generation(), selected, appliedTo));
    }
    return new Shifts(List.copyOf(rules), List.copyOf(statuses));
  }

  private static List<PolicyStatus> destinationRuleStatuses(PolicySet policies, Collection<Destination> destinations) {
    List<PolicyStatus> statuses = new ArrayList<>();
    for (DestinationRule rule : policies.destinationRules()) {
      List<String> hosts = destinations.stream()
          .filter(d -> d.loadBalancing().destinationRule().filter(rule.ref()::equals).isPresent())
          .map(Destination::hostPort)
          .toList();
      statuses.add(new Problems().status(PolicyKind.DESTINATION_RULE, rule.ref(), rule.metadata().generation(), List.of(), hosts));
    }
    return statuses;
  }

  /** Destinations in {@code host:port} order, each key computed once (route tables list them so). */
  private static List<Destination> sortedByHostPort(Collection<Destination> destinations) {
    TreeMap<String, Destination> sorted = new TreeMap<>();
    destinations.forEach(d -> sorted.put(d.hostPort(), d));
    return List.copyOf(sorted.values());
  }

  /** Each destination's Cluster: the last one where only endpoints tell the destinations apart. */
  private Map<String, Cluster> clusters(List<Destination> destinations) {
    Map<String, Destination> before = new HashMap<>();
    catalog.destinations().forEach(d -> before.put(d.clusterName(), d));
    Map<String, Cluster> built = new HashMap<>();
    for (Destination destination : destinations) {
      Destination was = before.get(destination.clusterName());
      built.put(destination.clusterName(), was != null && (was == destination || destination.differsOnlyInEndpoints(was))
          ? clusters.get(destination.clusterName())
          : Clusters.build(destination));
    }
    return built;
  }

  /**
   * Every endpoint's LbEndpoint (immutable protos, shared by every node group), built again only for
   * the services whose endpoints changed, and then only for endpoints that are new instances.
   */
  private ChunkedMap<Endpoint, LbEndpoint> lbEndpoints(WorldIndex next, WorldIndex.Change change) {
    if (change.endpoints().isEmpty()) {
      return lbEndpoints;
    }
    ChunkedMap<Endpoint, LbEndpoint>.Editor built = lbEndpoints.edit();
    Map<Endpoint, LbEndpoint> reusable = new IdentityHashMap<>();
    for (ServiceKey service : change.endpoints()) {
      for (WorldIndex.ClusterIndex cluster : index.clusters().values()) {
        WorldIndex.ServiceEndpoints was = cluster.endpoints().get(service);
        if (was != null) {
          was.all().forEach(e -> {
            reusable.put(e, built.get(e));
            built.remove(e);
          });
        }
      }
    }
    for (ServiceKey service : change.endpoints()) {
      for (WorldIndex.ClusterIndex cluster : next.clusters().values()) {
        WorldIndex.ServiceEndpoints now = cluster.endpoints().get(service);
        if (now != null) {
          for (Endpoint endpoint : now.all()) {
            LbEndpoint known = reusable.get(endpoint);
            built.put(endpoint, known != null ? known : LoadAssignments.lbEndpoint(endpoint));
          }
        }
      }
    }
    return built.build();
  }
}
