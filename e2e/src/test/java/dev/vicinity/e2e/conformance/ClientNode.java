package dev.vicinity.e2e.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Who a conformance client says it is: node id, Kubernetes cluster, network and locality, as an Istio
 * sidecar's bootstrap carries them. Written into the README's {@code deploy/grpc-bootstrap.json} in place
 * of the example's values; the file goes to the client in {@code GRPC_XDS_BOOTSTRAP}.
 */
record ClientNode(String id, String cluster, String network, String region, String zone) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The same node under another id, so that each client process can be told apart on the server. */
  ClientNode withId(String otherId) {
    return new ClientNode(otherId, cluster, network, region, zone);
  }

  /** This node's bootstrap for a control plane on {@code 127.0.0.1:xdsPort}, written to {@code file}. */
  Path writeBootstrap(Path root, int xdsPort, Path file) throws IOException {
    ObjectNode bootstrap = (ObjectNode) JSON.readTree(root.resolve("deploy/grpc-bootstrap.json").toFile());
    ((ObjectNode) bootstrap.withArray("xds_servers").get(0)).put("server_uri", "127.0.0.1:" + xdsPort);
    ObjectNode node = (ObjectNode) bootstrap.get("node");
    node.put("id", id);
    node.putObject("locality").put("region", region).put("zone", zone);
    ((ObjectNode) node.get("metadata")).put("CLUSTER_ID", cluster).put("NETWORK", network);
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), bootstrap);
    return file;
  }

  @Override
  public String toString() {
    return id + " (" + cluster + ", " + network + ", " + region + "/" + zone + ")";
  }
}
