package dev.vicinity.benchmarks;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * A service the load harness adds to bookinfo's mgmt-cluster to weigh endpoints: {@code name} (port 9080)
 * with {@code endpoints} ready endpoints on 10.x.y.z, in EndpointSlices of at most {@code perSlice}
 * endpoints, as the EndpointSlice controller would cut them.
 */
record ExtraService(String name, int endpoints, int perSlice) {
  private static final String MGMT_NODE = "mgmt-cluster-control-plane";

  Service service() {
    return new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace(BookinfoWorld.NAMESPACE).addToLabels("app", name).endMetadata()
        .withNewSpec().addNewPort().withName("http").withPort(9080).withProtocol("TCP").endPort()
        .addToSelector("app", name).endSpec()
        .build();
  }

  List<EndpointSlice> slices() {
    List<EndpointSlice> slices = new ArrayList<>();
    for (int first = 0; first < endpoints; first += perSlice) {
      List<Endpoint> members = new ArrayList<>();
      for (int i = first; i < Math.min(endpoints, first + perSlice); i++) {
        members.add(new EndpointBuilder()
            .withAddresses("10.%d.%d.%d".formatted(1 + i / 65536, i / 256 % 256, i % 256))
            .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
            .withNodeName(MGMT_NODE)
            .build());
      }
      slices.add(new EndpointSliceBuilder()
          .withNewMetadata().withName(name + "-" + slices.size()).withNamespace(BookinfoWorld.NAMESPACE)
          .addToLabels("kubernetes.io/service-name", name).endMetadata()
          .withAddressType("IPv4")
          .addNewPort().withName("http").withPort(9080).withProtocol("TCP").endPort()
          .withEndpoints(members)
          .build());
    }
    return slices;
  }
}
