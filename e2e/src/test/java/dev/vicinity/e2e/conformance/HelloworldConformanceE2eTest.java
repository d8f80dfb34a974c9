package dev.vicinity.e2e.conformance;

import dev.vicinity.e2e.Examples;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Istio's multicluster failover guide (examples/helloworld) with every proxyless client: a client in
 * cluster1 calling {@code helloworld.sample.svc.cluster.local:5000} gets helloworld-v1, fails over to
 * v2 in cluster2 and comes back; a client in cluster2 gets only v2 throughout.
 */
class HelloworldConformanceE2eTest extends ClientConformanceMatrix {
  @Override
  Seed seed() {
    return new Seed(
        Examples.bundled("helloworld"),
        "helloworld.sample.svc.cluster.local:5000",
        Map.of("v1", "127.0.0.21"),
        Map.of("v2", "127.0.0.22"),
        new ClientNode("curl-cluster1", "cluster1", "network1", "us-east-1", "us-east-1a"),
        Optional.of(new Seed.OtherClusterClient(
            new ClientNode("curl-cluster2", "cluster2", "network1", "us-west-2", "us-west-2a"), Set.of("v2"))));
  }
}
