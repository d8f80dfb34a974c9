package dev.vicinity.server.debug;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vicinity.server.reconcile.Reconciler;
import dev.vicinity.translator.catalog.Catalog;
import dev.vicinity.translator.explain.Explainer;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code /debug/explain?client=cluster/region/zone&host=reviews.global:9080[&kind=envoy][&network=]
 * [&namespace=][&fail=us-east-1/us-east-1a,other-cluster]}: the explain command's answer, as JSON with
 * its text rendering, from the catalog being served.
 */
final class ExplainPage implements HttpHandler {
  private final Reconciler reconciler;

  ExplainPage(Reconciler reconciler) {
    this.reconciler = reconciler;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Map<String, String> query = HttpResponses.query(exchange);
    if (!query.containsKey("client") || !query.containsKey("host")) {
      HttpResponses.send(exchange, 400, "text/plain", "usage: /debug/explain?client=cluster/region/zone&host=host[:port]"
          + "[&kind=grpc|envoy][&network=N][&namespace=NS][&fail=locality-or-cluster,...]\n");
      return;
    }
    ExplainRequest request;
    try {
      request = ExplainRequest.parse(query.get("client"), query.get("host"), query.getOrDefault("kind", "grpc"),
          query.getOrDefault("network", ""), query.getOrDefault("namespace", ""), Map.of(),
          List.of(query.getOrDefault("fail", "")));
    } catch (IllegalArgumentException e) {
      HttpResponses.send(exchange, 400, "text/plain", e.getMessage() + "\n");
      return;
    }
    HttpResponses.json(exchange, () -> {
      // The catalog being served; before the first translation (clusters not synced yet), one of what is known.
      Catalog catalog = reconciler.catalog().orElseGet(() ->
          Catalog.build(reconciler.inputs().world(), reconciler.inputs().policies(), reconciler.meshes()));
      Explainer.Explanation explanation =
          Explainer.explain(catalog, request.client(), request.host(), request.port(), request.failed());
      ObjectNode root = HttpResponses.MAPPER.valueToTree(explanation);
      root.put("text", Explainer.render(explanation));
      return root;
    });
  }
}
