package dev.vicinity.api.world;

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

  /**
   * Cluster, service, address, port and port name (the backend), then, so that the order is total and never
   * depends on input order: ready first, serving first, not terminating first, locality, node name, network.
   * Written out rather than a {@code Comparator} chain: worlds compare every endpoint with its neighbour.
   */
  @Override
  public int compareTo(Endpoint other) {
    if (this == other) {
      return 0;
    }
    int order = compareBackends(this, other);
    if (order != 0) {
      return order;
    }
    if (conditions != other.conditions) {
      order = Boolean.compare(other.conditions.ready(), conditions.ready());
      if (order != 0) {
        return order;
      }
      order = Boolean.compare(other.conditions.serving(), conditions.serving());
      if (order != 0) {
        return order;
      }
      order = Boolean.compare(conditions.terminating(), other.conditions.terminating());
      if (order != 0) {
        return order;
      }
    }
    order = locality.compareTo(other.locality);
    if (order != 0) {
      return order;
    }
    order = nodeName.compareTo(other.nodeName);
    return order != 0 ? order : network.compareTo(other.network);
  }

  /**
   * The backends' order: cluster, service, address, port, port name. The first part of {@link #compareTo}:
   * zero exactly when {@link #sameBackendAs}.
   */
  public static int compareBackends(Endpoint one, Endpoint other) {
    int order = one.cluster == other.cluster ? 0 : one.cluster.compareTo(other.cluster);
    if (order != 0) {
      return order;
    }
    order = one.service.compareTo(other.service);
    if (order != 0) {
      return order;
    }
    order = one.address.compareTo(other.address);
    if (order != 0) {
      return order;
    }
    order = Integer.compare(one.port, other.port);
    return order != 0 ? order : one.portName.compareTo(other.portName);
  }
}
