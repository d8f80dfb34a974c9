package dev.vicinity.translator;

import com.google.common.collect.ImmutableList;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.world.Endpoint;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.collect.ImmutableSortedSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/**
 * Something clients can call, whoever they are: a host and port, the Envoy cluster that serves it, the
 * endpoints behind it (from every cluster that backs it) and how it balances and fails over.
 *
 * @param origin the VirtualDestination it comes from; empty for a plain Kubernetes service
 * @param visibleTo the clusters whose clients see it (empty: every client)
 * @param fixedRanks for a static VirtualDestination, the rank of each backing service
 *     ({@link #backendKey}): its position in the list
 */
public record Destination(
    String host,
    int port,
    PortProtocol protocol,
    List<Endpoint> endpoints,
    LoadBalancing loadBalancing,
    Optional<ObjectRef> origin,
    Optional<Set<String>> visibleTo,
    Map<String, Integer> fixedRanks) {
  public Destination {
    endpoints = sorted(endpoints);
    visibleTo = visibleTo.map(ImmutableSortedSet::copyOf);
    fixedRanks = ImmutableSortedMap.copyOf(fixedRanks);
  }

  /** The endpoints in their natural order; most lists arrive in it already, and checking costs less than sorting. */
  private static List<Endpoint> sorted(List<Endpoint> endpoints) {
    for (int i = 1; i < endpoints.size(); i++) {
      if (endpoints.get(i - 1).compareTo(endpoints.get(i)) > 0) {
        return endpoints.stream().sorted().collect(ImmutableList.toImmutableList());
      }
    }
    return ImmutableList.copyOf(endpoints);
  }

  /** A destination every client sees, balanced by locality. */
  public static Destination of(String host, int port, PortProtocol protocol, List<Endpoint> endpoints,
      LoadBalancing loadBalancing, Optional<ObjectRef> origin) {
    return new Destination(host, port, protocol, endpoints, loadBalancing, origin, Optional.empty(), Map.of());
  }

  public boolean visibleTo(ClientProfile client) {
    return visibleTo.isEmpty() || visibleTo.get().contains(client.cluster());
  }

  /** The key of {@link #fixedRanks}: cluster/namespace/name of the service an endpoint backs. */
  public static String backendKey(Endpoint endpoint) {
    return endpoint.cluster().value() + "/" + endpoint.service().namespace() + "/" + endpoint.service().name();
  }

  /** True if only the endpoints tell the two apart: the Cluster and who sees it are the same. */
  public boolean differsOnlyInEndpoints(Destination other) {
    return host.equals(other.host) && port == other.port && protocol == other.protocol
        && loadBalancing.equals(other.loadBalancing) && origin.equals(other.origin) && visibleTo.equals(other.visibleTo)
        && fixedRanks.equals(other.fixedRanks);
  }

  public String clusterName() {
    return ResourceNames.outboundCluster(host, port);
  }

  public String hostPort() {
    return ResourceNames.hostPort(host, port);
  }
}
