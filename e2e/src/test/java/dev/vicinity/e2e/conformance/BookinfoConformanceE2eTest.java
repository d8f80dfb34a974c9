package dev.vicinity.e2e.conformance;

import java.util.Map;
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
        "bookinfo",
        "reviews.global:9080",
        Map.of("v1", "127.0.0.11", "v2", "127.0.0.12"),
        Map.of("v3", "127.0.0.13"),
        new ClientNode("productpage-east", "mgmt-cluster", "us-east-1", "us-east-1a"),
        new ClientNode("productpage-remote", "remote-cluster", "us-east-2", "us-east-2b"),
        Set.of("v3"));
  }
}
