package dev.vicinity.server.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request of either protocol, as the stream reads it. State of the world names every resource it
 * wants ({@code names}) and the version it holds; delta names what it adds and drops, and on its first
 * request what it holds from before ({@code initialVersions}).
 *
 * @param node only the first request of a stream is sure to carry one
 * @param error the client's message when this request rejects the response it answers (a NACK)
 */
record XdsRequest(
    String typeUrl,
    Optional<Node> node,
    String nonce,
    String versionInfo,
    List<String> names,
    List<String> subscribe,
    List<String> unsubscribe,
    Map<String, String> initialVersions,
    Optional<String> error) {

  static XdsRequest of(DiscoveryRequest request) {
    return new XdsRequest(request.getTypeUrl(), request.hasNode() ? Optional.of(request.getNode()) : Optional.empty(),
        request.getResponseNonce(), request.getVersionInfo(), request.getResourceNamesList(), List.of(), List.of(),
        Map.of(), request.hasErrorDetail() ? Optional.of(errorMessage(request.getErrorDetail())) : Optional.empty());
  }

  static XdsRequest of(DeltaDiscoveryRequest request) {
    return new XdsRequest(request.getTypeUrl(), request.hasNode() ? Optional.of(request.getNode()) : Optional.empty(),
        request.getResponseNonce(), "", List.of(), request.getResourceNamesSubscribeList(),
        request.getResourceNamesUnsubscribeList(), request.getInitialResourceVersionsMap(),
        request.hasErrorDetail() ? Optional.of(errorMessage(request.getErrorDetail())) : Optional.empty());
  }

  boolean isNack() {
    return error.isPresent();
  }

  /** The NACK's message as {@code /debug/proxies} shows it: the gRPC code, then the client's words. */
  private static String errorMessage(com.google.rpc.Status detail) {
    String code = io.grpc.Status.fromCodeValue(detail.getCode()).getCode().name();
    return detail.getMessage().isEmpty() ? code : code + ": " + detail.getMessage();
  }
}
