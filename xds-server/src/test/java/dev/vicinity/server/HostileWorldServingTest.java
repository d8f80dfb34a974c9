package dev.vicinity.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.inventory.files.ConfigDirectories;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hostile EndpointSlice and Service in a file cluster: what a client is actually sent. */
class HostileWorldServingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Node EAST = AdsTestClient.grpcNode("productpage-1", "mgmt-cluster", "us-east-1", "us-east-1a");
  private static final String RATINGS = "outbound|9080||ratings.bookinfo.svc.cluster.local";

  @TempDir Path temp;

  @Test
  void addressesAndPortsKubernetesWouldRefuseAreNeverSentToClients() throws Exception {
    Path root = ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve("bookinfo"));
    Files.writeString(root.resolve("clusters/mgmt-cluster/hostile.yaml"), """
        apiVersion: v1
        kind: Service
        metadata: {name: ratings, namespace: bookinfo}
        spec:
          ports: [{name: http, port: 9080, protocol: TCP}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: ratings-x
          namespace: bookinfo
          labels: {kubernetes.io/service-name: ratings}
        addressType: IPv4
        endpoints:
        - addresses: [not-an-ip]
        - addresses: [999.1.1.1]
        - addresses: [127.0.0.1]
        ports: [{name: http, port: -5, protocol: TCP}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: details, namespace: bookinfo}
        spec:
          ports: [{name: http, port: -80, protocol: TCP}]
        """);

    try (VicinityServer server = VicinityServer.start(TestServerOptions.onFreePorts(root));
        AdsTestClient client = new AdsTestClient(server.xdsPort())) {
      client.request(EAST, AdsTestClient.CLUSTER, List.of(), "", "");
      DiscoveryResponse clusters = client.next(WAIT);
      List<String> names = clusters.getResourcesList().stream()
          .map(r -> unpack(r, Cluster.class).getName()).toList();
      assertThat(names).contains(RATINGS).noneMatch(name -> name.contains("details") || name.contains("-80"));
      client.ack(clusters, List.of());

      client.request(null, AdsTestClient.ENDPOINT, List.of(RATINGS), "", "");
      ClusterLoadAssignment ratings = unpack(client.next(WAIT).getResources(0), ClusterLoadAssignment.class);

      assertThat(ratings.getClusterName()).isEqualTo(RATINGS);
      assertThat(ratings.getEndpointsList().stream().map(LocalityLbEndpoints::getLbEndpointsList).flatMap(List::stream)
          .map(LbEndpoint::getEndpoint))
          .as("the whole slice is left out, its one good address too, as the API server would refuse it whole")
          .isEmpty();
    }
  }

  private static <T extends com.google.protobuf.Message> T unpack(com.google.protobuf.Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
