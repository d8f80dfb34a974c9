package dev.vicinity.translator;

import com.google.common.collect.ImmutableList;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.world.Endpoint;
import java.util.List;
import java.util.Optional;

/**
 * Something clients can call, whoever they are: a host and port, the Envoy cluster that serves it, the
 * endpoints behind it (from every cluster that backs it) and how it balances and fails over.
 *
 * @param origin the VirtualDestination it comes from; empty for a plain Kubernetes service
 */
public record Destination(
    String host,
    int port,
    PortProtocol protocol,
    List<Endpoint> endpoints,
    LoadBalancing loadBalancing,
    Optional<ObjectRef> origin) {
  public Destination {
    endpoints = endpoints.stream().sorted().collect(ImmutableList.toImmutableList());
  }

  public String clusterName() {
    return ResourceNames.outboundCluster(host, port);
  }

  public String hostPort() {
    return ResourceNames.hostPort(host, port);
  }
}
