package dev.vicinity.server;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.cluster.v3.ClusterDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.endpoint.v3.EndpointDiscoveryServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * A raw delta (incremental) xDS client speaking the protocol with java-control-plane's protos over
 * gRPC-Java: on the aggregated service (delta ADS), or on one per-type service.
 */
final class DeltaAdsTestClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final StreamObserver<DeltaDiscoveryRequest> requests;
  private final BlockingQueue<DeltaDiscoveryResponse> responses = new LinkedBlockingQueue<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private DeltaAdsTestClient(int port,
      BiFunction<ManagedChannel, StreamObserver<DeltaDiscoveryResponse>, StreamObserver<DeltaDiscoveryRequest>> openStream) {
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    requests = openStream.apply(channel, new StreamObserver<>() {
      @Override
      public void onNext(DeltaDiscoveryResponse response) {
        responses.add(response);
      }

      @Override
      public void onError(Throwable t) {
        failure.set(t);
      }

      @Override
      public void onCompleted() {}
    });
  }

  /** A delta ADS stream. */
  static DeltaAdsTestClient aggregated(int port) {
    return new DeltaAdsTestClient(port,
        (channel, observer) -> AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(observer));
  }

  /** A delta stream on the standalone EndpointDiscoveryService. */
  static DeltaAdsTestClient onEndpointService(int port) {
    return new DeltaAdsTestClient(port,
        (channel, observer) -> EndpointDiscoveryServiceGrpc.newStub(channel).deltaEndpoints(observer));
  }

  /** A delta stream on the standalone ClusterDiscoveryService. */
  static DeltaAdsTestClient onClusterService(int port) {
    return new DeltaAdsTestClient(port,
        (channel, observer) -> ClusterDiscoveryServiceGrpc.newStub(channel).deltaClusters(observer));
  }

  /** Subscribes to {@code names} of a type (none: the type's wildcard); {@code node} only on a stream's first request. */
  void subscribe(Node node, String typeUrl, List<String> names) {
    subscribe(node, typeUrl, names, Map.of());
  }

  /**
   * The first request for a type on a reconnected stream: the names subscribed to and the versions of
   * the resources the client still holds from before.
   */
  void subscribe(Node node, String typeUrl, List<String> names, Map<String, String> initialVersions) {
    DeltaDiscoveryRequest.Builder request = DeltaDiscoveryRequest.newBuilder()
        .setTypeUrl(typeUrl)
        .addAllResourceNamesSubscribe(names)
        .putAllInitialResourceVersions(initialVersions);
    if (node != null) {
      request.setNode(node);
    }
    send(request.build());
  }

  void unsubscribe(String typeUrl, List<String> names) {
    send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(typeUrl).addAllResourceNamesUnsubscribe(names).build());
  }

  /** An ACK: the response's nonce, no error. */
  void ack(DeltaDiscoveryResponse response) {
    send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl()).setResponseNonce(response.getNonce()).build());
  }

  /** A NACK: the response's nonce and an error. */
  void nack(DeltaDiscoveryResponse response, String message) {
    send(DeltaDiscoveryRequest.newBuilder()
        .setTypeUrl(response.getTypeUrl())
        .setResponseNonce(response.getNonce())
        .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(io.grpc.Status.Code.INVALID_ARGUMENT.value()).setMessage(message))
        .build());
  }

  void send(DeltaDiscoveryRequest request) {
    requests.onNext(request);
  }

  /** The next response, failing the test if none comes within the timeout. */
  DeltaDiscoveryResponse next(Duration timeout) throws InterruptedException {
    DeltaDiscoveryResponse response = responses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (response == null) {
      throw new AssertionError("no delta xDS response within " + timeout
          + (failure.get() == null ? "" : "; the stream failed: " + failure.get()));
    }
    return response;
  }

  /** True if no response arrives for the whole of {@code period}. */
  boolean nothingWithin(Duration period) throws InterruptedException {
    return responses.poll(period.toMillis(), TimeUnit.MILLISECONDS) == null;
  }

  /** Why the server ended the stream, if it did. */
  Optional<Throwable> failure() {
    return Optional.ofNullable(failure.get());
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      requests.onCompleted();
      channel.shutdownNow();
    }
  }
}
