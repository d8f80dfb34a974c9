package dev.vicinity.server;

import dev.vicinity.server.xds.TestNodes;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.cluster.v3.ClusterDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.endpoint.v3.EndpointDiscoveryServiceGrpc;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * A raw state-of-the-world xDS client speaking the protocol with java-control-plane's protos over
 * gRPC-Java: on the aggregated service (ADS) by default, or on one per-type service.
 */
public final class AdsTestClient implements AutoCloseable {
  static final String LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String ROUTE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  static final String ENDPOINT = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

  private static final BiFunction<Channel, StreamObserver<DiscoveryResponse>, StreamObserver<DiscoveryRequest>> ADS =
      (channel, observer) -> AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(observer);

  private final ManagedChannel ownedChannel; // null when the caller owns the channel
  private final StreamObserver<DiscoveryRequest> requests;
  private final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
  private final CompletableFuture<Status> end = new CompletableFuture<>();

  /** An ADS stream. */
  AdsTestClient(int port) {
    this(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build(), ADS);
  }

  /** An ADS stream on {@code channel}, which stays the caller's to shut down (a client reconnecting reuses it). */
  static AdsTestClient on(Channel channel) {
    return new AdsTestClient(channel, null, ADS);
  }

  private AdsTestClient(ManagedChannel channel,
      BiFunction<Channel, StreamObserver<DiscoveryResponse>, StreamObserver<DiscoveryRequest>> openStream) {
    this(channel, channel, openStream);
  }

  private AdsTestClient(Channel channel, ManagedChannel ownedChannel,
      BiFunction<Channel, StreamObserver<DiscoveryResponse>, StreamObserver<DiscoveryRequest>> openStream) {
    this.ownedChannel = ownedChannel;
    requests = openStream.apply(channel, new StreamObserver<>() {
      @Override
      public void onNext(DiscoveryResponse response) {
        responses.add(response);
      }

      @Override
      public void onError(Throwable t) {
        end.complete(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        end.complete(Status.OK);
      }
    });
  }

  /** A stream on the standalone EndpointDiscoveryService (EDS without ADS). */
  static AdsTestClient onEndpointService(int port) {
    return new AdsTestClient(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build(),
        (channel, observer) -> EndpointDiscoveryServiceGrpc.newStub(channel).streamEndpoints(observer));
  }

  /** A stream on the standalone ClusterDiscoveryService (CDS without ADS). */
  static AdsTestClient onClusterService(int port) {
    return new AdsTestClient(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build(),
        (channel, observer) -> ClusterDiscoveryServiceGrpc.newStub(channel).streamClusters(observer));
  }

  /** How the server ended the stream, failing the test if it is still open after the timeout. */
  Status ended(Duration timeout) throws Exception {
    try {
      return end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("stream still open after " + timeout);
    }
  }

  public static Node grpcNode(String id, String cluster, String region, String zone) {
    return TestNodes.grpcNode(id, cluster, region, zone);
  }

  void request(Node node, String typeUrl, List<String> names, String version, String nonce) {
    DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder()
        .setTypeUrl(typeUrl)
        .addAllResourceNames(names)
        .setVersionInfo(version)
        .setResponseNonce(nonce);
    if (node != null) {
      request.setNode(node);
    }
    requests.onNext(request.build());
  }

  /** An ACK of {@code response}: its version and nonce, with the names now subscribed to (empty: all). */
  void ack(DiscoveryResponse response, List<String> names) {
    request(null, response.getTypeUrl(), names, response.getVersionInfo(), response.getNonce());
  }

  /** A NACK of {@code response}: the last version accepted, the response's nonce and an error. */
  void nack(DiscoveryResponse response, List<String> names, String lastAcceptedVersion, String message) {
    requests.onNext(DiscoveryRequest.newBuilder()
        .setTypeUrl(response.getTypeUrl())
        .addAllResourceNames(names)
        .setVersionInfo(lastAcceptedVersion)
        .setResponseNonce(response.getNonce())
        .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(io.grpc.Status.Code.INVALID_ARGUMENT.value()).setMessage(message))
        .build());
  }

  /** True if no response arrives for the whole of {@code period}. */
  boolean nothingWithin(Duration period) throws InterruptedException {
    return responses.poll(period.toMillis(), TimeUnit.MILLISECONDS) == null;
  }

  /** The next response, failing the test if none comes within the timeout. */
  DiscoveryResponse next(Duration timeout) throws InterruptedException {
    DiscoveryResponse response = responses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (response == null) {
      throw new AssertionError("no xDS response within " + timeout);
    }
    return response;
  }

  @Override
  public void close() {
    if (!end.isDone()) {
      requests.onCompleted();
    }
    if (ownedChannel != null) {
      ownedChannel.shutdownNow();
    }
  }
}
