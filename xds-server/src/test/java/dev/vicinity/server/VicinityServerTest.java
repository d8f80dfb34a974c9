package dev.vicinity.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vicinity.inventory.files.ConfigDirectories;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server on a copy of the bundled example, driven by a raw ADS client and the debug endpoint. */
class VicinityServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String VD_CLUSTER = "outbound|9080||reviews.global";
  private static final Node EAST = AdsTestClient.grpcNode("productpage-1", "mgmt-cluster", "us-east-1", "us-east-1a");

  @TempDir Path temp;

  private VicinityServer server;
  private AdsTestClient client;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private Path copyExample() throws IOException {
    return ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve("bookinfo"));
  }

  private VicinityServer start(Path config) throws IOException {
    server = VicinityServer.start(TestServerOptions.onFreePorts(config, Duration.ofMillis(50)));
    return server;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.debugPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, Integer> priorities(ClusterLoadAssignment assignment) {
    Map<String, Integer> byAddress = new TreeMap<>();
    for (LocalityLbEndpoints locality : assignment.getEndpointsList()) {
      for (LbEndpoint endpoint : locality.getLbEndpointsList()) {
        byAddress.put(endpoint.getEndpoint().getAddress().getSocketAddress().getAddress(), locality.getPriority());
      }
    }
    return byAddress;
  }

  /** Subscribes to LDS, CDS and the VirtualDestination's EDS, node only on the first request. */
  private ClusterLoadAssignment subscribe() throws Exception {
    client = new AdsTestClient(server.xdsPort());
    client.request(EAST, AdsTestClient.LISTENER, List.of("reviews.global:9080"), "", "");
    DiscoveryResponse listeners = client.next(WAIT);
    assertThat(listeners.getResources(0).unpack(Listener.class).getName()).isEqualTo("reviews.global:9080");
    ack(listeners, List.of("reviews.global:9080"));

    client.request(null, AdsTestClient.CLUSTER, List.of(), "", "");
    DiscoveryResponse clusters = client.next(WAIT);
    assertThat(clusters.getResourcesList()).extracting(r -> r.unpack(Cluster.class).getName()).contains(VD_CLUSTER);
    ack(clusters, List.of());

    client.request(null, AdsTestClient.ENDPOINT, List.of(VD_CLUSTER), "", "");
    DiscoveryResponse endpoints = client.next(WAIT);
    assertThat(endpoints.getVersionInfo()).matches("[0-9a-f]{16}");
    ack(endpoints, List.of(VD_CLUSTER));
    return endpoints.getResources(0).unpack(ClusterLoadAssignment.class);
  }

  /** An ACK: the same subscription with the version and nonce received; it opens the next watch. */
  private void ack(DiscoveryResponse response, List<String> names) {
    client.request(null, response.getTypeUrl(), names, response.getVersionInfo(), response.getNonce());
  }

  @Test
  void laterRequestsWithoutNodeAreServedForTheStreamsGroup() throws Exception {
    start(copyExample());

    ClusterLoadAssignment assignment = subscribe();

    assertThat(priorities(assignment)).isEqualTo(Map.of("127.0.0.11", 0, "127.0.0.12", 0, "127.0.0.13", 1));
  }

  @Test
  void debugSnapshotsShowTheLocalEndpointsAtPriorityZeroAndTheRemoteOneAfter() throws Exception {
    start(copyExample());
    subscribe();

    JsonNode snapshots = new ObjectMapper().readTree(get("/debug/snapshots").body());

    JsonNode group = snapshots.path("groups").get(0);
    assertThat(group.path("group").asText()).isEqualTo("grpc/mgmt-cluster/us-east-1/us-east-1a");
    JsonNode assignment = Stream.iterate(0, i -> i + 1).limit(group.path("endpoints").size())
        .map(i -> group.path("endpoints").get(i))
        .filter(e -> e.path("clusterName").asText().equals(VD_CLUSTER)).findFirst().orElseThrow();
    assertThat(assignment.path("endpoints").get(0).path("locality").path("zone").asText()).isEqualTo("us-east-1a");
    assertThat(assignment.path("endpoints").get(0).path("priority").asInt()).isZero();
    assertThat(assignment.path("endpoints").get(1).path("locality").path("zone").asText()).isEqualTo("us-east-2b");
    assertThat(assignment.path("endpoints").get(1).path("priority").asInt()).isEqualTo(1);
  }

  @Test
  void healthAndReadinessAreServed() throws Exception {
    start(copyExample());

    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> get("/readyz").statusCode() == 200);
    assertThat(get("/debug/world").body()).contains("\"mgmt-cluster\"", "127.0.0.13");
    JsonNode policies = new ObjectMapper().readTree(get("/debug/policies").body());
    assertThat(policies.path("statuses")).extracting(s -> s.path("ref").path("name").asText() + "=" + s.path("state").asText())
        .containsExactlyInAnyOrder("bookinfo-global=ACCEPTED", "reviews-shift-failover=ACCEPTED");
    assertThat(policies.path("statuses").get(0).path("selectedDestinations")).hasSize(2);
  }

  @Test
  void debugExplainSaysWhyEachEndpointHasItsPriority() throws Exception {
    start(copyExample());

    HttpResponse<String> response =
        get("/debug/explain?client=mgmt-cluster/us-east-1/us-east-1a&host=reviews.global:9080&fail=mgmt-cluster");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode explanation = new ObjectMapper().readTree(response.body());
    JsonNode target = explanation.path("routes").get(0).path("targets").get(0);
    assertThat(target.path("cluster").asText()).isEqualTo(VD_CLUSTER);
    assertThat(target.path("priorities").get(1).path("endpoints").get(0).path("reason").asText()).isEqualTo("another region");
    assertThat(target.path("scenario").path("grpcPriority").asInt()).isEqualTo(1);
    assertThat(explanation.path("text").asText()).contains("127.0.0.11:9080", "FAILED (simulated)");
    assertThat(get("/debug/explain?host=reviews.global").statusCode()).isEqualTo(400);
  }

  @Test
  void notReadyUntilEveryClusterHasSynced() throws Exception {
    Path config = copyExample();
    Path remote = config.resolve("clusters/remote-cluster");
    Path parked = temp.resolve("parked-remote-cluster");
    Files.move(remote, parked);
    start(config);

    HttpResponse<String> notReady = get("/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).contains("remote-cluster");

    Files.move(parked, remote);
    await().atMost(WAIT).until(() -> get("/readyz").statusCode() == 200);
  }

  @Test
  void anEndpointSliceEditIsPushedToConnectedClients() throws Exception {
    Path config = copyExample();
    start(config);
    ClusterLoadAssignment before = subscribe();
    assertThat(before.getEndpoints(0).getLoadBalancingWeight().getValue()).isEqualTo(2);

    Path slices = config.resolve("clusters/mgmt-cluster/reviews.yaml");
    String yaml = Files.readString(slices);
    Files.writeString(slices, yaml.replaceFirst("ready: true", "ready: false"));

    DiscoveryResponse pushed = client.next(WAIT);
    assertThat(pushed.getTypeUrl()).isEqualTo(AdsTestClient.ENDPOINT);
    ClusterLoadAssignment after = pushed.getResources(0).unpack(ClusterLoadAssignment.class);
    assertThat(after.getEndpoints(0).getLbEndpoints(0).getHealthStatus()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(after.getEndpoints(0).getLoadBalancingWeight().getValue()).isEqualTo(1);
    // Only the load assignment changed: the listener and cluster watches, still open, stay quiet.
    ack(pushed, List.of(VD_CLUSTER));
    assertThat(client.nothingWithin(Duration.ofMillis(500))).isTrue();
  }

  /** The value of a Prometheus sample line starting with {@code prefix}, or -1 if there is none. */
  private double metric(String prefix) throws IOException, InterruptedException {
    return get("/metrics").body().lines()
        .filter(line -> line.startsWith(prefix + " ") || (!prefix.contains("{") && line.startsWith(prefix + "{")))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst().orElse(-1);
  }

  @Test
  void aNackIsRecordedShownAndTheRejectedVersionIsNotSentAgainUntilTheConfigurationChanges() throws Exception {
    Path config = copyExample();
    start(config);
    client = new AdsTestClient(server.xdsPort());
    client.request(EAST, AdsTestClient.CLUSTER, List.of(), "", "");
    DiscoveryResponse clusters = client.next(WAIT);

    client.nack(clusters, List.of(), "", "cluster outbound|9080||reviews.global: unknown field");

    // A NACK is recorded, never answered with the rejected version.
    assertThat(client.nothingWithin(Duration.ofSeconds(1))).isTrue();
    JsonNode proxies = new ObjectMapper().readTree(get("/debug/proxies").body()).get("proxies");
    assertThat(proxies).hasSize(1);
    assertThat(proxies.get(0).get("nodeId").asText()).isEqualTo("productpage-1");
    JsonNode cds = proxies.get(0).get("types").get(0);
    assertThat(cds.get("type").asText()).isEqualTo("cds");
    assertThat(cds.get("ackedVersion").asText()).isEmpty();
    assertThat(cds.get("nack").get("version").asText()).isEqualTo(clusters.getVersionInfo());
    assertThat(cds.get("nack").get("nonce").asText()).isEqualTo(clusters.getNonce());
    assertThat(cds.get("nack").get("message").asText()).isEqualTo("INVALID_ARGUMENT: cluster outbound|9080||reviews.global: unknown field");
    assertThat(metric("vicinity_xds_nacks_total{type=\"cds\"}")).isEqualTo(1.0);

    Path policy = config.resolve("policies/bookinfo-global.yaml");
    Files.writeString(policy, Files.readString(policy).replace("consecutiveErrors: 1", "consecutiveErrors: 2"));

    DiscoveryResponse fixed = client.next(WAIT);
    assertThat(fixed.getTypeUrl()).isEqualTo(AdsTestClient.CLUSTER);
    assertThat(fixed.getVersionInfo()).isNotEqualTo(clusters.getVersionInfo());
  }

  @Test
  void pushesConvergenceAndClusterStatesAreOnTheMetricsEndpoint() throws Exception {
    Path config = copyExample();
    start(config);
    subscribe();
    Path slices = config.resolve("clusters/mgmt-cluster/reviews.yaml");
    Files.writeString(slices, Files.readString(slices).replaceFirst("ready: true", "ready: false"));
    DiscoveryResponse pushed = client.next(WAIT);
    assertThat(metric("vicinity_convergence_seconds_count")).isEqualTo(0.0);

    ack(pushed, List.of(VD_CLUSTER));

    await().atMost(WAIT).until(() -> metric("vicinity_convergence_seconds_count") == 1.0);
    assertThat(metric("vicinity_xds_pushes_total{type=\"eds\"}")).isEqualTo(2.0);
    assertThat(metric("vicinity_xds_push_bytes_total{type=\"eds\"}")).isGreaterThan(100.0);
    assertThat(metric("vicinity_xds_connected_proxies{kind=\"grpc\"}")).isEqualTo(1.0);
    assertThat(metric("vicinity_translation_seconds_count")).isGreaterThanOrEqualTo(2.0);
    assertThat(metric("vicinity_cluster_sync_state{cluster=\"mgmt-cluster\",state=\"SYNCED\"}")).isEqualTo(1.0);
    assertThat(metric("vicinity_cluster_sync_state{cluster=\"mgmt-cluster\",state=\"STALE\"}")).isEqualTo(0.0);
  }

  @Test
  void aGroupWhoseLastProxyLeavesLosesItsSnapshot() throws Exception {
    start(copyExample());
    subscribe();
    assertThat(new ObjectMapper().readTree(get("/debug/snapshots").body()).get("groups")).hasSize(1);

    client.close();
    client = null;

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(new ObjectMapper().readTree(get("/debug/snapshots").body()).get("groups")).isEmpty());
    assertThat(new ObjectMapper().readTree(get("/debug/proxies").body()).get("proxies")).isEmpty();
    assertThat(metric("vicinity_xds_connected_proxies{kind=\"grpc\"}")).isEqualTo(0.0);
  }
}
