package dev.vicinity.translator.envoy;

import com.google.protobuf.Descriptors.Descriptor;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;

/** Every message type the translator packs into an {@code Any}: what a JSON printer must know. */
public final class EnvoyTypes {
  private EnvoyTypes() {}

  public static List<Descriptor> typedConfigs() {
    return List.of(HttpConnectionManager.getDescriptor(), Router.getDescriptor(), HttpProtocolOptions.getDescriptor(),
        TcpProxy.getDescriptor());
  }
}
