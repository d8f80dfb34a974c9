package dev.vicinity.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real server's connection lifecycle: admission metrics, connection age and graceful shutdown. */
class ServerLifecycleTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String LISTENER = "reviews.global:9080";

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private VicinityServer start(ConnectionOptions connections) throws IOException {
    ServerOptions options = TestServerOptions.onFreePorts(TestServerOptions.bookinfoExample());
    VicinityServer server = VicinityServer.start(options.withConnections(connections));
    resources.add(server);
    return server;
  }

  private static ConnectionOptions defaults() throws IOException {
    return TestServerOptions.onFreePorts(TestServerOptions.bookinfoExample()).connections();
  }

  private static Node node(String id) {
    return AdsTestClient.grpcNode(id, "mgmt-cluster", "us-east-1", "us-east-1a");
  }

  /** A stream that has asked for the VirtualDestination's listener and got it. */
  private static DiscoveryResponse subscribe(AdsTestClient client, String nodeId) throws Exception {
    client.request(node(nodeId), AdsTestClient.LISTENER, List.of(LISTENER), "", "");
    DiscoveryResponse response = client.next(WAIT);
    assertThat(response.getResources(0).unpack(Listener.class).getName()).isEqualTo(LISTENER);
    return response;
  }

  private AdsTestClient client(int port) {
    AdsTestClient client = new AdsTestClient(port);
    resources.add(client);
    return client;
  }

  private static String metrics(VicinityServer server) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.debugPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void streamStartsAreCountedOnTheMetricsEndpoint() throws Exception {
    VicinityServer server = start(defaults());
    subscribe(client(server.xdsPort()), "productpage-1");

    assertThat(metrics(server)).contains(
        "vicinity_xds_stream_starts_admitted_total 1.0",
        "vicinity_xds_stream_starts_waiting 0.0",
        "vicinity_xds_stream_starts_in_progress 0.0",
        "vicinity_xds_stream_starts_timed_out_total 0.0");
  }

  @Test
  void aConnectionOlderThanTheMaxConnectionAgeIsClosedAndItsClientIsServedAgain() throws Exception {
    VicinityServer server = start(defaults().withMaxConnectionAge(Duration.ofSeconds(1), Duration.ofMillis(500)));
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.xdsPort()).usePlaintext().build();
    resources.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    AdsTestClient first = AdsTestClient.on(channel);
    resources.add(first);
    subscribe(first, "productpage-1");

    Status end = first.ended(WAIT);

    assertThat(end.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    AdsTestClient again = AdsTestClient.on(channel);
    resources.add(again);
    subscribe(again, "productpage-1");
  }
}
