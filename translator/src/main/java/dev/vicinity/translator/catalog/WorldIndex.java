package dev.vicinity.translator.catalog;

import com.google.common.collect.ImmutableList;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.DiscoveredService;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.World;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A world's services and endpoints by service, per cluster, and what changed from the previous world.
 * Sources keep the instances of what did not change, so telling a changed service from an unchanged one
 * mostly costs an identity comparison per endpoint, and a cluster whose view is the same instance costs
 * nothing.
 */
record WorldIndex(World world, Map<ClusterId, ClusterIndex> clusters) {
  static final WorldIndex EMPTY = new WorldIndex(World.EMPTY, Map.of());

  WorldIndex {
    clusters = Collections.unmodifiableMap(clusters);
  }

  /** One service's endpoints in one cluster, in the world's order, and by the name of their port. */
  record ServiceEndpoints(List<Endpoint> all, Map<String, List<Endpoint>> byPortName) {
    static ServiceEndpoints of(List<Endpoint> run) {
      Map<String, List<Endpoint>> byPortName = new LinkedHashMap<>();
      run.forEach(e -> byPortName.computeIfAbsent(e.portName(), p -> new ArrayList<>()).add(e));
      byPortName.replaceAll((port, endpoints) -> List.copyOf(endpoints));
      return new ServiceEndpoints(ImmutableList.copyOf(run), Collections.unmodifiableMap(byPortName));
    }
  }

  /** One cluster's view, and its services and endpoints by service key. */
  record ClusterIndex(ClusterWorld source, Map<ServiceKey, DiscoveredService> services,
      ChunkedMap<ServiceKey, ServiceEndpoints> endpoints) {
    ClusterIndex {
      services = Collections.unmodifiableMap(services);
    }
  }

  /**
   * What an update found changed.
   *
   * @param endpoints services (by key, in any cluster) whose endpoints changed
   * @param definitions services (by key, in any cluster) that appeared, went, or changed labels or ports
   * @param changedServices those services as they were and as they are, to tell which selectors they concern
   */
  record Change(Set<ServiceKey> endpoints, Set<ServiceKey> definitions, List<DiscoveredService> changedServices) {}

  record Updated(WorldIndex index, Change change) {}

  /** The endpoints of a service's port in one cluster; empty when there are none. */
  List<Endpoint> endpoints(ClusterId cluster, ServiceKey service, String portName) {
    ClusterIndex index = clusters.get(cluster);
    ServiceEndpoints endpoints = index == null ? null : index.endpoints().get(service);
    return endpoints == null ? List.of() : endpoints.byPortName().getOrDefault(portName, List.of());
  }

  /** The instances of a service in every cluster that has it, in the world's cluster order. */
  List<DiscoveredService> instances(ServiceKey key) {
    List<DiscoveredService> instances = new ArrayList<>();
    for (ClusterIndex cluster : clusters.values()) {
      DiscoveredService service = cluster.services().get(key);
      if (service != null) {
        instances.add(service);
      }
    }
    return instances;
  }

  Updated update(World next) {
    if (next == world) {
      return new Updated(this, new Change(Set.of(), Set.of(), List.of()));
    }
    Set<ServiceKey> endpointChanges = new HashSet<>();
    Set<ServiceKey> definitionChanges = new HashSet<>();
    List<DiscoveredService> changedServices = new ArrayList<>();
    Map<ClusterId, ClusterIndex> indexes = new TreeMap<>();
    for (Map.Entry<ClusterId, ClusterWorld> entry : next.clusters().entrySet()) {
      ClusterIndex before = clusters.get(entry.getKey());
      ClusterWorld now = entry.getValue();
      if (before != null && before.source() == now) {
        indexes.put(entry.getKey(), before);
        continue;
      }
      Map<ServiceKey, DiscoveredService> servicesBefore = before == null ? Map.of() : before.services();
      ChunkedMap<ServiceKey, ServiceEndpoints> endpointsBefore =
          before == null ? ChunkedMap.empty(ChunkedMap.Keys.EQUAL) : before.endpoints();
      List<Endpoint> previous = before == null ? List.of() : before.source().endpoints();
      Map<ServiceKey, DiscoveredService> services = before != null && before.source().services() == now.services()
          ? servicesBefore
          : servicesOf(now, servicesBefore, definitionChanges, changedServices);
      ChunkedMap<ServiceKey, ServiceEndpoints> endpoints = previous == now.endpoints()
          ? endpointsBefore
          : endpointsOf(previous, endpointsBefore, now.endpoints(), endpointChanges);
      indexes.put(entry.getKey(), new ClusterIndex(now, services, endpoints));
    }
    clusters.forEach((id, gone) -> {
      if (!next.clusters().containsKey(id)) {
        definitionChanges.addAll(gone.services().keySet());
        changedServices.addAll(gone.services().values());
        endpointChanges.addAll(gone.endpoints().keySet());
      }
    });
    return new Updated(new WorldIndex(next, indexes),
        new Change(Set.copyOf(endpointChanges), Set.copyOf(definitionChanges), List.copyOf(changedServices)));
  }

