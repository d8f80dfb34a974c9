package dev.vicinity.server;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Context;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;

/**
 * Sits on every xDS stream, where it sees the raw requests and responses, and does four things:
 * <ul>
 *   <li>puts the stream's node back into requests that lack it: only the first request is sure to carry
 *       it (gRPC clients and Envoy with {@code set_node_on_first_message_only}), and the snapshot cache
 *       groups every request by node;
 *   <li>tells {@link Proxies} of each request and response, so ACKs, NACKs and pushes are known per proxy;
 *   <li>answers a state-of-the-world NACK as "the proxy holds the rejected version" (an ACK of it, once
 *       {@link Proxies} has recorded the NACK): java-control-plane compares the request's version and names
 *       with what it last saw ACKed and would send the rejected version again at once, in a loop. So the
 *       rejected version is sent again only once the configuration changes.
 *   <li>keeps, for a delta stream, what its client holds ({@link DeltaClientState}), and hands it to the
 *       snapshot cache in the gRPC context of each request.
 * </ul>
 */
final class XdsStreamInterceptor implements ServerInterceptor {
  private final Proxies proxies;
  private final Runnable onStreamClosed;

  /** {@code onStreamClosed} runs after a stream has left {@code proxies}. */
  XdsStreamInterceptor(Proxies proxies, Runnable onStreamClosed) {
    this.proxies = proxies;
    this.onStreamClosed = onStreamClosed;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Proxies.Stream stream = proxies.open();
    // Only delta streams (DeltaAggregatedResources, DeltaClusters...) need to know what their client holds.
    DeltaClientState delta =
        call.getMethodDescriptor().getBareMethodName().startsWith("Delta") ? new DeltaClientState() : null;
    ServerCall<ReqT, RespT> tracked = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void sendMessage(RespT message) {
        if (message instanceof DiscoveryResponse response) {
          proxies.onResponse(stream, response.getTypeUrl(), response.getVersionInfo(), response.getNonce(),
              response.getSerializedSize());
        } else if (message instanceof DeltaDiscoveryResponse response) {
          delta.onResponse(response);
          proxies.onResponse(stream, response.getTypeUrl(), response.getSystemVersionInfo(), response.getNonce(),
              response.getSerializedSize());
        }
        super.sendMessage(message);
      }
    };
    ServerCall.Listener<ReqT> delegate;
    try {
      delegate = next.startCall(tracked, headers);
    } catch (RuntimeException e) {
      proxies.close(stream);
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
      // gRPC delivers one call's messages one at a time, so no synchronisation is needed.
      private Node node;

      @Override
      public void onMessage(ReqT message) {
        if (message instanceof DeltaDiscoveryRequest) {
          // java-control-plane creates the stream's watch within this call, on this thread.
          Context.current().withValue(DeltaClientState.CURRENT, delta).run(() -> super.onMessage(observed(message)));
        } else {
          super.onMessage(observed(message));
        }
      }

      @Override
      public void onComplete() {
        closed();
        super.onComplete();
      }

      @Override
      public void onCancel() {
        closed();
        super.onCancel();
      }

      private void closed() {
        proxies.close(stream);
        onStreamClosed.run();
      }

      @SuppressWarnings("unchecked")
      private ReqT observed(ReqT message) {
        if (message instanceof DiscoveryRequest request) {
          DiscoveryRequest.Builder changed = null;
          if (request.hasNode()) {
            node = request.getNode();
          } else if (node != null) {
            changed = request.toBuilder().setNode(node);
          }
          Optional<String> rejected = proxies.onRequest(stream, node, request.getTypeUrl(), request.getResponseNonce(),
              errorMessage(request.hasErrorDetail() ? request.getErrorDetail() : null));
          if (rejected.isPresent()) {
            // Handed on as an ACK of the rejected version: java-control-plane then takes the names it sent
            // as known and waits for a new version. As a NACK it would know none of them on a first
            // response (or miss a name just added) and send the rejected version again at once.
            changed = (changed == null ? request.toBuilder() : changed).setVersionInfo(rejected.get()).clearErrorDetail();
          }
          return changed == null ? message : (ReqT) changed.build();
        }
        if (message instanceof DeltaDiscoveryRequest request) {
          DeltaDiscoveryRequest.Builder changed = null;
          if (request.hasNode()) {
            node = request.getNode();
          } else if (node != null) {
            changed = request.toBuilder().setNode(node);
          }
          proxies.onRequest(stream, node, request.getTypeUrl(), request.getResponseNonce(),
              errorMessage(request.hasErrorDetail() ? request.getErrorDetail() : null));
          if (!delta.onRequest(request)) {
            // java-control-plane would fail the stream on a nonce it has no response for.
            changed = (changed == null ? request.toBuilder() : changed).clearResponseNonce();
          }
          return changed == null ? message : (ReqT) changed.build();
        }
        return message;
      }
    };
  }

  /** The NACK's message, or null for an ACK or a first request. */
  private static String errorMessage(com.google.rpc.Status detail) {
    if (detail == null) {
      return null;
    }
    String code = Status.fromCodeValue(detail.getCode()).getCode().name();
    return detail.getMessage().isEmpty() ? code : code + ": " + detail.getMessage();
  }
}
