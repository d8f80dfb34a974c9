package dev.vicinity.benchmarks;

import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.discovery.MockApiServers;
import dev.vicinity.inventory.mapping.KubernetesWorldMapper;
import dev.vicinity.translator.ResourceNames;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated world for Envoy fleets, in three fabric8 mock Kubernetes API servers (CRUD mode,
 * loopback) watched live: every service exists in all three clusters with the same number of ready
 * endpoints in each, spread over the cluster's four zones (cluster k is region-k, zones
 * region-k-zone-0..3: 12 zones in all); one DestinationRule with outlier detection and locality load
 * balancing applies to every service. A change is one endpoint's readiness, flipped through the API.
 */
final class FleetWorld implements GeneratedWorld {
  static final int CLUSTERS = 3;
  static final int ZONES_PER_CLUSTER = 4;
  static final String NAMESPACE = "fleet";
  static final int PORT = 8080;
  /** The endpoint the changes flip: the first of the first service, in the first cluster. */
  static final String CHANGED_SLICE = service(0);

  /** How big the world is: its services, and the ready endpoints each has in each cluster. */
  record Shape(int services, int endpointsPerCluster) {
    Shape {
      if (services < 1 || endpointsPerCluster < 1 || endpointsPerCluster * services > 65_536) {
        throw new IllegalArgumentException("a world needs at least 1 service and 1 endpoint, and at most 65,536"
            + " endpoints per cluster (one 10.k.0.0/16 each); got " + this);
      }
    }

    /** {@code 500x20} (or {@code 500x20x3}): 500 services with 20 endpoints in each of the 3 clusters. */
    static Shape parse(String text) {
      String[] parts = text.split("x");
      boolean clustersSaid = parts.length == 3 && parts[2].equals(Integer.toString(CLUSTERS));
      if (parts.length != 2 && !clustersSaid) {
        throw new IllegalArgumentException("a world is SERVICESxENDPOINTS (or SERVICESxENDPOINTSx" + CLUSTERS
            + "), e.g. 500x20; got '" + text + "'");
      }
      return new Shape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    int endpoints() {
      return services * endpointsPerCluster * CLUSTERS;
    }

    @Override
    public String toString() {
      return services + " services × " + endpointsPerCluster + " endpoints × " + CLUSTERS + " clusters";
    }
  }

  private final Shape shape;
  private final List<KubernetesMockServer> servers;
  private final List<KubernetesClient> clients;
  private final Path config;

  private FleetWorld(Shape shape, List<KubernetesMockServer> servers, List<KubernetesClient> clients, Path config) {
    this.shape = shape;
    this.servers = servers;
    this.clients = clients;
    this.config = config;
  }

  /** Fills three fresh API servers with {@code shape} and writes a configuration that watches them. */
  static FleetWorld start(Shape shape) throws IOException {
    List<KubernetesMockServer> servers = new ArrayList<>();
    List<KubernetesClient> clients = new ArrayList<>();
    try {
      for (int k = 0; k < CLUSTERS; k++) {
        KubernetesMockServer server = MockApiServers.started();
        servers.add(server);
        clients.add(server.createClient());
        fill(clients.get(k), k, shape);
      }
      return new FleetWorld(shape, servers, clients, writeConfig(clients));
    } catch (IOException | RuntimeException e) {
      clients.forEach(KubernetesClient::close);
      servers.forEach(KubernetesMockServer::destroy);
      throw e;
    }
  }

  @Override
  public Shape shape() {
    return shape;
  }

  @Override
  public Path config() {
    return config;
  }

  static String clusterName(int k) {
    return "cluster-" + k;
  }

  static String region(int k) {
    return "region-" + k;
  }

  static String zone(int k, int z) {
    return region(k) + "-zone-" + z;
  }

  /** The load assignment that holds the endpoint the changes flip. */
  static String changedAssignment() {
    return ResourceNames.outboundCluster(ResourceNames.serviceHost(new ServiceKey(NAMESPACE, service(0))), PORT);
  }

