package dev.vicinity.server.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;

/** Nodes as clients send them. */
public final class TestNodes {
  private TestNodes() {}

  /** A proxyless gRPC client's node in {@code cluster} at {@code region}/{@code zone}. */
  public static Node grpcNode(String id, String cluster, String region, String zone) {
    return Node.newBuilder()
        .setId(id)
        .setUserAgentName("gRPC Java")
        .setLocality(Locality.newBuilder().setRegion(region).setZone(zone))
        .setMetadata(Struct.newBuilder().putFields("CLUSTER_ID", Value.newBuilder().setStringValue(cluster).build()))
        .build();
  }
}
