package dev.vicinity.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.SyncState;
import dev.vicinity.api.yaml.Durations;
import dev.vicinity.discovery.Inputs;
import dev.vicinity.translator.Catalog;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.translator.Explainer;
import dev.vicinity.api.policy.PolicyStatus;
import dev.vicinity.server.xds.Proxies;
import dev.vicinity.server.xds.SnapshotStore;
import dev.vicinity.server.xds.XdsSnapshot;
import dev.vicinity.server.xds.XdsType;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The operator's window: {@code /debug/snapshots} (each node group's resources as Envoy JSON),
 * {@code /debug/world}, {@code /debug/policies} (with status), {@code /debug/explain},
 * {@code /debug/proxies} (every connected proxy, its ACKs and NACKs), {@code /metrics} (Prometheus text),
 * {@code /healthz} and {@code /readyz}; those paths exactly, GET and HEAD only.
 *
 * <p>The probes and {@code /metrics} answer anyone who reaches the address; the {@code /debug/} pages,
 * which show the whole configuration, answer loopback clients only (a local shell, {@code kubectl
 * port-forward}), so binding a pod address for kubelet's probes and Prometheus exposes nothing more.
 * Slow or stalled clients cannot starve the probes: requests are served by several threads, and a
 * request not received within {@link #REQUEST_READ_TIMEOUT} (or a response not taken within
 * {@link #RESPONSE_WRITE_TIMEOUT}) has its connection closed.
 */
final class DebugServer implements AutoCloseable {
  static final Duration REQUEST_READ_TIMEOUT = Duration.ofSeconds(10);
  static final Duration RESPONSE_WRITE_TIMEOUT = Duration.ofSeconds(60);
  private static final int THREADS = 16;
  private static final Set<String> METHODS = Set.of("GET", "HEAD");

  static {
    // The JDK's HTTP server reads these once, process-wide, when its first instance is made; it has no
    // per-server setting. A value the operator set with -D wins.
    setIfAbsent("sun.net.httpserver.maxReqTime", REQUEST_READ_TIMEOUT);
    setIfAbsent("sun.net.httpserver.maxRspTime", RESPONSE_WRITE_TIMEOUT);
  }

  private static void setIfAbsent(String property, Duration seconds) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Long.toString(seconds.toSeconds()));
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .registerModule(new Jdk8Module())
      .registerModule(new SimpleModule("durations").addSerializer(Duration.class, new StdSerializer<>(Duration.class) {
        @Override
        public void serialize(Duration value, JsonGenerator generator, SerializerProvider provider) throws IOException {
          generator.writeString(Durations.format(value)); // as users write it: 5s, not PT5S
        }
      }));

  private final HttpServer http;
  private final ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), runnable -> {
        Thread thread = new Thread(runnable, "vicinity-debug-http");
        thread.setDaemon(true);
        return thread;
      });

  DebugServer(InetSocketAddress address, SnapshotStore cache, Reconciler reconciler, Proxies proxies,
      PrometheusMeterRegistry metrics) throws IOException {
    executor.allowCoreThreadTimeOut(true);
    http = HttpServer.create(address, 0);
    http.setExecutor(executor);
    http.createContext("/", exchange -> send(exchange, 404, "text/plain", "not found: " + PATHS + "\n"));
    route("/healthz", exchange -> send(exchange, 200, "text/plain", "ok\n"));
    route("/readyz", exchange -> {
      String unsynced = unsynced(reconciler.inputs());
      if (reconciler.ready()) {
        send(exchange, 200, "text/plain", "ready\n");
      } else {
        send(exchange, 503, "text/plain",
            "not ready: " + (unsynced.isEmpty() ? "no snapshot built yet" : "clusters not synced: " + unsynced) + "\n");
      }
    });
    route("/debug/snapshots", exchange -> json(exchange, () -> snapshots(cache, reconciler.refusals())));
    route("/debug/world", exchange -> json(exchange, () -> MAPPER.valueToTree(reconciler.inputs().world())));
    route("/debug/explain", exchange -> explain(exchange, reconciler));
    route("/debug/proxies", exchange -> json(exchange, () -> {
      ObjectNode root = MAPPER.createObjectNode();
      root.set("proxies", MAPPER.valueToTree(proxies.list()));
      return root;
    }));
    route("/metrics", exchange -> send(exchange, 200, "text/plain; version=0.0.4", metrics.scrape()));
    route("/debug/policies", exchange -> json(exchange, () -> policies(reconciler.inputs(), reconciler.statuses())));
    http.start();
  }

  private static final List<String> PATHS = List.of("/healthz", "/readyz", "/metrics", "/debug/snapshots", "/debug/world",
      "/debug/policies", "/debug/explain", "/debug/proxies");

  /** Serves {@code path} exactly (the JDK's contexts match any path it prefixes), to GET and HEAD. */
  private void route(String path, HttpHandler handler) {
    if (!PATHS.contains(path)) {
      throw new IllegalArgumentException("undocumented path " + path);
    }
    http.createContext(path, exchange -> {
      try (exchange) {
        if (!exchange.getRequestURI().getPath().equals(path)) {
          send(exchange, 404, "text/plain", "not found: " + PATHS + "\n");
        } else if (!METHODS.contains(exchange.getRequestMethod())) {
          exchange.getResponseHeaders().set("Allow", "GET, HEAD");
          send(exchange, 405, "text/plain", exchange.getRequestMethod() + " is not allowed: GET or HEAD\n");
        } else if (path.startsWith("/debug/") && !exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
          send(exchange, 403, "text/plain", "the /debug/ pages answer loopback clients only"
              + " (e.g. through kubectl port-forward); /healthz, /readyz and /metrics answer everyone\n");
        } else {
          handler.handle(exchange);
        }
      }
    });
  }

  InetSocketAddress address() {
    return http.getAddress();
  }

  private static String unsynced(Inputs inputs) {
    return String.join(", ", inputs.world().clusters().values().stream()
        .filter(c -> c.syncState() == SyncState.PENDING || c.syncState() == SyncState.FAILED)
        .map(ClusterWorld::id)
        .map(id -> id.value())
        .toList());
  }

  /** Every group's snapshot, and the snapshots not published because their clients would refuse them. */
  private static JsonNode snapshots(SnapshotStore cache, List<SnapshotAcceptance.Refusal> refusals) {
    ArrayNode groups = MAPPER.createArrayNode();
    cache.groups().stream().sorted(Comparator.comparing(ClientProfile::toString)).forEach(group -> {
      XdsSnapshot snapshot = cache.get(group);
      if (snapshot == null) {
        return;
      }
      ObjectNode entry = groups.addObject();
      entry.put("group", group.toString());
      ObjectNode versions = entry.putObject("versions");
      for (XdsType type : XdsType.values()) {
        versions.put(type.name().toLowerCase(java.util.Locale.ROOT), snapshot.version(type));
      }
      entry.set("clusters", resources(snapshot.messages(XdsType.CLUSTER).values()));
      entry.set("endpoints", resources(snapshot.messages(XdsType.ENDPOINT).values()));
      entry.set("listeners", resources(snapshot.messages(XdsType.LISTENER).values()));
      entry.set("routes", resources(snapshot.messages(XdsType.ROUTE).values()));
    });
    ObjectNode root = MAPPER.createObjectNode();
    root.set("groups", groups);
    root.set("refused", MAPPER.valueToTree(refusals));
    return root;
  }

  private static ArrayNode resources(Collection<? extends Message> messages) {
    ArrayNode array = MAPPER.createArrayNode();
    messages.stream().map(EnvoyJson::tree).forEach(array::add);
    return array;
  }

  private static JsonNode policies(Inputs inputs, List<PolicyStatus> statuses) {
    ObjectNode root = MAPPER.createObjectNode();
    root.set("statuses", MAPPER.valueToTree(statuses));
    root.set("virtualDestinations", MAPPER.valueToTree(inputs.policies().virtualDestinations()));
    root.set("trafficPolicies", MAPPER.valueToTree(inputs.policies().trafficPolicies()));
    root.set("destinationRules", MAPPER.valueToTree(inputs.policies().destinationRules()));
    ArrayNode errors = root.putArray("errors");
    inputs.errors().forEach(e -> errors.add(e.toString()));
    return root;
  }

  /**
   * {@code /debug/explain?client=cluster/region/zone&host=reviews.global:9080[&kind=envoy][&network=]
   * [&namespace=][&fail=us-east-1/us-east-1a,other-cluster]}: the explain command's answer, as JSON with
   * its text rendering.
   */
  private static void explain(HttpExchange exchange, Reconciler reconciler) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    if (!query.containsKey("client") || !query.containsKey("host")) {
      send(exchange, 400, "text/plain", "usage: /debug/explain?client=cluster/region/zone&host=host[:port]"
          + "[&kind=grpc|envoy][&network=N][&namespace=NS][&fail=locality-or-cluster,...]\n");
      return;
    }
    ExplainRequest request;
    try {
      request = ExplainRequest.parse(query.get("client"), query.get("host"), query.getOrDefault("kind", "grpc"),
          query.getOrDefault("network", ""), query.getOrDefault("namespace", ""), Map.of(),
          List.of(query.getOrDefault("fail", "")));
    } catch (IllegalArgumentException e) {
      send(exchange, 400, "text/plain", e.getMessage() + "\n");
      return;
    }
    json(exchange, () -> {
      // The catalog being served; before the first translation (clusters not synced yet), one of what is known.
      Catalog catalog = reconciler.catalog().orElseGet(() ->
          Catalog.build(reconciler.inputs().world(), reconciler.inputs().policies(), reconciler.meshes()));
      Explainer.Explanation explanation =
          Explainer.explain(catalog, request.client(), request.host(), request.port(), request.failed());
      ObjectNode root = MAPPER.valueToTree(explanation);
      root.put("text", Explainer.render(explanation));
      return root;
    });
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new java.util.HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int equals = pair.indexOf('=');
        String key = java.net.URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
        String value = equals < 0 ? "" : java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
        query.put(key, value);
      }
    }
    return query;
  }

  private static void json(HttpExchange exchange, Supplier<JsonNode> body) throws IOException {
    try {
      send(exchange, 200, "application/json", MAPPER.writeValueAsString(body.get()) + "\n");
    } catch (RuntimeException e) {
      send(exchange, 500, "text/plain", "cannot render: " + e.getMessage() + "\n");
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType + "; charset=utf-8");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
  }
}
