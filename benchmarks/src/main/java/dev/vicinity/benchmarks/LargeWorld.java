package dev.vicinity.benchmarks;

import dev.vicinity.api.policy.DestinationRule;
import dev.vicinity.api.policy.DestinationSelector;
import dev.vicinity.api.policy.ObjectMeta;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.policy.OutlierDetection;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.policy.VirtualDestination;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.DiscoveredService;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.EndpointConditions;
import dev.vicinity.api.world.Locality;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.ServicePort;
import dev.vicinity.api.world.SyncState;
import dev.vicinity.api.world.World;
import dev.vicinity.translator.ClientKind;
import dev.vicinity.translator.ClientProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The benchmark's world, built the same way every time (fixed seed): 10,000 services x 10 endpoints
 * over 4 clusters and 50 localities (5 regions x 5 zones x 2 subzones), 1 in 20 endpoints not ready;
 * 100 VirtualDestinations with outlier detection, each selecting 100 services by label; a
 * DestinationRule with outlier detection and region failover for every service; 8 client groups.
 */
final class LargeWorld {
  static final int SERVICES = 10_000;
  static final int ENDPOINTS_PER_SERVICE = 10;
  static final int VIRTUAL_DESTINATIONS = 100;
  static final List<String> CLUSTERS = List.of("c0", "c1", "c2", "c3");

  private LargeWorld() {}

  static List<Locality> localities() {
    List<Locality> localities = new ArrayList<>();
    for (int r = 0; r < 5; r++) {
      for (int z = 0; z < 5; z++) {
        for (int s = 0; s < 2; s++) {
          localities.add(new Locality("region-" + r, "region-" + r + "-zone-" + z, "subzone-" + s));
        }
      }
    }
    return localities;
  }

  static World world() {
    return world(SERVICES);
  }

  /** The same shape with {@code serviceCount} services (10 endpoints each). */
  static World world(int serviceCount) {
    Random random = new Random(42);
    List<Locality> localities = localities();
    List<List<DiscoveredService>> services = new ArrayList<>();
    List<List<Endpoint>> endpoints = new ArrayList<>();
    CLUSTERS.forEach(c -> {
      services.add(new ArrayList<>());
      endpoints.add(new ArrayList<>());
    });
    for (int i = 0; i < serviceCount; i++) {
      int cluster = i % CLUSTERS.size();
      ClusterId id = ClusterId.of(CLUSTERS.get(cluster));
      ServiceKey key = new ServiceKey("ns-" + (i % 100), "svc-" + i);
      services.get(cluster).add(new DiscoveredService(id, key, Map.of("app", "app-" + (i % VIRTUAL_DESTINATIONS)),
          List.of(new ServicePort("http", 8080, "TCP", ""))));
      for (int e = 0; e < ENDPOINTS_PER_SERVICE; e++) {
        EndpointConditions conditions = random.nextInt(20) == 0 ? EndpointConditions.NOT_READY : EndpointConditions.READY;
        endpoints.get(cluster).add(new Endpoint(id, key, "10." + (i / 250) + "." + (i % 250) + "." + e, "http", 8080,
            localities.get(random.nextInt(localities.size())), "node-" + e, conditions, "network1"));
      }
    }
    List<ClusterWorld> clusters = new ArrayList<>();
    for (int c = 0; c < CLUSTERS.size(); c++) {
      clusters.add(new ClusterWorld(ClusterId.of(CLUSTERS.get(c)), "network1", SyncState.SYNCED, services.get(c), endpoints.get(c)));
    }
    return World.of(clusters);
  }

  static PolicySet policies() {
    List<VirtualDestination> vds = new ArrayList<>();
    for (int i = 0; i < VIRTUAL_DESTINATIONS; i++) {
      vds.add(new VirtualDestination(new ObjectMeta("app-" + i, "gloo-mesh", 1L, Map.of()), new VirtualDestination.Spec(
          "app-" + i + ".global",
          new VirtualDestination.Port(8080, "http", null, null),
          new VirtualDestination.Localized(new OutlierDetection(3, Duration.ofSeconds(5), Duration.ofSeconds(30), 100),
              List.of(new DestinationSelector(
                  new DestinationSelector.KubeServiceMatcher(Map.of("app", "app-" + i), List.of(), List.of()), null)),
              List.of()),
          null, new ObjectRef("virtual-mesh", "gloo-mesh"), null)));
    }
    DestinationRule everyService = new DestinationRule(new ObjectMeta("all", "istio-system", 1L, Map.of()),
        new DestinationRule.Spec("*.svc.cluster.local", new DestinationRule.TrafficPolicy(
            new DestinationRule.LoadBalancer("ROUND_ROBIN", null, new DestinationRule.LocalityLbSetting(true, List.of(),
                List.of(new DestinationRule.Failover("region-0", "region-1")), List.of()), null, null),
            new DestinationRule.OutlierDetection(null, 5, null, null, null, Duration.ofSeconds(10), Duration.ofSeconds(30), 50, null),
            null, null, null, null, null), null, null, null));
    return new PolicySet(vds, List.of(), List.of(everyService));
  }

  static List<ClientProfile> clients() {
    List<ClientProfile> clients = new ArrayList<>();
    List<Locality> localities = localities();
    for (int i = 0; i < 4; i++) {
      Locality locality = localities.get(i * 13);
      clients.add(new ClientProfile(ClientKind.GRPC, CLUSTERS.get(i), locality, "network1"));
      clients.add(new ClientProfile(ClientKind.ENVOY, CLUSTERS.get(i), locality, "network1"));
    }
    return clients;
  }
}
