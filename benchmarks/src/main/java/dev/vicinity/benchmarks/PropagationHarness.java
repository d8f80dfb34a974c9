package dev.vicinity.benchmarks;

import dev.vicinity.server.ServerOptions;
import dev.vicinity.server.VicinityServer;
import dev.vicinity.translator.ClientKind;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Time from an EndpointSlice change at the API server to the new ClusterLoadAssignment reaching a
 * subscribed ADS client: fabric8's mock API servers (CRUD mode) hold the bookinfo example; the real
 * server watches them through kubeconfig contexts; a raw ADS client ACKs what it gets. Each round
 * flips reviews-v1's readiness and waits for the load assignment that shows it.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.vicinity.benchmarks.PropagationHarness
 * examples/bookinfo benchmarks/results/propagation.md [rounds]}.
 */
public final class PropagationHarness {

  private PropagationHarness() {}

  public static void main(String[] args) throws Exception {
    Path example = Path.of(args[0]);
    Path report = Path.of(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    try (BookinfoWorld world = BookinfoWorld.start(example);
        VicinityServer server = VicinityServer.start(
            ServerOptions.fromConfig(world.config(), world.settings()).withXdsPort(0).withDebugPort(0))) {
      List<Double> millis = measure(server.xdsPort(), world, rounds);
      write(report, millis, world.settings().server().coalesceWindow().toMillis());
    }
    System.exit(0);
  }

  private static List<Double> measure(int xdsPort, BookinfoWorld world, int rounds) throws Exception {
    try (ReviewsV1Watch watch = new ReviewsV1Watch(xdsPort)) {
      DiscoveryResponse first = watch.next(60);
      AcceptanceCheck.require("first EDS response", first, ClientKind.GRPC);
      boolean ready = ReviewsV1Watch.v1Health(first) == HealthStatus.HEALTHY;
      List<Double> millis = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        ready = !ready;
        long start = System.nanoTime();
        world.setReviewsV1Ready(ready);
        DiscoveryResponse response = watch.awaitV1(ready ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY, 30);
        millis.add((System.nanoTime() - start) / 1e6);
        AcceptanceCheck.require("EDS version " + response.getVersionInfo(), response, ClientKind.GRPC);
      }
      return millis;
    }
  }

  private static void write(Path report, List<Double> millis, long coalesceMillis) throws IOException {
    Distribution d = Distribution.of(millis);
    String md = String.format("""
        # EndpointSlice change to ClusterLoadAssignment at an ADS client

        %d changes of one endpoint's readiness in mgmt-cluster's reviews EndpointSlice, made through the
        Kubernetes API (fabric8 mock API server, CRUD mode, loopback), each timed until a subscribed ADS client
        received the load assignment showing it (informer event, %d ms coalescing window, translation of the
        bookinfo example, snapshot, push). Machine: %d cores, Java %s, %s.

        | p50 | p90 | p99 | max |
        |---|---|---|---|
        | %.1f ms | %.1f ms | %.1f ms | %.1f ms |
        """, d.count(), coalesceMillis, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        LocalDate.now(), d.p50(), d.p90(), d.p99(), d.max());
    Files.writeString(report, md);
    System.out.print(md);
  }
}
