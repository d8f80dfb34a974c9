package dev.vicinity.e2e.conformance;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One walkthrough as the conformance matrix plays it: its configuration directory (a bundled example
 * or a test world), the target the clients call, the backends of the clients' own cluster and the
 * remote ones (version to the loopback address a backend listens on: an EndpointSlice address, or a
 * remote network's east-west gateway), a client in the local cluster, and optionally a client in the
 * other cluster that should stay there.
 */
record Seed(
    Path config,
    String target,
    Map<String, String> localBackends,
    Map<String, String> remoteBackends,
    ClientNode localClient,
    Optional<OtherClusterClient> otherClusterClient) {

  /** A client in the other cluster, and the versions it alone should see. */
  record OtherClusterClient(ClientNode node, Set<String> versions) {}

  Set<String> localVersions() {
    return localBackends.keySet();
  }

  Set<String> remoteVersions() {
    return remoteBackends.keySet();
  }
}