  /**
   * Flips the changed endpoint's readiness (and serving) through cluster-0's API server, from what the
   * server holds now: the world outlives each fleet's run, so its state is read rather than assumed.
   */
  @Override
  public void flipChangedEndpoint() {
    KubernetesClient client = clients.get(0);
    EndpointSlice slice = client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).withName(CHANGED_SLICE).get();
    boolean ready = !Boolean.TRUE.equals(slice.getEndpoints().get(0).getConditions().getReady());
    slice.getEndpoints().get(0).getConditions().setReady(ready);
    slice.getEndpoints().get(0).getConditions().setServing(ready);
    client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).resource(slice).update();
  }

  @Override
  public void close() {
    clients.forEach(KubernetesClient::close);
    servers.forEach(KubernetesMockServer::destroy);
  }

  static String service(int i) {
    return "svc-%04d".formatted(i);
  }

  static String node(int k, int z) {
    return clusterName(k) + "-node-" + z;
  }

  /** Cluster k's nodes (one per zone), and every service with one EndpointSlice of its endpoints there. */
  private static void fill(KubernetesClient client, int k, Shape shape) {
    for (int z = 0; z < ZONES_PER_CLUSTER; z++) {
      client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node(k, z))
          .addToLabels(KubernetesWorldMapper.REGION_LABEL, region(k))
          .addToLabels(KubernetesWorldMapper.ZONE_LABEL, zone(k, z)).endMetadata().build()).create();
    }
    for (int i = 0; i < shape.services(); i++) {
      String name = service(i);
      client.services().resource(new ServiceBuilder()
          .withNewMetadata().withName(name).withNamespace(NAMESPACE).addToLabels("app", name).endMetadata()
          .withNewSpec().addNewPort().withName("http").withPort(PORT).withProtocol("TCP").endPort()
          .addToSelector("app", name).endSpec()
          .build()).create();
      List<Endpoint> members = new ArrayList<>();
      for (int e = 0; e < shape.endpointsPerCluster(); e++) {
        int n = i * shape.endpointsPerCluster() + e;
        members.add(new EndpointBuilder()
            .withAddresses("10.%d.%d.%d".formatted(k, n / 256, n % 256))
            .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
            .withNodeName(node(k, e % ZONES_PER_CLUSTER))
            .build());
      }
      client.discovery().v1().endpointSlices().resource(new EndpointSliceBuilder()
          .withNewMetadata().withName(name).withNamespace(NAMESPACE)
          .addToLabels("kubernetes.io/service-name", name).endMetadata()
          .withAddressType("IPv4")
          .addNewPort().withName("http").withPort(PORT).withProtocol("TCP").endPort()
          .withEndpoints(members)
          .build()).create();
    }
  }

  /** vicinity.yaml with the three clusters live through one kubeconfig, and the DestinationRule for all services. */
  private static Path writeConfig(List<KubernetesClient> clients) throws IOException {
    Path config = Files.createTempDirectory("vicinity-fleet");
    Path kubeconfig = config.resolve("kubeconfig");
    StringBuilder clusters = new StringBuilder("clusters:\n");
    StringBuilder contexts = new StringBuilder("contexts:\n");
    StringBuilder watched = new StringBuilder("clusters:\n");
    for (int k = 0; k < clients.size(); k++) {
      String name = clusterName(k);
      clusters.append("- {name: %s, cluster: {server: \"%s\"}}\n".formatted(name, clients.get(k).getMasterUrl()));
      contexts.append("- {name: %s, context: {cluster: %s, user: test}}\n".formatted(name, name));
      watched.append("- name: %s\n  network: network1\n  kubeconfig: %s\n  context: %s\n".formatted(name, kubeconfig, name));
    }
    Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\n" + clusters + contexts
        + "users:\n- {name: test, user: {token: test}}\ncurrent-context: " + clusterName(0) + "\n");
    Files.writeString(config.resolve("vicinity.yaml"), """
        # Generated by the Envoy fleet harness: three clusters, watched live.
        server:
          coalesceWindow: 20ms
        """ + watched);
    writePolicies(config);
    return config;
  }

  /** The DestinationRule for all services, in {@code config/policies/}: the same for every source of the world. */
  static void writePolicies(Path config) throws IOException {
    Files.createDirectories(config.resolve("policies"));
    Files.writeString(config.resolve("policies").resolve("all-services.yaml"), """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: all-services
          namespace: istio-system
        spec:
          host: "*.svc.cluster.local"
          trafficPolicy:
            outlierDetection:
              consecutive5xxErrors: 5
              interval: 10s
              baseEjectionTime: 30s
              maxEjectionPercent: 50
            loadBalancer:
              simple: ROUND_ROBIN
              localityLbSetting:
                enabled: true
        """);
  }
}
