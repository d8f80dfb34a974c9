package dev.vicinity.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vicinity.discovery.MockApiServers;
import dev.vicinity.server.VicinityServer;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bookinfo failover driven from Kubernetes: two API servers (fabric8's mock server in CRUD mode)
 * hold the example's Nodes, Services and EndpointSlices; Vicinity watches them through kubeconfig
 * contexts; the backends keep running and the failover is triggered by the local endpoints going
 * not-ready in their EndpointSlice, as a failing readiness probe would. The VirtualDestination is a
 * custom resource in mgmt-cluster, with its status written back; the TrafficPolicy is still a file.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesFailoverE2eTest {
  private static final Set<String> LOCAL = Set.of("v1", "v2");
  private static final Duration WITHIN = Duration.ofSeconds(30);

  @TempDir static Path temp;

  static KubernetesMockServer mgmt;
  static KubernetesMockServer remote;
  static KubernetesClient mgmtClient;
  static Backend v1;
  static Backend v2;
  static Backend v3;
  static VicinityServer server;
  static XdsClient eastClient;

  @BeforeAll
  static void start() throws IOException {
    int port = Examples.freePort("127.0.0.11");
    v1 = new Backend("v1", new InetSocketAddress("127.0.0.11", port)).start();
    v2 = new Backend("v2", new InetSocketAddress("127.0.0.12", port)).start();
    v3 = new Backend("v3", new InetSocketAddress("127.0.0.13", port)).start();
    Path example = Examples.copyWithBackendPort("bookinfo", temp.resolve("bookinfo"), port);
    mgmt = MockApiServers.started();
    remote = MockApiServers.started();
    mgmtClient = mgmt.createClient();
    MockApiServers.load(mgmtClient, example.resolve("clusters/mgmt-cluster"));
    try (KubernetesClient remoteClient = remote.createClient()) {
      MockApiServers.load(remoteClient, example.resolve("clusters/remote-cluster"));
    }
    // The VirtualDestination becomes a custom resource in mgmt-cluster; the TrafficPolicy stays a file.
    installCrds(mgmtClient);
    Path virtualDestination = example.resolve("policies/bookinfo-global.yaml");
    mgmtClient.resource(Files.readString(virtualDestination)).create();
    Files.delete(virtualDestination);
    // The same configuration, but both clusters live: their worlds now come from the API servers.
    Path kubeconfig = temp.resolve("kubeconfig");
    Files.writeString(kubeconfig, kubeconfig(mgmtClient.getMasterUrl().toString(), remote.createClient().getMasterUrl().toString()));
    Path config = example.resolve("vicinity.yaml");
    Files.writeString(config, Files.readString(config)
        .replace("- name: mgmt-cluster\n  network: network1\n",
            "- name: mgmt-cluster\n  network: network1\n  kubeconfig: " + kubeconfig + "\n  context: mgmt\n  policySource: true\n")
        .replace("- name: remote-cluster\n  network: network1\n",
            "- name: remote-cluster\n  network: network1\n  kubeconfig: " + kubeconfig + "\n  context: remote\n"));
    deleteRecursively(example.resolve("clusters"));
    server = Examples.serve(example);
    eastClient = XdsClient.connect("reviews.global:9080", server.xdsPort(), "productpage-k8s", "mgmt-cluster", "us-east-1", "us-east-1a");
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable closeable : new AutoCloseable[] {eastClient, server, mgmtClient, v1, v2, v3}) {
      if (closeable != null) {
        closeable.close();
      }
    }
    mgmt.destroy();
    remote.destroy();
  }

  private static void installCrds(KubernetesClient client) throws IOException {
    try (Stream<Path> files = Files.list(Path.of("..", "deploy", "crds"))) {
      for (Path file : files.sorted().toList()) {
        client.resource(Files.readString(file)).create();
      }
    }
  }

  private static String kubeconfig(String mgmtUrl, String remoteUrl) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mgmt
          cluster: {server: "%s"}
        - name: remote
          cluster: {server: "%s"}
        contexts:
        - name: mgmt
          context: {cluster: mgmt, user: test}
        - name: remote
          context: {cluster: remote, user: test}
        users:
        - name: test
          user: {token: test}
        current-context: mgmt
        """.formatted(mgmtUrl, remoteUrl);
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /** Marks every endpoint of mgmt-cluster's reviews slice ready or not. */
  private static void setLocalReadiness(boolean ready) {
    EndpointSlice slice = mgmtClient.discovery().v1().endpointSlices().inNamespace("bookinfo").withName("reviews-8kq2w").get();
    slice.getEndpoints().forEach(e -> {
      e.getConditions().setReady(ready);
      e.getConditions().setServing(ready);
    });
    mgmtClient.discovery().v1().endpointSlices().inNamespace("bookinfo").resource(slice).update();
  }

  @Test
  @Order(0)
  @SuppressWarnings("unchecked")
  void theVirtualDestinationResourceShowsItsStatusWrittenBack() {
    Resource<GenericKubernetesResource> resource = mgmtClient
        .genericKubernetesResources("networking.enterprise.mesh.gloo.solo.io/v1beta1", "VirtualDestination")
        .inNamespace("gloo-mesh").withName("bookinfo-global");

    await().atMost(WITHIN).until(() -> resource.get().getAdditionalProperties().get("status") != null);
    Map<?, ?> status = (Map<?, ?>) resource.get().getAdditionalProperties().get("status");
    assertThat(status.get("state")).isEqualTo("ACCEPTED");
    assertThat(status.get("observedGeneration")).isEqualTo(1);
    assertThat((List<Object>) status.get("selectedDestinations")).containsExactlyInAnyOrder(
        Map.of("name", "reviews", "namespace", "bookinfo", "clusterName", "mgmt-cluster"),
        Map.of("name", "reviews", "namespace", "bookinfo", "clusterName", "remote-cluster"));
  }

  @Test
  @Order(1)
  void usEast1aClientIsServedByTheLocalEndpointsFromTheApiServer() {
    await().atMost(WITHIN).until(() -> eastClient.call().isPresent());

    assertThat(eastClient.calls(30)).allMatch(LOCAL::contains);
  }

  @Test
  @Order(2)
  void whenTheLocalEndpointsGoNotReadyCallsMoveToV3() {
    setLocalReadiness(false);

    await().atMost(WITHIN).untilAsserted(() -> assertThat(eastClient.calls(10)).containsOnly("v3"));
  }

  @Test
  @Order(3)
  void whenTheyAreReadyAgainCallsComeBack() {
    setLocalReadiness(true);

    await().atMost(WITHIN).untilAsserted(() -> assertThat(eastClient.calls(10)).allMatch(LOCAL::contains));
  }
}