  private static Map<ServiceKey, DiscoveredService> servicesOf(ClusterWorld now, Map<ServiceKey, DiscoveredService> before,
      Set<ServiceKey> changes, List<DiscoveredService> changedServices) {
    Map<ServiceKey, DiscoveredService> services = new HashMap<>();
    for (DiscoveredService service : now.services()) {
      services.put(service.key(), service);
      DiscoveredService was = before.get(service.key());
      if (!Objects.equals(was, service)) {
        changes.add(service.key());
        changedServices.add(service);
        if (was != null) {
          changedServices.add(was);
        }
      }
    }
    before.forEach((key, was) -> {
      if (!services.containsKey(key)) {
        changes.add(key);
        changedServices.add(was);
      }
    });
    return services;
  }

  /**
   * A cluster's endpoints by service, from the last index's. Both lists are sorted by service (a
   * ClusterWorld keeps them so), so whatever changed lies between their longest common head and tail
   * (compared by identity: sources keep unchanged instances), and only the services with endpoints there
   * are looked at. A service whose endpoints are equal to the last ones keeps the last index's entry.
   */
  private static ChunkedMap<ServiceKey, ServiceEndpoints> endpointsOf(List<Endpoint> previous,
      ChunkedMap<ServiceKey, ServiceEndpoints> before, List<Endpoint> all, Set<ServiceKey> changes) {
    int head = 0;
    int shorter = Math.min(previous.size(), all.size());
    while (head < shorter && previous.get(head) == all.get(head)) {
      head++;
    }
    int tailBefore = previous.size();
    int tailNow = all.size();
    while (tailBefore > head && tailNow > head && previous.get(tailBefore - 1) == all.get(tailNow - 1)) {
      tailBefore--;
      tailNow--;
    }
    Set<ServiceKey> touched = new HashSet<>();
    previous.subList(head, tailBefore).forEach(e -> touched.add(e.service()));
    all.subList(head, tailNow).forEach(e -> touched.add(e.service()));
    if (touched.isEmpty()) {
      return before;
    }
    int from = head;
    while (from > 0 && touched.contains(all.get(from - 1).service())) {
      from--;
    }
    int to = tailNow;
    while (to < all.size() && touched.contains(all.get(to).service())) {
      to++;
    }
    Map<ServiceKey, List<Endpoint>> runs = new HashMap<>();
    all.subList(from, to).forEach(e -> runs.computeIfAbsent(e.service(), key -> new ArrayList<>()).add(e));
    ChunkedMap<ServiceKey, ServiceEndpoints>.Editor edits = before.edit();
    for (ServiceKey service : touched) {
      List<Endpoint> run = runs.get(service);
      ServiceEndpoints was = before.get(service);
      if (run == null) {
        if (was != null) {
          edits.remove(service);
          changes.add(service);
        }
      } else if (was == null || !sameElements(was.all(), run)) {
        edits.put(service, ServiceEndpoints.of(run));
        changes.add(service);
      }
    }
    return edits.build();
  }

  /** The same endpoints in the same order: the same instances as a rule, equal ones otherwise. */
  private static boolean sameElements(List<Endpoint> a, List<Endpoint> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      Endpoint x = a.get(i);
      Endpoint y = b.get(i);
      if (x != y && !x.equals(y)) {
        return false;
      }
    }
    return true;
  }
}
