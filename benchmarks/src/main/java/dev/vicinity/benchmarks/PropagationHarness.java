package dev.vicinity.benchmarks;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.vicinity.server.ServerOptions;
import dev.vicinity.server.VicinityServer;
import dev.vicinity.translator.ClientKind;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Time from an EndpointSlice change at the API server to the new ClusterLoadAssignment reaching a
 * subscribed ADS client: fabric8's mock API servers (CRUD mode) hold the bookinfo example; the real
 * server watches them through kubeconfig contexts; a raw ADS client ACKs what it gets. Each round
 * flips reviews-v1's readiness and waits for the load assignment that shows it.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.vicinity.benchmarks.PropagationHarness
 * examples/bookinfo benchmarks/results/propagation.md [rounds]}.
 */
public final class PropagationHarness {
  private static final String ENDPOINT_TYPE = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  private static final String VD_CLUSTER = "outbound|9080||reviews.global";

  private PropagationHarness() {}

  public static void main(String[] args) throws Exception {
    Path example = Path.of(args[0]);
    Path report = Path.of(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    try (BookinfoWorld world = BookinfoWorld.start(example);
        VicinityServer server = VicinityServer.start(
            ServerOptions.fromConfig(world.config(), world.settings()).withXdsPort(0).withDebugPort(0))) {
      List<Double> millis = measure(server.xdsPort(), world, rounds);
      write(report, millis, world.settings().server().coalesceWindow().toMillis());
    }
    System.exit(0);
  }

  private static List<Double> measure(int xdsPort, BookinfoWorld world, int rounds) throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", xdsPort).usePlaintext().build();
    BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
        .streamAggregatedResources(new StreamObserver<>() {
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
    DiscoveryResponse first = next(responses, requests, 60);
    AcceptanceCheck.require("first EDS response", first, ClientKind.GRPC);
    boolean ready = v1Health(first) == HealthStatus.HEALTHY;
    List<Double> millis = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      ready = !ready;
      long start = System.nanoTime();
      world.setReviewsV1Ready(ready);
      HealthStatus wanted = ready ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY;
      DiscoveryResponse response = next(responses, requests, 30);
      while (v1Health(response) != wanted) {
        // an intermediate push (e.g. a resync): keep waiting for the one that shows the change
        response = next(responses, requests, 30);
      }
      millis.add((System.nanoTime() - start) / 1e6);
      AcceptanceCheck.require("EDS version " + response.getVersionInfo(), response, ClientKind.GRPC);
    }
    requests.onCompleted();
    channel.shutdownNow();
    return millis;
  }

  /** The next EDS response, ACKed. */
  private static DiscoveryResponse next(BlockingQueue<DiscoveryResponse> responses, StreamObserver<DiscoveryRequest> requests,
      int seconds) throws InterruptedException {
    DiscoveryResponse response = responses.poll(seconds, TimeUnit.SECONDS);
    if (response == null) {
      throw new IllegalStateException("no EDS push within " + seconds + "s");
    }
    requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(ENDPOINT_TYPE).addResourceNames(VD_CLUSTER)
        .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce()).build());
    return response;
  }

  private static HealthStatus v1Health(DiscoveryResponse response) {
    try {
      ClusterLoadAssignment assignment = response.getResources(0).unpack(ClusterLoadAssignment.class);
      return assignment.getEndpointsList().stream().flatMap(l -> l.getLbEndpointsList().stream())
          .filter(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress().equals("127.0.0.11"))
          .map(e -> e.getHealthStatus()).findFirst().orElse(HealthStatus.UNKNOWN);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(Path report, List<Double> millis, long coalesceMillis) throws IOException {
    Distribution d = Distribution.of(millis);
    String md = String.format("""
        # EndpointSlice change to ClusterLoadAssignment at an ADS client

        %d changes of one endpoint's readiness in mgmt-cluster's reviews EndpointSlice, made through the
        Kubernetes API (fabric8 mock API server, CRUD mode, loopback), each timed until a subscribed ADS client
        received the load assignment showing it (informer event, %d ms coalescing window, translation of the
        bookinfo example, snapshot, push). Machine: %d cores, Java %s, %s.

        | p50 | p90 | p99 | max |
        |---|---|---|---|
        | %.1f ms | %.1f ms | %.1f ms | %.1f ms |
        """, d.count(), coalesceMillis, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        LocalDate.now(), d.p50(), d.p90(), d.p99(), d.max());
    Files.writeString(report, md);
    System.out.print(md);
  }
}
