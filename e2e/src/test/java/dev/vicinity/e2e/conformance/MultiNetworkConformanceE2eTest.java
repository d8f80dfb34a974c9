package dev.vicinity.e2e.conformance;

import dev.vicinity.e2e.Examples;
import java.util.Map;
import java.util.Optional;

/**
 * Multi-network with every proxyless client (test world {@code multi-network}): a client in cluster west
 * on network2, us-west-2a, calling {@code ratings.shop.svc.cluster.local:8080} gets its own network's
 * backend ("west"), fails over to network1 through network1's east-west gateway when it stops (a backend
 * at the gateway's address answers "via-gateway", as network1 would), and comes back. network1's
 * endpoints lie in two localities behind that one gateway: before gRPC clients got each address once per
 * load assignment, C-core refused every one ("duplicate endpoint address"). Nothing listens at network1's
 * endpoint addresses, so a client that reached them directly would fail.
 */
class MultiNetworkConformanceE2eTest extends ClientConformanceMatrix {
  @Override
  Seed seed() {
    return new Seed(
        Examples.testWorld("multi-network"),
        "ratings.shop.svc.cluster.local:8080",
        Map.of("west", "127.0.0.41"),
        Map.of("via-gateway", "127.0.0.30"),
        new ClientNode("ratings-client-west", "west", "network2", "us-west-2", "us-west-2a"),
        Optional.empty());
  }
}
