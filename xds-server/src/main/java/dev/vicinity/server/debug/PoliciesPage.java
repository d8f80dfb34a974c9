package dev.vicinity.server.debug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vicinity.api.world.Inputs;
import dev.vicinity.server.reconcile.Reconciler;
import java.io.IOException;

/** {@code /debug/policies}: every policy read, what became of each (status), and the errors reading them. */
final class PoliciesPage implements HttpHandler {
  private final Reconciler reconciler;

  PoliciesPage(Reconciler reconciler) {
    this.reconciler = reconciler;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    HttpResponses.json(exchange, this::render);
  }

  private JsonNode render() {
    Inputs inputs = reconciler.inputs();
    ObjectNode root = HttpResponses.MAPPER.createObjectNode();
    root.set("statuses", HttpResponses.MAPPER.valueToTree(reconciler.statuses()));
    root.set("virtualDestinations", HttpResponses.MAPPER.valueToTree(inputs.policies().virtualDestinations()));
    root.set("trafficPolicies", HttpResponses.MAPPER.valueToTree(inputs.policies().trafficPolicies()));
    root.set("destinationRules", HttpResponses.MAPPER.valueToTree(inputs.policies().destinationRules()));
    ArrayNode errors = root.putArray("errors");
    inputs.errors().forEach(e -> errors.add(e.toString()));
    return root;
  }
}
