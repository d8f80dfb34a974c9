package dev.vicinity.api.world;

import java.util.Comparator;
import java.util.Objects;

/**
 * One address and port backing a Service in one cluster. {@code portName} is the EndpointSlice port's
 * name, which matches the Service port's name.
 */
public record Endpoint(
    ClusterId cluster,
    ServiceKey service,
    String address,
    String portName,
    int port,
    Locality locality,
    String nodeName,
    EndpointConditions conditions,
    String network)
    implements Comparable<Endpoint> {
  private static final Comparator<Endpoint> ORDER =
      Comparator.comparing(Endpoint::cluster)
          .thenComparing(Endpoint::service)
          .thenComparing(Endpoint::address)
          .thenComparingInt(Endpoint::port)
          .thenComparing(Endpoint::portName)
          // Equal identities compare by the rest, so the order is total and never depends on input order.
          .thenComparing(e -> !e.conditions().ready())
          .thenComparing(e -> !e.conditions().serving())
          .thenComparing(e -> e.conditions().terminating())
          .thenComparing(Endpoint::locality)
          .thenComparing(Endpoint::nodeName)
          .thenComparing(Endpoint::network);

  public Endpoint {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(address, "address");
    portName = Objects.requireNonNullElse(portName, "");
    locality = Objects.requireNonNullElse(locality, Locality.UNKNOWN);
    nodeName = Objects.requireNonNullElse(nodeName, "");
    conditions = Objects.requireNonNullElse(conditions, EndpointConditions.READY);
    network = Objects.requireNonNullElse(network, "");
  }

  /** Cluster, service, address and port: what makes two endpoints the same backend. */
  public boolean sameBackendAs(Endpoint other) {
    return cluster.equals(other.cluster) && service.equals(other.service) && address.equals(other.address)
        && port == other.port && portName.equals(other.portName);
  }

  @Override
  public int compareTo(Endpoint other) {
    return ORDER.compare(this, other);
  }
}
