package dev.vicinity.benchmarks;

import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.inventory.files.ConfigDirectories;
import dev.vicinity.server.ServerOptions;
import dev.vicinity.server.VicinityServer;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Time from an EndpointSlice file edit to the new ClusterLoadAssignment reaching a subscribed ADS client:
 * a copy of the bookinfo example served from files with the server's default settings; each round flips
 * reviews-v1's readiness in {@code clusters/mgmt-cluster/reviews.yaml}, written in place, then renamed into
 * place, and waits for the load assignment that shows it.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.vicinity.benchmarks.FilePropagationHarness
 * examples/bookinfo benchmarks/results/file-propagation.md [rounds]}.
 */
public final class FilePropagationHarness {
  private static final String SLICES = "clusters/mgmt-cluster/reviews.yaml";

  private FilePropagationHarness() {}

  public static void main(String[] args) throws Exception {
    Path example = Path.of(args[0]);
    Path report = Path.of(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    Path config = Files.createTempDirectory("vicinity-file-propagation");
    ConfigDirectories.copy(example, config);
    VicinityConfig settings = ConfigReader.read("vicinity.yaml", Files.readString(config.resolve("vicinity.yaml")))
        .config().orElseThrow();
    ServerOptions options = ServerOptions.fromConfig(config, settings).withXdsPort(0).withDebugPort(0);
    try (VicinityServer server = VicinityServer.start(options)) {
      List<Double> inPlace = measure(server.xdsPort(), config.resolve(SLICES), rounds, SliceFileEdit.Write.IN_PLACE);
      List<Double> renamed = measure(server.xdsPort(), config.resolve(SLICES), rounds, SliceFileEdit.Write.RENAMED_INTO_PLACE);
      write(report, inPlace, renamed, settings.server().coalesceWindow().toMillis(), options.filePollInterval().toMillis());
    }
    System.exit(0);
  }

  private static List<Double> measure(int xdsPort, Path slices, int rounds, SliceFileEdit.Write how) throws Exception {
    try (ReviewsV1Watch watch = new ReviewsV1Watch(xdsPort)) {
      boolean ready = ReviewsV1Watch.v1Health(watch.next(30)) == HealthStatus.HEALTHY;
      List<Double> millis = new ArrayList<>();
      Random pauses = new Random(13);
      for (int round = 0; round < rounds; round++) {
        // A pause of up to a second, so that edits do not fall in step with the poll of the server.
        Thread.sleep(pauses.nextInt(1000));
        ready = !ready;
        long start = System.nanoTime();
        // reviews-v1 (127.0.0.11) is the first endpoint of the file.
        SliceFileEdit.setFirstEndpointReady(slices, ready, how);
        watch.awaitV1(ready ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY, 30);
        millis.add((System.nanoTime() - start) / 1e6);
      }
      return millis;
    }
  }

  private static void write(Path report, List<Double> inPlace, List<Double> renamed, long coalesceMillis, long pollMillis)
      throws IOException {
    Distribution a = Distribution.of(inPlace);
    Distribution b = Distribution.of(renamed);
    String md = String.format("""
        # EndpointSlice file edit to ClusterLoadAssignment at an ADS client

        %d changes of one endpoint's readiness in `clusters/mgmt-cluster/reviews.yaml` of a copy of the bookinfo
        example served from files (default settings: %d ms file poll, %d ms coalescing window), each timed until a
        subscribed ADS client received the load assignment showing it; a random pause of up to a second before
        each edit keeps edits out of step with the poll. Machine: %d cores, Java %s, %s.

        | write | p50 | p90 | p99 | max |
        |---|---|---|---|---|
        | in place | %.1f ms | %.1f ms | %.1f ms | %.1f ms |
        | renamed into place | %.1f ms | %.1f ms | %.1f ms | %.1f ms |
        """, a.count(), pollMillis, coalesceMillis, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), LocalDate.now(),
        a.p50(), a.p90(), a.p99(), a.max(), b.p50(), b.p90(), b.p99(), b.max());
    Files.writeString(report, md);
    System.out.print(md);
  }
}
