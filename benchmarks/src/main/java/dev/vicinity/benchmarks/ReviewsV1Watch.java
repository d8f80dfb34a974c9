package dev.vicinity.benchmarks;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The propagation harnesses' client: a proxyless gRPC client of mgmt-cluster in us-east-1a, subscribed by
 * ADS to reviews.global's load assignment, ACKing each response, that reads reviews-v1's (127.0.0.11)
 * health from it.
 */
final class ReviewsV1Watch implements AutoCloseable {
  private static final String ENDPOINT_TYPE = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  private static final String VD_CLUSTER = "outbound|9080||reviews.global";
  private static final String REVIEWS_V1 = "127.0.0.11";

  private final ManagedChannel channel;
  private final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
  private final StreamObserver<DiscoveryRequest> requests;

  /** Opens the stream and subscribes; the first response is read with {@link #next}. */
  ReviewsV1Watch(int xdsPort) {
    channel = NettyChannelBuilder.forAddress("127.0.0.1", xdsPort).usePlaintext().build();
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
      @Override
      public void onNext(DiscoveryResponse response) {
        responses.add(response);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });
    Node node = Node.newBuilder().setId("harness").setUserAgentName("gRPC Java")
        .setLocality(Locality.newBuilder().setRegion("us-east-1").setZone("us-east-1a"))
        .setMetadata(Struct.newBuilder().putFields("CLUSTER_ID", Value.newBuilder().setStringValue("mgmt-cluster").build()))
        .build();
    requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(ENDPOINT_TYPE).addResourceNames(VD_CLUSTER).build());
  }

  /** The next EDS response, ACKed; fails after {@code seconds} without one. */
  DiscoveryResponse next(int seconds) throws InterruptedException {
    DiscoveryResponse response = responses.poll(seconds, TimeUnit.SECONDS);
    if (response == null) {
      throw new IllegalStateException("no EDS push within " + seconds + "s");
    }
    requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(ENDPOINT_TYPE).addResourceNames(VD_CLUSTER)
        .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce()).build());
    return response;
  }

  /**
   * The first response showing reviews-v1 with {@code wanted} health, skipping intermediate pushes (e.g. a
   * resync); each wait for a response fails after {@code seconds}.
   */
  DiscoveryResponse awaitV1(HealthStatus wanted, int seconds) throws InterruptedException {
    DiscoveryResponse response = next(seconds);
    while (v1Health(response) != wanted) {
      response = next(seconds);
    }
    return response;
  }

  static HealthStatus v1Health(DiscoveryResponse response) {
    try {
      ClusterLoadAssignment assignment = response.getResources(0).unpack(ClusterLoadAssignment.class);
      return assignment.getEndpointsList().stream().flatMap(l -> l.getLbEndpointsList().stream())
          .filter(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress().equals(REVIEWS_V1))
          .map(e -> e.getHealthStatus()).findFirst().orElse(HealthStatus.UNKNOWN);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    requests.onCompleted();
    channel.shutdownNow();
  }
}
