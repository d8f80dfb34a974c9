package dev.vicinity.e2e.conformance;

import dev.vicinity.e2e.Examples;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Gloo Mesh "Routing Based On Locality" walkthrough (examples/bookinfo) with every proxyless
 * client: a productpage in mgmt-cluster, us-east-1a, calling {@code reviews.global:9080} gets
 * reviews-v1/v2, fails over to reviews-v3 in remote-cluster and comes back; a client in remote-cluster,
 * us-east-2b, gets only v3 throughout. grpc-js crashed here ("Reduce of empty array with no initial
 * value") while success-rate ejection was left on.
 */
class BookinfoConformanceE2eTest extends ClientConformanceMatrix {
  @Override
  Seed seed() {
    return new Seed(
        Examples.bundled("bookinfo"),
        "reviews.global:9080",
        Map.of("v1", "127.0.0.11", "v2", "127.0.0.12"),
        Map.of("v3", "127.0.0.13"),
        new ClientNode("productpage-east", "mgmt-cluster", "network1", "us-east-1", "us-east-1a"),
        Optional.of(new Seed.OtherClusterClient(
            new ClientNode("productpage-remote", "remote-cluster", "network1", "us-east-2", "us-east-2b"), Set.of("v3"))));
  }
}
