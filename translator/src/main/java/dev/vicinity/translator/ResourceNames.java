package dev.vicinity.translator;

import dev.vicinity.api.world.ServiceKey;
import java.util.Optional;

/**
 * Every Envoy resource name Vicinity builds, and the parsing of them, in one place. The scheme is
 * Istio's, which users already know: {@code outbound|9080||reviews.global} for clusters and their load
 * assignments, the port number for route configurations, {@code host:port} for gRPC listeners.
 */
public final class ResourceNames {
  /** Kubernetes' default cluster domain, the suffix of a service's fully qualified name. */
  public static final String CLUSTER_DOMAIN = "cluster.local";

  private static final String OUTBOUND = "outbound";

  private ResourceNames() {}

  /** A cluster name taken apart. */
  public record ClusterName(String direction, int port, String subset, String host) {}

  public static String outboundCluster(String host, int port) {
    return OUTBOUND + "|" + port + "||" + host;
  }

  public static Optional<ClusterName> parseCluster(String name) {
    String[] parts = name.split("\\|", -1);
    if (parts.length != 4 || parts[3].isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ClusterName(parts[0], Integer.parseInt(parts[1]), parts[2], parts[3]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** {@code reviews.bookinfo.svc.cluster.local}. */
  public static String serviceHost(ServiceKey service) {
    return service.name() + "." + service.namespace() + ".svc." + CLUSTER_DOMAIN;
  }

  /** The service a {@code name.namespace.svc.cluster.local} host names, if it is one. */
  public static Optional<ServiceKey> parseServiceHost(String host) {
    String suffix = ".svc." + CLUSTER_DOMAIN;
    if (!host.endsWith(suffix)) {
      return Optional.empty();
    }
    String[] parts = host.substring(0, host.length() - suffix.length()).split("\\.", -1);
    return parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()
        ? Optional.of(new ServiceKey(parts[1], parts[0]))
        : Optional.empty();
  }

  /** One route configuration per port, shared by every host on that port. */
  public static String routeConfiguration(int port) {
    return Integer.toString(port);
  }

  /** The name of a virtual host and the authority gRPC clients dial: {@code reviews.global:9080}. */
  public static String hostPort(String host, int port) {
    return host + ":" + port;
  }

  /** A proxyless gRPC client's listener for target {@code xds:///host:port}. */
  public static String grpcListener(String host, int port) {
    return hostPort(host, port);
  }

  /** An Envoy client's outbound listener for one port: {@code 0.0.0.0_9080}. */
  public static String envoyListener(String address, int port) {
    return address + "_" + port;
  }
}
