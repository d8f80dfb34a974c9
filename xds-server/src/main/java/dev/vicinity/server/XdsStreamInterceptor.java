package dev.vicinity.server;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Context;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits on every xDS stream, where it sees the raw requests and responses, and does five things:
 * <ul>
 *   <li>refuses, with a status saying why, a stream whose first request has no node
 *       (INVALID_ARGUMENT, as istiod does), whose proxy would make one node group too many
 *       (RESOURCE_EXHAUSTED, see {@link Proxies#join}), or that asks for a type this server does not
 *       serve (INVALID_ARGUMENT): java-control-plane would fail on each with a stack trace, or serve a
 *       node-less stream nothing while it holds a start slot;
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
  private static final Logger log = LoggerFactory.getLogger(XdsStreamInterceptor.class);
  static final Status MISSING_NODE = Status.INVALID_ARGUMENT.withDescription(
      "missing node information: the first request on an xDS stream must carry node (id, locality, metadata)");
  static final Status TOO_MANY_NODE_GROUPS = Status.RESOURCE_EXHAUSTED.withDescription(
      "this server has proxies in as many node groups as server.maxNodeGroups allows; try another replica or later");
  private static final String SERVED_TYPES = String.join(", ", new TreeSet<>(Resources.TYPE_URLS_TO_RESOURCE_TYPE.keySet()));
  /** Unknown type URLs are logged once each, up to this many, so that a hostile client cannot flood the log. */
  private static final int LOGGED_UNKNOWN_TYPES = 16;

  private final Proxies proxies;
  private final Runnable onStreamClosed;
  private final Counter missingNode;
  private final Counter tooManyGroups;
  private final Counter unknownType;
  private final Set<String> loggedUnknownTypes = ConcurrentHashMap.newKeySet();

  /** {@code onStreamClosed} runs after a stream has left {@code proxies}. */
  XdsStreamInterceptor(Proxies proxies, Runnable onStreamClosed, MeterRegistry registry) {
    this.proxies = proxies;
    this.onStreamClosed = onStreamClosed;
    this.missingNode = refusals(registry, "missing_node");
    this.tooManyGroups = refusals(registry, "node_groups");
    this.unknownType = refusals(registry, "unknown_type");
  }

  private static Counter refusals(MeterRegistry registry, String reason) {
    return Counter.builder("vicinity.xds.streams.refused")
        .description("xDS streams ended by the server because of what their client sent")
        .tag("reason", reason)
        .register(registry);
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Proxies.Stream stream = proxies.open();
    boolean aggregated = AggregatedDiscoveryServiceGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName());
    // Only delta streams (DeltaAggregatedResources, DeltaClusters...) need to know what their client holds.
    DeltaClientState delta =
        call.getMethodDescriptor().getBareMethodName().startsWith("Delta") ? new DeltaClientState() : null;
    ClosableServerCall<ReqT, RespT> tracked = new ClosableServerCall<>(call) {
      @Override
      protected void beforeSend(RespT message) {
        if (message instanceof DiscoveryResponse response) {
          proxies.onResponse(stream, response.getTypeUrl(), response.getVersionInfo(), response.getNonce(),
              response.getSerializedSize());
        } else if (message instanceof DeltaDiscoveryResponse response) {
          delta.onResponse(response);
          proxies.onResponse(stream, response.getTypeUrl(), response.getSystemVersionInfo(), response.getNonce(),
              response.getSerializedSize());
        }
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
      private boolean refused;

      @Override
      public void onMessage(ReqT message) {
        if (refused) {
          return;
        }
        Optional<Status> refusal = refusal(message);
        if (refusal.isPresent()) {
          refused = true;
          tracked.closeIfOpen(refusal.get());
          return;
        }
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

      /** Why the stream is ended instead of {@code message} being served, if it is. */
      private Optional<Status> refusal(ReqT message) {
        String typeUrl;
        Node sent;
        if (message instanceof DiscoveryRequest request) {
          typeUrl = request.getTypeUrl();
          sent = request.hasNode() ? request.getNode() : null;
        } else if (message instanceof DeltaDiscoveryRequest request) {
          typeUrl = request.getTypeUrl();
          sent = request.hasNode() ? request.getNode() : null;
        } else {
          return Optional.empty();
        }
        if (typeUrl.isEmpty() ? aggregated : !Resources.TYPE_URLS_TO_RESOURCE_TYPE.containsKey(typeUrl)) {
          unknownType.increment();
          if (loggedUnknownTypes.size() < LOGGED_UNKNOWN_TYPES && loggedUnknownTypes.add(typeUrl)) {
            log.warn("a proxy asked for type_url '{}', which this server does not serve; its stream is ended", typeUrl);
          }
          return Optional.of(Status.INVALID_ARGUMENT.withDescription(typeUrl.isEmpty()
              ? "type_url is required on an aggregated (ADS) stream; served: " + SERVED_TYPES
              : "type_url '" + typeUrl + "' is not served; served: " + SERVED_TYPES));
        }
        if (node == null) {
          if (sent == null) {
            missingNode.increment();
            return Optional.of(MISSING_NODE);
          }
          if (!proxies.join(stream, sent)) {
            tooManyGroups.increment();
            return Optional.of(TOO_MANY_NODE_GROUPS);
          }
        }
        return Optional.empty();
      }

      @SuppressWarnings("unchecked")
      private ReqT observed(ReqT message) {
        if (message instanceof DiscoveryRequest request) {
          DiscoveryRequest.Builder changed = null;
          if (request.hasNode()) {
            node = request.getNode();
          } else {
            changed = request.toBuilder().setNode(node);
          }
          Optional<String> rejected = proxies.onRequest(stream, request.getTypeUrl(), request.getResponseNonce(),
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
          } else {
            changed = request.toBuilder().setNode(node);
          }
          proxies.onRequest(stream, request.getTypeUrl(), request.getResponseNonce(),
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
