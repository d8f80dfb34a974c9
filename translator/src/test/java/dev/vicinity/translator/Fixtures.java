package dev.vicinity.translator;

import dev.vicinity.api.policy.DestinationSelector;
import dev.vicinity.api.policy.ObjectMeta;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.policy.OutlierDetection;
import dev.vicinity.api.policy.VirtualDestination;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.DiscoveredService;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.EndpointConditions;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.ServicePort;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Small builders for translator tests: worlds and policies without YAML. */
public final class Fixtures {
  public static final ServiceKey REVIEWS = new ServiceKey("bookinfo", "reviews");

  private Fixtures() {}

  public static DiscoveredService reviews(String cluster) {
    return new DiscoveredService(ClusterId.of(cluster), REVIEWS, Map.of("app", "reviews"),
        List.of(new ServicePort("http", 9080, "TCP", "")));
  }

  public static Endpoint endpoint(String cluster, String address, Locality locality) {
    return endpoint(cluster, address, locality, EndpointConditions.READY);
  }

  public static Endpoint endpoint(String cluster, String address, Locality locality, EndpointConditions conditions) {
    return new Endpoint(ClusterId.of(cluster), REVIEWS, address, "http", 9080, locality, "node-" + address,
        conditions, "network1");
  }

  public static VirtualDestination reviewsGlobal(OutlierDetection outlierDetection) {
    return new VirtualDestination(
        new ObjectMeta("bookinfo-global", "gloo-mesh", 1L, Map.of()),
        new VirtualDestination.Spec(
            "reviews.global",
            new VirtualDestination.Port(9080, "http", null, null),
            new VirtualDestination.Localized(outlierDetection,
                List.of(new DestinationSelector(
                    new DestinationSelector.KubeServiceMatcher(Map.of("app", "reviews"), List.of(), List.of()), null)),
                List.of()),
            null,
            new ObjectRef("virtual-mesh", "gloo-mesh"),
            null));
  }

  public static OutlierDetection outlierDetection() {
    return new OutlierDetection(1, Duration.ofSeconds(5), Duration.ofSeconds(120), 100);
  }

  public static ClientProfile grpcClient(String cluster, Locality locality) {
    return new ClientProfile(ClientKind.GRPC, cluster, locality, "");
  }
}
