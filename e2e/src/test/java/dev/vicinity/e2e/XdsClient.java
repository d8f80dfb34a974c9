package dev.vicinity.e2e;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.xds.XdsNameResolverProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real proxyless gRPC client (grpc-xds) with its own bootstrap: node id, locality and
 * {@code CLUSTER_ID} as an Istio sidecar would send them, ADS over plaintext to the control plane.
 * Each client gets its own resolver scheme and therefore its own xDS client and node identity.
 */
final class XdsClient implements AutoCloseable {
  private final ManagedChannel channel;

  private XdsClient(ManagedChannel channel) {
    this.channel = channel;
  }

  /**
   * A client whose bootstrap is the README's {@code deploy/grpc-bootstrap.json} with the server's port,
   * and this client's node id, locality and cluster.
   */
  @SuppressWarnings("unchecked")
  static XdsClient connect(String target, int xdsPort, String nodeId, String cluster, String region, String zone) {
    String scheme = "xds-" + nodeId;
    Map<String, Object> bootstrap = readBootstrapTemplate();
    ((Map<String, Object>) ((List<Object>) bootstrap.get("xds_servers")).get(0)).put("server_uri", "127.0.0.1:" + xdsPort);
    Map<String, Object> node = (Map<String, Object>) bootstrap.get("node");
    node.put("id", nodeId);
    node.put("locality", Map.of("region", region, "zone", zone));
    ((Map<String, Object>) node.get("metadata")).put("CLUSTER_ID", cluster);
    XdsNameResolverProvider resolver = XdsNameResolverProvider.createForTest(scheme, bootstrap);
    @SuppressWarnings("deprecation") // the supported way to give one channel its own resolver
    ManagedChannel channel = ManagedChannelBuilder.forTarget(scheme + ":///" + target)
        .nameResolverFactory(resolver)
        .usePlaintext()
        .build();
    return new XdsClient(channel);
  }

  private static Map<String, Object> readBootstrapTemplate() {
    Path file = Path.of(System.getProperty("vicinity.root", "..")).resolve("deploy/grpc-bootstrap.json");
    try {
      return new ObjectMapper().readValue(file.toFile(), new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The version that answered, or empty if the call failed (no backend reachable yet, or failing over). */
  Optional<String> call() {
    try {
      return Optional.of(ClientCalls.blockingUnaryCall(
          channel, VersionService.VERSION, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS),
          Empty.getDefaultInstance()).getValue());
    } catch (StatusRuntimeException e) {
      return Optional.empty();
    }
  }

  /** The answers of {@code count} calls in a row; a failed call counts as "failed". */
  List<String> calls(int count) {
    return java.util.stream.IntStream.range(0, count).mapToObj(i -> call().orElse("failed")).toList();
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
