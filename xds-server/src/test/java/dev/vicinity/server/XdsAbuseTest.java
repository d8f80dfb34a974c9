package dev.vicinity.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.common.collect.Lists;
import dev.vicinity.inventory.files.ConfigDirectories;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The xDS port under abuse: streams that never say who they are, clients that make up node groups,
 * requests for types nobody serves. Each is ended at once with a status that says why, is counted, and
 * costs well-behaved proxies nothing.
 */
class XdsAbuseTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Node EAST = AdsTestClient.grpcNode("productpage-1", "mgmt-cluster", "us-east-1", "us-east-1a");

  @TempDir Path temp;

  private VicinityServer server;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : Lists.reverse(open)) {
      closeable.close();
    }
  }

  private void start(UnaryOperator<ServerOptions> options) throws IOException {
    Path config = ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve("bookinfo"));
    server = VicinityServer.start(options.apply(TestServerOptions.onFreePorts(config)));
    open.add(server);
    await().atMost(WAIT).until(server::ready);
  }

  private <T extends AutoCloseable> T register(T closeable) {
    open.add(closeable);
    return closeable;
  }

  @Test
  void aStreamWhoseFirstRequestHasNoNodeIsEndedAtOnceWithInvalidArgument() throws Exception {
    start(options -> options);
    AdsTestClient client = register(new AdsTestClient(server.xdsPort()));

    client.request(null, AdsTestClient.CLUSTER, List.of(), "", "");

    Status status = client.ended(WAIT);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("missing node");
    assertThat(metric("vicinity_xds_streams_refused_total{reason=\"missing_node\"}")).isEqualTo(1.0);
  }

  @Test
  void aDeltaStreamWhoseFirstRequestHasNoNodeIsEndedAtOnceWithInvalidArgument() throws Exception {
    start(options -> options);
    DeltaAdsTestClient client = register(DeltaAdsTestClient.aggregated(server.xdsPort()));

    client.subscribe(null, AdsTestClient.CLUSTER, List.of());

    Throwable failure = await().atMost(WAIT).until(client::failure, Optional::isPresent).get();
    Status status = Status.fromThrowable(failure);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("missing node");
  }

  @Test
  void streamsWithoutNodeHoldNoStartSlotAndARealProxyBehindThemIsServed() throws Exception {
    // Four streams may start at once, each holding its place up to 5s: 40 node-less streams held until
    // their timeout would keep the real proxy waiting for ten rounds, 50s.
    start(options -> options.withConnections(
        options.connections().withMaxConcurrentStreamStarts(4, Duration.ofSeconds(5))));
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.xdsPort()).usePlaintext().build();
    register(channel::shutdownNow);
    List<AdsTestClient> anonymous = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      AdsTestClient stream = AdsTestClient.on(channel);
      stream.request(null, AdsTestClient.CLUSTER, List.of(), "", "");
      anonymous.add(stream);
    }
    AdsTestClient proxy = register(new AdsTestClient(server.xdsPort()));

    proxy.request(EAST, AdsTestClient.CLUSTER, List.of(), "", "");

    assertThat(proxy.next(WAIT).getResourcesCount()).isPositive();
    for (AdsTestClient stream : anonymous) {
      assertThat(stream.ended(WAIT).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
  }

  @Test
  void aProxyThatWouldMakeOneNodeGroupTooManyIsRefusedUntilAGroupLeaves() throws Exception {
    start(options -> options.withConnections(options.connections().withMaxNodeGroups(2)));
    AdsTestClient east = register(new AdsTestClient(server.xdsPort()));
    east.request(EAST, AdsTestClient.CLUSTER, List.of(), "", "");
    east.next(WAIT);
    AdsTestClient remote = register(new AdsTestClient(server.xdsPort()));
    remote.request(AdsTestClient.grpcNode("reviews-1", "remote-cluster", "us-east-2", "us-east-2b"),
        AdsTestClient.CLUSTER, List.of(), "", "");
    remote.next(WAIT);

    AdsTestClient third = register(new AdsTestClient(server.xdsPort()));
    third.request(AdsTestClient.grpcNode("made-up", "made-up-cluster", "nowhere", "nowhere-1"),
        AdsTestClient.CLUSTER, List.of(), "", "");

    Status status = third.ended(WAIT);
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(status.getDescription()).contains("maxNodeGroups");
    assertThat(metric("vicinity_node_groups")).isEqualTo(2.0);
    assertThat(metric("vicinity_xds_streams_refused_total{reason=\"node_groups\"}")).isEqualTo(1.0);
    AdsTestClient sameGroup = register(new AdsTestClient(server.xdsPort()));
    sameGroup.request(AdsTestClient.grpcNode("productpage-2", "mgmt-cluster", "us-east-1", "us-east-1a"),
        AdsTestClient.CLUSTER, List.of(), "", "");
    assertThat(sameGroup.next(WAIT).getResourcesCount()).as("a proxy of a group that has proxies").isPositive();

    remote.close();
    await().atMost(WAIT).until(() -> metric("vicinity_node_groups") == 1.0);
    AdsTestClient later = register(new AdsTestClient(server.xdsPort()));
    later.request(AdsTestClient.grpcNode("made-up", "made-up-cluster", "nowhere", "nowhere-1"),
        AdsTestClient.CLUSTER, List.of(), "", "");
    assertThat(later.next(WAIT).getTypeUrl()).isEqualTo(AdsTestClient.CLUSTER);
  }

  @Test
  void aTypeThisServerDoesNotServeEndsTheStreamWithAStatusNamingIt() throws Exception {
    start(options -> options);
    AdsTestClient client = register(new AdsTestClient(server.xdsPort()));
    client.request(EAST, AdsTestClient.CLUSTER, List.of(), "", "");
    DiscoveryResponse clusters = client.next(WAIT);
    client.ack(clusters, List.of());

    client.request(null, "type.googleapis.com/envoy.service.runtime.v3.Runtime", List.of(), "", "");

    Status status = client.ended(WAIT);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .contains("'type.googleapis.com/envoy.service.runtime.v3.Runtime' is not served")
        .contains(AdsTestClient.CLUSTER);
    assertThat(metric("vicinity_xds_streams_refused_total{reason=\"unknown_type\"}")).isEqualTo(1.0);
  }

  @Test
  void anAggregatedStreamRequestWithoutATypeIsRefused() throws Exception {
    start(options -> options);
    AdsTestClient client = register(new AdsTestClient(server.xdsPort()));

    client.request(EAST, "", List.of(), "", "");

    Status status = client.ended(WAIT);
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("type_url is required");
  }

  @Test
  void theXdsPortBindsTheConfiguredAddressOnly() throws Exception {
    start(options -> options.withXdsAddress("127.0.0.1"));

    AdsTestClient client = register(new AdsTestClient(server.xdsPort()));
    client.request(EAST, AdsTestClient.CLUSTER, List.of(), "", "");
    assertThat(client.next(WAIT).getTypeUrl()).isEqualTo(AdsTestClient.CLUSTER);
    assertThatThrownBy(() -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.2", server.xdsPort()), 2000);
      }
    }).isInstanceOf(ConnectException.class);
  }

  private double metric(String series) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.debugPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.body().lines()
        .filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst().orElse(-1);
  }
}
