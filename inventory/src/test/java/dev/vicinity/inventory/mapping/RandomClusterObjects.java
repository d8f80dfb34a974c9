package dev.vicinity.inventory.mapping;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random Nodes, Services and EndpointSlices of a small cluster, for property tests of mapping them. */
public final class RandomClusterObjects {
  public static final List<String> NAMESPACES = List.of("bookinfo", "shop");
  static final List<String> SERVICES = List.of("reviews", "ratings", "details", "cart");
  public static final List<String> NODES = List.of("n1", "n2", "n3", "n4", "n5");

  private RandomClusterObjects() {}

  public static Node node(String name, Random random) {
    Map<String, String> labels = new HashMap<>();
    if (random.nextInt(5) > 0) {
      labels.put(KubernetesWorldMapper.REGION_LABEL, pick(random, "us-east-1", "eu-west-1"));
      labels.put(KubernetesWorldMapper.ZONE_LABEL, pick(random, "a", "b"));
    }
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
  }

  /** The same node with a new status: a new instance whose locality is what it was. */
  static Node heartbeat(Node node, Random random) {
    return new NodeBuilder(node).editMetadata().addToAnnotations("heartbeat", Integer.toString(random.nextInt()))
        .endMetadata().build();
  }

  public static Service service(Random random) {
    return new ServiceBuilder()
        .withNewMetadata().withName(pick(random, SERVICES)).withNamespace(pick(random, NAMESPACES))
        .withLabels(Map.of("version", pick(random, "v1", "v2"))).endMetadata()
        .withNewSpec().addNewPort().withName("http").withPort(9080).withProtocol("TCP").endPort().endSpec()
        .build();
  }

  /** A slice of a random service (or of none), with a few endpoints on the nodes above, some invalid. */
  public static EndpointSlice slice(Random random, String namespace, String name) {
    Map<String, String> labels = new HashMap<>();
    if (random.nextInt(8) > 0) {
      labels.put(KubernetesWorldMapper.SERVICE_NAME_LABEL, pick(random, SERVICES));
    }
    EndpointSliceBuilder slice = new EndpointSliceBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace)
        .withLabels(labels).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("http").withPort(9080).endPort();
    if (random.nextBoolean()) {
      slice.addNewPort().withName("admin").withPort(15000).endPort();
    }
    int endpoints = random.nextInt(5);
    for (int i = 0; i < endpoints; i++) {
      // Few addresses, so that one backend often sits in two slices of a service.
      String address = random.nextInt(30) == 0 ? "not-an-ip" : "10.0.0." + random.nextInt(6);
      EndpointBuilder endpoint = new EndpointBuilder().withAddresses(address)
          .withNodeName(random.nextInt(6) == 0 ? null : pick(random, NODES))
          .withNewConditions().withReady(random.nextBoolean()).withTerminating(random.nextInt(4) == 0).endConditions();
      if (random.nextBoolean()) {
        endpoint.withZone(pick(random, "us-central1-a", "us-central1-b"));
      }
      slice.addToEndpoints(endpoint.build());
    }
    return slice.build();
  }

  @SafeVarargs
  public static <T> T pick(Random random, T... values) {
    return values[random.nextInt(values.length)];
  }

  public static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
