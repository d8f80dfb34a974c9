package dev.vicinity.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vicinity.inventory.files.ConfigDirectories;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What clients and every signal of a running server say when the configuration files go bad or away. */
class FileInventoryServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String VD_CLUSTER = "outbound|9080||reviews.global";
  private static final Node EAST = AdsTestClient.grpcNode("productpage-east", "mgmt-cluster", "us-east-1", "us-east-1a");
  private static final Node WEST = AdsTestClient.grpcNode("productpage-west", "remote-cluster", "us-east-2", "us-east-2b");

  @TempDir Path temp;

  private VicinityServer server;
  private final List<AdsTestClient> clients = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    clients.forEach(AdsTestClient::close);
    if (server != null) {
      server.close();
    }
  }

  private Path startOnACopyOfTheExample() throws IOException {
    Path config = ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve("bookinfo"));
    server = VicinityServer.start(TestServerOptions.onFreePorts(config, Duration.ofMillis(50)));
    return config;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.debugPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private double metric(String sample) throws IOException, InterruptedException {
    return get("/metrics").body().lines().filter(line -> line.startsWith(sample + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
  }

  /** A new ADS stream for {@code node}, subscribed to the VirtualDestination's endpoints: its first answer. */
  private AdsTestClient subscribe(Node node) {
    AdsTestClient client = new AdsTestClient(server.xdsPort());
    clients.add(client);
    client.request(node, AdsTestClient.CLUSTER, List.of(), "", "");
    return client;
  }

  private static ClusterLoadAssignment endpointsOf(AdsTestClient client) throws Exception {
    DiscoveryResponse clusters = client.next(WAIT);
    client.ack(clusters, List.of());
    client.request(null, AdsTestClient.ENDPOINT, List.of(VD_CLUSTER), "", "");
    DiscoveryResponse endpoints = client.next(WAIT);
    client.ack(endpoints, List.of(VD_CLUSTER));
    return endpoints.getResources(0).unpack(ClusterLoadAssignment.class);
  }

  private static List<String> addresses(ClusterLoadAssignment assignment) {
    return assignment.getEndpointsList().stream().map(LocalityLbEndpoints::getLbEndpointsList).flatMap(List::stream)
        .map(LbEndpoint::getEndpoint).map(e -> e.getAddress().getSocketAddress().getAddress()).sorted().toList();
  }

  private static void deleteTree(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void aRemovedClusterDirectoryIsStaleOnEverySignalAndItsLastEndpointsServeNewGroups() throws Exception {
    Path config = startOnACopyOfTheExample();
    assertThat(addresses(endpointsOf(subscribe(EAST)))).containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13");

    deleteTree(config.resolve("clusters/remote-cluster"));

    await().atMost(WAIT).until(() -> metric("vicinity_cluster_sync_state{cluster=\"remote-cluster\",state=\"STALE\"}") == 1.0);
    JsonNode world = new ObjectMapper().readTree(get("/debug/world").body());
    JsonNode remote = world.path("clusters").path("remote-cluster");
    assertThat(remote.path("syncState").asText()).isEqualTo("STALE");
    assertThat(remote.path("endpoints")).extracting(e -> e.path("address").asText()).containsExactly("127.0.0.13");
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    assertThat(metric("vicinity_cluster_sync_state{cluster=\"remote-cluster\",state=\"SYNCED\"}")).isEqualTo(0.0);
    // A node group that connects only now is served, from the stale cluster's last endpoints.
    assertThat(addresses(endpointsOf(subscribe(WEST)))).containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13");

    ConfigDirectories.copy(ConfigDirectories.bookinfoExample().resolve("clusters/remote-cluster"),
        config.resolve("clusters/remote-cluster"));
    await().atMost(WAIT).until(() -> metric("vicinity_cluster_sync_state{cluster=\"remote-cluster\",state=\"SYNCED\"}") == 1.0);
  }

  @Test
  void anEndpointSliceEditReachesConnectedClientsThroughFileEventsWithoutWaitingForThePoll() throws Exception {
    Path config = ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve("bookinfo"));
    server = VicinityServer.start(TestServerOptions.onFreePorts(config, Duration.ofHours(1)));
    AdsTestClient east = subscribe(EAST);
    assertThat(addresses(endpointsOf(east))).containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13");
    Path slices = config.resolve("clusters/mgmt-cluster/reviews.yaml");

    Files.writeString(slices, Files.readString(slices).replace("127.0.0.12", "127.0.0.22"));

    DiscoveryResponse pushed = east.next(WAIT);
    while (!pushed.getTypeUrl().equals(AdsTestClient.ENDPOINT)) {
      pushed = east.next(WAIT);
    }
    assertThat(addresses(pushed.getResources(0).unpack(ClusterLoadAssignment.class)))
        .containsExactly("127.0.0.11", "127.0.0.13", "127.0.0.22");
  }

  @Test
  void randomBytesInAClusterFileLeaveItsEndpointsWithConnectedClients() throws Exception {
    Path config = startOnACopyOfTheExample();
    AdsTestClient east = subscribe(EAST);
    assertThat(addresses(endpointsOf(east))).containsExactly("127.0.0.11", "127.0.0.12", "127.0.0.13");
    byte[] noise = new byte[2048];
    new Random(4).nextBytes(noise);
    noise[0] = (byte) 0xFF; // never in UTF-8
    Files.write(config.resolve("clusters/mgmt-cluster/reviews.yaml"), noise);

    await().atMost(WAIT).until(() -> get("/debug/policies").body().contains(
        "clusters/mgmt-cluster/reviews.yaml:1: not valid UTF-8 text (byte 0 of the file)"));
    // Nothing is pushed: the clients' endpoints stay as they were, and the world still holds them.
    assertThat(east.nothingWithin(Duration.ofSeconds(1))).isTrue();
    assertThat(get("/debug/world").body()).contains("127.0.0.11", "127.0.0.12");
  }
}
