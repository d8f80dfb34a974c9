package dev.vicinity.server.debug;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.SyncState;
import dev.vicinity.server.reconcile.Reconciler;
import java.io.IOException;

/** {@code /readyz}: 200 once every cluster has synced and snapshots are served; 503 saying what is missing. */
final class ReadinessPage implements HttpHandler {
  private final Reconciler reconciler;

  ReadinessPage(Reconciler reconciler) {
    this.reconciler = reconciler;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (reconciler.ready()) {
      HttpResponses.send(exchange, 200, "text/plain", "ready\n");
      return;
    }
    String unsynced = String.join(", ", reconciler.inputs().world().clusters().values().stream()
        .filter(c -> c.syncState() == SyncState.PENDING || c.syncState() == SyncState.FAILED)
        .map(ClusterWorld::id)
        .map(id -> id.value())
        .toList());
    HttpResponses.send(exchange, 503, "text/plain",
        "not ready: " + (unsynced.isEmpty() ? "no snapshot built yet" : "clusters not synced: " + unsynced) + "\n");
  }
}
