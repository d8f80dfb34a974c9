package dev.vicinity.benchmarks;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.discovery.MockApiServers;
import dev.vicinity.server.ServerOptions;
import dev.vicinity.server.VicinityServer;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
    KubernetesMockServer mgmt = MockApiServers.started();
    KubernetesMockServer remote = MockApiServers.started();
    KubernetesClient mgmtClient = mgmt.createClient();
    try (KubernetesClient remoteClient = remote.createClient()) {
      MockApiServers.load(mgmtClient, example.resolve("clusters/mgmt-cluster"));
      MockApiServers.load(remoteClient, example.resolve("clusters/remote-cluster"));
      Path config = liveConfig(example, mgmtClient.getMasterUrl().toString(), remoteClient.getMasterUrl().toString());
      VicinityConfig settings = ConfigReader.read("vicinity.yaml", Files.readString(config.resolve("vicinity.yaml"))).config().orElseThrow();
      try (VicinityServer server = VicinityServer.start(ServerOptions.fromConfig(config, settings).withXdsPort(0).withDebugPort(0))) {
        List<Double> millis = measure(server.xdsPort(), mgmtClient, rounds);
        write(report, millis, settings.server().coalesceWindow().toMillis());
      }
    } finally {
      mgmtClient.close();
      mgmt.destroy();
      remote.destroy();
    }
    System.exit(0);
  }

  private static List<Double> measure(int xdsPort, KubernetesClient api, int rounds) throws Exception {
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
    boolean ready = v1Health(first) == HealthStatus.HEALTHY;
    List<Double> millis = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      ready = !ready;
      long start = System.nanoTime();
      setV1Ready(api, ready);
      HealthStatus wanted = ready ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY;
      while (v1Health(next(responses, requests, 30)) != wanted) {
        // an intermediate push (e.g. a resync): keep waiting for the one that shows the change
      }
      millis.add((System.nanoTime() - start) / 1e6);
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

  private static void setV1Ready(KubernetesClient api, boolean ready) {
    EndpointSlice slice = api.discovery().v1().endpointSlices().inNamespace("bookinfo").withName("reviews-8kq2w").get();
    slice.getEndpoints().stream().filter(e -> e.getAddresses().contains("127.0.0.11")).forEach(e -> {
      e.getConditions().setReady(ready);
      e.getConditions().setServing(ready);
    });
    api.discovery().v1().endpointSlices().inNamespace("bookinfo").resource(slice).update();
  }

  private static void write(Path report, List<Double> millis, long coalesceMillis) throws IOException {
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    String md = String.format("""
        # EndpointSlice change to ClusterLoadAssignment at an ADS client

        %d changes of one endpoint's readiness in mgmt-cluster's reviews EndpointSlice, made through the
        Kubernetes API (fabric8 mock API server, CRUD mode, loopback), each timed until a subscribed ADS client
        received the load assignment showing it (informer event, %d ms coalescing window, translation of the
        bookinfo example, snapshot, push). Machine: %d cores, Java %s, %s.

        | p50 | p90 | p99 | max |
        |---|---|---|---|
        | %.1f ms | %.1f ms | %.1f ms | %.1f ms |
        """, sorted.size(), coalesceMillis, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        LocalDate.now(), percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted.get(sorted.size() - 1));
    Files.writeString(report, md);
    System.out.print(md);
  }

  private static double percentile(List<Double> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  /** The example's vicinity.yaml and policies, with both clusters live through a kubeconfig. */
  private static Path liveConfig(Path example, String mgmtUrl, String remoteUrl) throws IOException {
    Path config = Files.createTempDirectory("vicinity-propagation");
    Files.createDirectories(config.resolve("policies"));
    try (Stream<Path> policies = Files.list(example.resolve("policies"))) {
      for (Path policy : policies.toList()) {
        Files.copy(policy, config.resolve("policies").resolve(policy.getFileName()));
      }
    }
    Path kubeconfig = config.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - {name: mgmt, cluster: {server: "%s"}}
        - {name: remote, cluster: {server: "%s"}}
        contexts:
        - {name: mgmt, context: {cluster: mgmt, user: test}}
        - {name: remote, context: {cluster: remote, user: test}}
        users:
        - {name: test, user: {token: test}}
        current-context: mgmt
        """.formatted(mgmtUrl, remoteUrl));
    Files.writeString(config.resolve("vicinity.yaml"), Files.readString(example.resolve("vicinity.yaml"))
        .replace("- name: mgmt-cluster\n  network: network1\n",
            "- name: mgmt-cluster\n  network: network1\n  kubeconfig: " + kubeconfig + "\n  context: mgmt\n")
        .replace("- name: remote-cluster\n  network: network1\n",
            "- name: remote-cluster\n  network: network1\n  kubeconfig: " + kubeconfig + "\n  context: remote\n"));
    return config;
  }
}
