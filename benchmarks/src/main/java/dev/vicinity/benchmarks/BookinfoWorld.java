package dev.vicinity.benchmarks;

import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.discovery.MockApiServers;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The bookinfo example held by two fabric8 mock Kubernetes API servers (CRUD mode, loopback), and a
 * configuration directory whose two clusters are watched live through a kubeconfig, so that a World
 * change is an ordinary API call. Shared by the propagation and load harnesses.
 */
final class BookinfoWorld implements LoadWorld {
  static final String NAMESPACE = "bookinfo";
  private static final String REVIEWS_SLICE = "reviews-8kq2w";
  private static final String REVIEWS_V1 = "127.0.0.11";

  private final KubernetesMockServer mgmt;
  private final KubernetesMockServer remote;
  private final KubernetesClient mgmtClient;
  private final KubernetesClient remoteClient;
  private final Path config;
  private final VicinityConfig settings;

  private BookinfoWorld(KubernetesMockServer mgmt, KubernetesMockServer remote, KubernetesClient mgmtClient,
      KubernetesClient remoteClient, Path config, VicinityConfig settings) {
    this.mgmt = mgmt;
    this.remote = remote;
    this.mgmtClient = mgmtClient;
    this.remoteClient = remoteClient;
    this.config = config;
    this.settings = settings;
  }

  /** Loads {@code example}'s two clusters into fresh API servers and writes a live configuration for them. */
  static BookinfoWorld start(Path example) throws IOException {
    KubernetesMockServer mgmt = MockApiServers.started();
    KubernetesMockServer remote = MockApiServers.started();
    KubernetesClient mgmtClient = mgmt.createClient();
    KubernetesClient remoteClient = remote.createClient();
    try {
      MockApiServers.load(mgmtClient, example.resolve("clusters/mgmt-cluster"));
      MockApiServers.load(remoteClient, example.resolve("clusters/remote-cluster"));
      Path config = liveConfig(example, mgmtClient.getMasterUrl().toString(), remoteClient.getMasterUrl().toString());
      VicinityConfig settings = ConfigReader.read("vicinity.yaml", Files.readString(config.resolve("vicinity.yaml")))
          .config().orElseThrow();
      return new BookinfoWorld(mgmt, remote, mgmtClient, remoteClient, config, settings);
    } catch (IOException | RuntimeException e) {
      mgmtClient.close();
      remoteClient.close();
      mgmt.destroy();
      remote.destroy();
      throw e;
    }
  }

  /** The configuration directory: the example's vicinity.yaml and policies, both clusters live. */
  @Override
  public Path config() {
    return config;
  }

  @Override
  public VicinityConfig settings() {
    return settings;
  }

  /** Sets reviews-v1's readiness (and serving) in mgmt-cluster's reviews EndpointSlice, through the API. */
  @Override
  public void setReviewsV1Ready(boolean ready) {
    EndpointSlice slice = mgmtClient.discovery().v1().endpointSlices().inNamespace(NAMESPACE).withName(REVIEWS_SLICE).get();
    slice.getEndpoints().stream().filter(e -> e.getAddresses().contains(REVIEWS_V1)).forEach(e -> {
      e.getConditions().setReady(ready);
      e.getConditions().setServing(ready);
    });
    mgmtClient.discovery().v1().endpointSlices().inNamespace(NAMESPACE).resource(slice).update();
  }

  @Override
  public void add(ExtraService extra) {
    mgmtClient.services().resource(extra.service()).create();
    extra.slices().forEach(slice -> mgmtClient.discovery().v1().endpointSlices().resource(slice).create());
  }

  @Override
  public void remove(ExtraService extra) {
    for (EndpointSlice slice : extra.slices()) {
      mgmtClient.discovery().v1().endpointSlices().inNamespace(NAMESPACE).withName(slice.getMetadata().getName()).delete();
    }
    mgmtClient.services().inNamespace(NAMESPACE).withName(extra.name()).delete();
  }

  @Override
  public void close() {
    mgmtClient.close();
    remoteClient.close();
    mgmt.destroy();
    remote.destroy();
  }

  private static Path liveConfig(Path example, String mgmtUrl, String remoteUrl) throws IOException {
    Path config = Files.createTempDirectory("vicinity-bookinfo");
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
