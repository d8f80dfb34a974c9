package dev.vicinity.server.debug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vicinity.server.reconcile.Reconciler;
import dev.vicinity.server.xds.SnapshotStore;
import dev.vicinity.server.xds.XdsSnapshot;
import dev.vicinity.server.xds.XdsType;
import dev.vicinity.translator.ClientProfile;
import java.io.IOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;

/**
 * {@code /debug/snapshots}: every node group's snapshot (versions, then its resources as Envoy JSON), and
 * the snapshots not published because their clients would refuse them.
 */
final class SnapshotsPage implements HttpHandler {
  private final SnapshotStore store;
  private final Reconciler reconciler;

  SnapshotsPage(SnapshotStore store, Reconciler reconciler) {
    this.store = store;
    this.reconciler = reconciler;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    HttpResponses.json(exchange, this::render);
  }

  private JsonNode render() {
    ArrayNode groups = HttpResponses.MAPPER.createArrayNode();
    store.groups().stream().sorted(Comparator.comparing(ClientProfile::toString)).forEach(group -> {
      XdsSnapshot snapshot = store.get(group);
      if (snapshot == null) {
        return;
      }
      ObjectNode entry = groups.addObject();
      entry.put("group", group.toString());
      ObjectNode versions = entry.putObject("versions");
      for (XdsType type : XdsType.values()) {
        versions.put(type.name().toLowerCase(Locale.ROOT), snapshot.version(type));
      }
      entry.set("clusters", resources(snapshot.messages(XdsType.CLUSTER).values()));
      entry.set("endpoints", resources(snapshot.messages(XdsType.ENDPOINT).values()));
      entry.set("listeners", resources(snapshot.messages(XdsType.LISTENER).values()));
      entry.set("routes", resources(snapshot.messages(XdsType.ROUTE).values()));
    });
    ObjectNode root = HttpResponses.MAPPER.createObjectNode();
    root.set("groups", groups);
    root.set("refused", HttpResponses.MAPPER.valueToTree(reconciler.refusals()));
    return root;
  }

  private static ArrayNode resources(Collection<? extends Message> messages) {
    ArrayNode array = HttpResponses.MAPPER.createArrayNode();
    messages.stream().map(EnvoyJson::tree).forEach(array::add);
    return array;
  }
}
