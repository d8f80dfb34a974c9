package dev.vicinity.server;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A raw ADS client speaking the xDS protocol with java-control-plane's protos over gRPC-Java. */
final class AdsTestClient implements AutoCloseable {
  static final String LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String ENDPOINT = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

  private final ManagedChannel ownedChannel; // null when the caller owns the channel
  private final StreamObserver<DiscoveryRequest> requests;
  private final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
  private final CompletableFuture<Status> end = new CompletableFuture<>();

  AdsTestClient(int port) {
    this(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
  }

  /** A stream on {@code channel}, which stays the caller's to shut down (a client reconnecting reuses it). */
  static AdsTestClient on(Channel channel) {
    return new AdsTestClient(channel, null);
  }

  private AdsTestClient(ManagedChannel channel) {
    this(channel, channel);
  }

  private AdsTestClient(Channel channel, ManagedChannel ownedChannel) {
    this.ownedChannel = ownedChannel;
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
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

  /** How the server ended the stream, failing the test if it is still open after the timeout. */
  Status ended(java.time.Duration timeout) throws Exception {
    try {
      return end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("stream still open after " + timeout);
    }
  }

  static Node grpcNode(String id, String cluster, String region, String zone) {
    return Node.newBuilder()
        .setId(id)
        .setUserAgentName("gRPC Java")
        .setLocality(Locality.newBuilder().setRegion(region).setZone(zone))
        .setMetadata(Struct.newBuilder().putFields("CLUSTER_ID", Value.newBuilder().setStringValue(cluster).build()))
        .build();
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
  boolean nothingWithin(java.time.Duration period) throws InterruptedException {
    return responses.poll(period.toMillis(), TimeUnit.MILLISECONDS) == null;
  }

  /** The next response, failing the test if none comes within the timeout. */
  DiscoveryResponse next(java.time.Duration timeout) throws InterruptedException {
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
