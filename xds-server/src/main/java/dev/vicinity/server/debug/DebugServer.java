package dev.vicinity.server.debug;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.vicinity.discovery.leader.StatusLeadership;
import dev.vicinity.server.reconcile.Reconciler;
import dev.vicinity.server.xds.Proxies;
import dev.vicinity.server.xds.SnapshotStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The operator's window: {@code /debug/snapshots} (each node group's resources as Envoy JSON),
 * {@code /debug/world}, {@code /debug/policies} (with status), {@code /debug/explain},
 * {@code /debug/proxies} (every connected proxy, its ACKs and NACKs), {@code /debug/leader} (which replica
 * writes policy status), {@code /metrics} (Prometheus text), {@code /healthz} and {@code /readyz}; those
 * paths exactly, GET and HEAD only.
 *
 * <p>The probes and {@code /metrics} answer anyone who reaches the address; the {@code /debug/} pages,
 * which show the whole configuration, answer loopback clients only (a local shell, {@code kubectl
 * port-forward}), so binding a pod address for kubelet's probes and Prometheus exposes nothing more.
 * Slow or stalled clients cannot starve the probes: requests are served by several threads, and a
 * request not received within {@link #REQUEST_READ_TIMEOUT} (or a response not taken within
 * {@link #RESPONSE_WRITE_TIMEOUT}) has its connection closed.
 */
public final class DebugServer implements AutoCloseable {
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

  private final HttpServer http;
  private final ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), runnable -> {
        Thread thread = new Thread(runnable, "vicinity-debug-http");
        thread.setDaemon(true);
        return thread;
      });

  /** @param leadership the election for writing policy status; absent when nothing is written */
  public DebugServer(InetSocketAddress address, SnapshotStore store, Reconciler reconciler, Proxies proxies,
      Optional<StatusLeadership> leadership, PrometheusMeterRegistry metrics) throws IOException {
    executor.allowCoreThreadTimeOut(true);
    http = HttpServer.create(address, 0);
    http.setExecutor(executor);
    http.createContext("/", exchange -> HttpResponses.send(exchange, 404, "text/plain", "not found: " + PATHS + "\n"));
    route("/healthz", exchange -> HttpResponses.send(exchange, 200, "text/plain", "ok\n"));
    route("/readyz", new ReadinessPage(reconciler));
    route("/metrics", exchange -> HttpResponses.send(exchange, 200, "text/plain; version=0.0.4", metrics.scrape()));
    route("/debug/snapshots", new SnapshotsPage(store, reconciler));
    route("/debug/world", exchange -> HttpResponses.json(exchange,
        () -> HttpResponses.MAPPER.valueToTree(reconciler.inputs().world())));
    route("/debug/policies", new PoliciesPage(reconciler));
    route("/debug/explain", new ExplainPage(reconciler));
    route("/debug/proxies", exchange -> HttpResponses.json(exchange,
        () -> HttpResponses.MAPPER.valueToTree(Map.of("proxies", proxies.list()))));
    route("/debug/leader", new LeaderPage(leadership));
    http.start();
  }

  private static final List<String> PATHS = List.of("/healthz", "/readyz", "/metrics", "/debug/snapshots", "/debug/world",
      "/debug/policies", "/debug/explain", "/debug/proxies", "/debug/leader");

  /** Serves {@code path} exactly (the JDK's contexts match any path it prefixes), to GET and HEAD. */
  private void route(String path, HttpHandler handler) {
    if (!PATHS.contains(path)) {
      throw new IllegalArgumentException("undocumented path " + path);
    }
    http.createContext(path, exchange -> {
      try (exchange) {
        if (!exchange.getRequestURI().getPath().equals(path)) {
          HttpResponses.send(exchange, 404, "text/plain", "not found: " + PATHS + "\n");
        } else if (!METHODS.contains(exchange.getRequestMethod())) {
          exchange.getResponseHeaders().set("Allow", "GET, HEAD");
          HttpResponses.send(exchange, 405, "text/plain", exchange.getRequestMethod() + " is not allowed: GET or HEAD\n");
        } else if (path.startsWith("/debug/") && !exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
          HttpResponses.send(exchange, 403, "text/plain", "the /debug/ pages answer loopback clients only"
              + " (e.g. through kubectl port-forward); /healthz, /readyz and /metrics answer everyone\n");
        } else {
          handler.handle(exchange);
        }
      }
    });
  }

  public InetSocketAddress address() {
    return http.getAddress();
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
  }
}
