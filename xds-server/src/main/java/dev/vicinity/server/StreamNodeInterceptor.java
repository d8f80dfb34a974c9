package dev.vicinity.server;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Only the first request on an xDS stream is sure to carry {@code node} (gRPC clients and Envoy with
 * {@code set_node_on_first_message_only} send it once). The snapshot cache groups every request by its
 * node, so this remembers each stream's node and puts it back into later requests that lack it.
 */
final class StreamNodeInterceptor implements ServerInterceptor {
  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      // gRPC delivers one call's messages one at a time, so no synchronisation is needed.
      private Node node;

      @Override
      public void onMessage(ReqT message) {
        super.onMessage(withNode(message));
      }

      @SuppressWarnings("unchecked")
      private ReqT withNode(ReqT message) {
        if (message instanceof DiscoveryRequest request) {
          if (request.hasNode()) {
            node = request.getNode();
          } else if (node != null) {
            return (ReqT) request.toBuilder().setNode(node).build();
          }
        } else if (message instanceof DeltaDiscoveryRequest request) {
          if (request.hasNode()) {
            node = request.getNode();
          } else if (node != null) {
            return (ReqT) request.toBuilder().setNode(node).build();
          }
        }
        return message;
      }
    };
  }
}
