package dev.vicinity.e2e.conformance;

import java.util.Map;
import java.util.Set;

/**
 * One seed walkthrough as the conformance matrix plays it: the bundled example, the target the clients
 * call, the backends of the clients' own cluster and of the remote one (version to loopback address,
 * as in the example's EndpointSlices), a client in the local cluster, and a client in the other
 * cluster with the versions it alone should see.
 */
record Seed(
    String example,
    String target,
    Map<String, String> localBackends,
    Map<String, String> remoteBackends,
    ClientNode localClient,
    ClientNode otherClusterClient,
    Set<String> otherClusterVersions) {

  Set<String> localVersions() {
    return localBackends.keySet();
  }

  Set<String> remoteVersions() {
    return remoteBackends.keySet();
  }
}
