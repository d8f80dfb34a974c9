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
          .thenComparing(Endpoint::portName);

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

  @Override
  public int compareTo(Endpoint other) {
    return ORDER.compare(this, other);
  }
}
