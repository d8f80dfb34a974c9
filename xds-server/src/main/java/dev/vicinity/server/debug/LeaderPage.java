package dev.vicinity.server.debug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vicinity.discovery.leader.StatusLeadership;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code /debug/leader}: the Lease that elects the replica writing policy status, who holds it as this
 * replica last saw, and whether this replica does; or why there is no election.
 */
final class LeaderPage implements HttpHandler {
  private final Optional<StatusLeadership> leadership;

  LeaderPage(Optional<StatusLeadership> leadership) {
    this.leadership = leadership;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    HttpResponses.json(exchange, this::render);
  }

  private JsonNode render() {
    ObjectNode root = HttpResponses.MAPPER.createObjectNode();
    if (leadership.isEmpty()) {
      root.put("election", false);
      root.put("reason", "no live cluster is marked policySource: no status is written, so no replica is elected");
      return root;
    }
    StatusLeadership.State state = leadership.get().state();
    root.put("election", true);
    root.put("cluster", state.cluster());
    root.put("lease", state.lease());
    root.put("identity", state.identity());
    if (state.holder().isPresent()) {
      root.put("holder", state.holder().get());
    } else {
      root.putNull("holder");
    }
    root.put("leading", state.leading());
    return root;
  }
}
