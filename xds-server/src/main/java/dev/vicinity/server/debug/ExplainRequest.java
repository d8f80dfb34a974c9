package dev.vicinity.server.debug;

import dev.vicinity.api.world.Locality;
import dev.vicinity.translator.ClientKind;
import dev.vicinity.translator.ClientProfile;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** An explain question, as typed on the command line or given to {@code /debug/explain}. */
public record ExplainRequest(ClientProfile client, String host, Optional<Integer> port, Set<String> failed) {

  /**
   * @param client {@code cluster[/region/zone[/subzone]]}
   * @param hostPort {@code host[:port]}
   * @param kind {@code grpc} or {@code envoy}
   */
  public static ExplainRequest parse(
      String client, String hostPort, String kind, String network, String namespace, Map<String, String> labels, List<String> failed) {
    String[] parts = client.split("/", 2);
    if (parts[0].isEmpty()) {
      throw new IllegalArgumentException("--client: expected cluster[/region/zone[/subzone]], got '" + client + "'");
    }
    Locality locality = parts.length > 1 ? Locality.parse(parts[1]) : Locality.UNKNOWN;
    ClientKind clientKind;
    try {
      clientKind = ClientKind.valueOf(kind.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--kind: expected grpc or envoy, got '" + kind + "'");
    }
    String host = hostPort;
    Optional<Integer> port = Optional.empty();
    int colon = hostPort.lastIndexOf(':');
    if (colon > 0) {
      host = hostPort.substring(0, colon);
      try {
        port = Optional.of(Integer.parseInt(hostPort.substring(colon + 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--host: expected host[:port], got '" + hostPort + "'");
      }
    }
    Set<String> down = new LinkedHashSet<>();
    failed.forEach(f -> down.addAll(Arrays.asList(f.split(","))));
    down.remove("");
    return new ExplainRequest(new ClientProfile(clientKind, parts[0], locality, network, labels, namespace), host, port, down);
  }
}
