package dev.vicinity.translator.envoy;

import com.google.protobuf.Any;
import dev.vicinity.translator.Destination;
import dev.vicinity.translator.ResourceNames;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

/**
 * Listeners for both client kinds. HTTP listeners use an HTTP connection manager that fetches its
 * routes over ADS (RDS) and ends with the router filter, as gRPC requires; Envoy's TCP ports a TCP proxy.
 */
public final class Listeners {
  private static final String HTTP_CONNECTION_MANAGER = "envoy.filters.network.http_connection_manager";
  private static final String ROUTER = "envoy.filters.http.router";
  private static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";

  private Listeners() {}

  /** A proxyless gRPC client's listener for {@code xds:///host:port}. */
  public static Listener grpc(Destination destination) {
    String name = ResourceNames.grpcListener(destination.host(), destination.port());
    return Listener.newBuilder()
        .setName(name)
        .setApiListener(ApiListener.newBuilder()
            .setApiListener(Any.pack(connectionManager(name, destination.port()))))
        .build();
  }

  /** An Envoy client's outbound HTTP listener for every host on one port. */
  public static Listener envoyHttp(String address, int port) {
    String name = ResourceNames.envoyListener(address, port);
    return outbound(address, port).addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder()
            .setName(HTTP_CONNECTION_MANAGER)
            .setTypedConfig(Any.pack(connectionManager("outbound_" + name, port)))))
        .build();
  }

  /** An Envoy client's outbound TCP listener: everything arriving on the port goes to one cluster. */
  public static Listener envoyTcp(String address, Destination destination) {
    String name = ResourceNames.envoyListener(address, destination.port());
    return outbound(address, destination.port()).addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder()
            .setName(TCP_PROXY)
            .setTypedConfig(Any.pack(TcpProxy.newBuilder()
                .setStatPrefix("outbound_" + name)
                .setCluster(destination.clusterName())
                .build()))))
        .build();
  }

  private static Listener.Builder outbound(String address, int port) {
    return Listener.newBuilder()
        .setName(ResourceNames.envoyListener(address, port))
        .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
            .setAddress(address)
            .setPortValue(port)))
        .setTrafficDirection(TrafficDirection.OUTBOUND);
  }

  private static HttpConnectionManager connectionManager(String statPrefix, int port) {
    return HttpConnectionManager.newBuilder()
        .setStatPrefix(statPrefix)
        .setRds(Rds.newBuilder()
            .setConfigSource(Clusters.ads())
            .setRouteConfigName(ResourceNames.routeConfiguration(port)))
        .addHttpFilters(HttpFilter.newBuilder()
            .setName(ROUTER)
            .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .build();
  }
}
