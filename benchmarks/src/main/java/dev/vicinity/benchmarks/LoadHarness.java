package dev.vicinity.benchmarks;

import dev.vicinity.translator.ClientKind;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The load harness: N simulated ADS clients over K localities against one Vicinity server on loopback,
 * then against a bare gRPC server sending pre-serialized bytes (the floor). Both servers run in a JVM
 * of their own (see {@link ChildJvm}); the clients run here. The World is the bookinfo example in two
 * mock Kubernetes API servers, and a change is an EndpointSlice readiness flip through the API; or, with
 * {@code --source files}, a copy of the example served from files, and a change is the same flip in
 * {@code clusters/mgmt-cluster/reviews.yaml}, renamed into place.
 *
 * <p>Per fleet size it measures: (a) change to the last client's ACK of the new EDS version, over
 * {@code --rounds} changes; (b) Vicinity's live heap per connected client and per endpoint; (c) a
 * reconnect storm, every stream and connection closed and reopened at once, until all have ACKed CDS
 * and EDS again; (d) (a) and (c) against the floor server, and Vicinity's ratio to it.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.vicinity.benchmarks.LoadHarness examples/bookinfo
 * benchmarks/results/load.md [--clients 1000,5000] [--localities 8] [--rounds 50] [--storms 3]
 * [--endpoints 10000] [--server-heap 1g] [--streams-per-connection 1] [--profile true]
 * [--source kubernetes|files]}. Writes the markdown report and, beside it, the raw figures as JSON. With
 * {@code --profile true}, Vicinity's changes are recorded with Java Flight Recorder into the run's working
 * directory (printed).
 */
public final class LoadHarness {
  private static final Duration CONVERGE_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration CHANGE_TIMEOUT = Duration.ofMinutes(1);
  private static final String EXTRA_SERVICE = "load";
  private static final int ENDPOINTS_PER_SLICE = 1000;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private LoadHarness() {}

  /** The command line, defaults filled in. */
  record Settings(Path example, Path report, List<Integer> clients, int localities, int rounds, int storms, int endpoints,
      String serverHeap, int streamsPerConnection, boolean profile, WorldSource source, String command) {

    static Settings parse(String[] args) {
      if (args.length < 2) {
        throw new IllegalArgumentException("usage: LoadHarness EXAMPLE_DIR REPORT.md [--clients 1000,5000] [--localities 8]"
            + " [--rounds 50] [--storms 3] [--endpoints 10000] [--server-heap 1g] [--streams-per-connection 1]"
            + " [--profile true] [--source kubernetes|files]");
      }
      Map<String, String> flags = new HashMap<>(Map.of(
          "--clients", "1000,5000", "--localities", "8", "--rounds", "50", "--storms", "3", "--endpoints", "10000",
          "--server-heap", "1g", "--streams-per-connection", "1", "--profile", "false", "--source", "kubernetes"));
      for (int i = 2; i < args.length; i += 2) {
        if (!flags.containsKey(args[i]) || i + 1 >= args.length) {
          throw new IllegalArgumentException("unknown flag or missing value: " + args[i]);
        }
        flags.put(args[i], args[i + 1]);
      }
      List<Integer> clients = Arrays.stream(flags.get("--clients").split(",")).map(Integer::parseInt).toList();
      int localities = Integer.parseInt(flags.get("--localities"));
      if (clients.stream().anyMatch(n -> n < 4 * localities)) {
        throw new IllegalArgumentException("--clients must be at least 4 × --localities");
      }
      return new Settings(Path.of(args[0]), Path.of(args[1]), clients, localities, Integer.parseInt(flags.get("--rounds")),
          Integer.parseInt(flags.get("--storms")), Integer.parseInt(flags.get("--endpoints")), flags.get("--server-heap"),
          Integer.parseInt(flags.get("--streams-per-connection")), Boolean.parseBoolean(flags.get("--profile")),
          WorldSource.parse(flags.get("--source")),
          "java -cp benchmarks/target/benchmarks.jar " + LoadHarness.class.getName() + " " + String.join(" ", args));
    }

    List<String> jvmOptions() {
      return List.of("-Xmx" + serverHeap, "-XX:+UseG1GC");
    }

    /** The bookinfo example, served from the source asked for. */
    LoadWorld world() throws IOException {
      return switch (source) {
        case KUBERNETES -> BookinfoWorld.start(example);
        case FILES -> BookinfoFiles.copy(example);
      };
    }
  }

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.parse(args);
    List<LoadResults.Run> runs = new ArrayList<>();
    long coalesceMillis = 0;
    for (int clients : settings.clients()) {
      Path work = Files.createTempDirectory("vicinity-load-" + clients + "-");
      System.out.printf("%d clients (logs and recorded responses in %s)%n", clients, work);
      String loadBefore = ReportFiles.loadAverage();
      try (LoadWorld world = settings.world()) {
        coalesceMillis = world.settings().server().coalesceWindow().toMillis();
        VicinityMeasurement vicinity = measureVicinity(world, settings, clients, work);
        LoadResults.Server floor = measureFloor(settings, clients, work, vicinity.recorded());
        runs.add(new LoadResults.Run(clients, loadBefore, ReportFiles.loadAverage(), vicinity.recorded().clusters().getSerializedSize(),
            vicinity.recorded().endpoints().get(0).getSerializedSize(), vicinity.server(), floor, vicinity.heap(),
            new LoadResults.Ratios(
                vicinity.server().lastAck().p50() / floor.lastAck().p50(),
                vicinity.server().lastAck().p99() / floor.lastAck().p99(),
                vicinity.server().fanOut().p50() / floor.fanOut().p50(),
                vicinity.server().storm().p50() / floor.storm().p50())));
      }
    }
    LoadResults results = new LoadResults(new LoadResults.Conditions(LocalDate.now().toString(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"), settings.command(), settings.source().flag(),
        settings.localities(), settings.rounds(), settings.storms(), settings.endpoints(), ENDPOINTS_PER_SLICE, settings.serverHeap(),
        settings.streamsPerConnection(), coalesceMillis), runs);
    LoadReport.write(settings.report(), results);
    System.exit(0);
  }

  /** Client 0's view: Vicinity's CDS response and the EDS responses of the last two versions. */
  record Recorded(DiscoveryResponse clusters, List<DiscoveryResponse> endpoints) {}

  record VicinityMeasurement(LoadResults.Server server, LoadResults.VicinityHeap heap, Recorded recorded) {}

  private static VicinityMeasurement measureVicinity(LoadWorld world, Settings settings, int clients, Path work)
      throws Exception {
    int xdsPort = ChildJvm.freePort();
    int debugPort = ChildJvm.freePort();
    try (ChildJvm server = ChildJvm.start("vicinity", settings.jvmOptions(), "dev.vicinity.server.cli.VicinityCommand",
        List.of("serve", "--config", world.config().toString(), "--xds-port", Integer.toString(xdsPort),
            "--debug-port", Integer.toString(debugPort)), work.resolve("vicinity.log"));
        AdsFleet fleet = new AdsFleet(new InetSocketAddress("127.0.0.1", xdsPort), settings.localities(),
            settings.streamsPerConnection())) {
      server.awaitHttpOk("http://127.0.0.1:" + debugPort + "/readyz", Duration.ofMinutes(2));
      long noClients = server.heap().heapBytes();
      step("vicinity: live heap with no client %s", noClients);

      // One client per locality: the K node groups and their snapshots exist, and stay through what follows.
      connect(fleet, settings.localities());
      long onePerGroup = server.heap().heapBytes();
      ExtraService extra = new ExtraService(EXTRA_SERVICE, settings.endpoints(), ENDPOINTS_PER_SLICE);
      world.add(extra);
      await(fleet, fleet.expect(c -> c.converged() && hasExtraService(c)), "get the extra endpoints");
      long withEndpoints = server.heap().heapBytes();
      requireAccepted("with " + settings.endpoints() + " extra endpoints", fleet.client(0));
      int largeEdsBytes = fleet.client(0).recordedEndpoints().values().stream().mapToInt(DiscoveryResponse::getSerializedSize)
          .max().orElse(0);
      // More clients while the endpoints are there: what a stream holds grows with its EDS response.
      int probeClients = probeCount(clients, settings.localities());
      connect(fleet, probeClients);
      long probedWithEndpoints = server.heap().heapBytes();
      world.remove(extra);
      await(fleet, fleet.expect(c -> c.converged() && !hasExtraService(c)), "lose the extra endpoints");
      long afterEndpoints = server.heap().heapBytes();
      step("vicinity: one client per group %s, with %d endpoints %s (EDS response %d B), %d more clients %s, after %s",
          onePerGroup, settings.endpoints(), withEndpoints, largeEdsBytes, probeClients, probedWithEndpoints, afterEndpoints);

      double connectMillis = connect(fleet, clients - fleet.size());
      HeapProbe.Sample withClients = server.heap();
      step("vicinity: %d clients converged in %.0f ms; live heap %s", clients, connectMillis, withClients.heapBytes());

      if (settings.profile()) {
        server.startRecording("changes");
      }
      List<Arrivals.Spread> changes = new ArrayList<>();
      boolean ready = true; // reviews-v1 is ready in the example
      for (int round = 0; round < settings.rounds(); round++) {
        Arrivals arrivals = expectNewEndpointVersion(fleet);
        ready = !ready;
        long changed = System.nanoTime();
        world.setReviewsV1Ready(ready);
        changes.add(Arrivals.spread(await(fleet, arrivals, CHANGE_TIMEOUT, "ACK the change"), changed));
      }
      if (settings.profile()) {
        server.stopRecording("changes", work.resolve("vicinity-changes.jfr"));
      }
      step("vicinity: change to last ACK %s", Distribution.of(lastAcks(changes)));
      List<Double> storms = storms(fleet, settings.storms());
      step("vicinity: storms %s", storms);

      SimulatedClient recorder = fleet.client(0);
      requireAccepted("after the changes", recorder);
      List<DiscoveryResponse> versions = new ArrayList<>(recorder.recordedEndpoints().values());
      Recorded recorded = new Recorded(recorder.recordedClusters(), versions.subList(Math.max(0, versions.size() - 2), versions.size()));
      double perClient = (double) (withClients.heapBytes() - afterEndpoints) / (clients - settings.localities() - probeClients);
      return new VicinityMeasurement(
          new LoadResults.Server(connectMillis, Distribution.of(lastAcks(changes)), Distribution.of(firstAcks(changes)),
              Distribution.of(fanOuts(changes)),
              Distribution.of(storms), changes, storms, noClients, withClients.heapBytes(), withClients.rssBytes(), perClient),
          new LoadResults.VicinityHeap(noClients, onePerGroup, withEndpoints, probeClients, probedWithEndpoints, afterEndpoints,
              withClients.heapBytes(), perClient, (double) (withEndpoints - onePerGroup) / settings.endpoints(),
              (double) (probedWithEndpoints - withEndpoints) / probeClients, largeEdsBytes),
          recorded);
    }
  }

  /** The fleet's clients are Envoys: what client 0 recorded must pass Envoy's rules. */
  private static void requireAccepted(String when, SimulatedClient client) {
    AcceptanceCheck.require("CDS " + when, client.recordedClusters(), ClientKind.ENVOY);
    client.recordedEndpoints().forEach((version, response) ->
        AcceptanceCheck.require("EDS version " + version + " " + when, response, ClientKind.ENVOY));
  }

  private static LoadResults.Server measureFloor(Settings settings, int clients, Path work, Recorded recorded) throws Exception {
    if (recorded.endpoints().size() < 2) {
      throw new IllegalStateException("the floor needs two EDS versions to alternate: run at least 2 rounds");
    }
    List<String> args = new ArrayList<>();
    int xdsPort = ChildJvm.freePort();
    int controlPort = ChildJvm.freePort();
    args.add(Integer.toString(xdsPort));
    args.add(Integer.toString(controlPort));
    Path cds = work.resolve("cds.bin");
    Files.write(cds, recorded.clusters().toByteArray());
    args.add(cds.toString());
    // A proxyless client's EDS responses each carry its one load assignment: the first is also the initial one.
    Path initial = work.resolve("eds-initial.bin");
    Files.write(initial, recorded.endpoints().get(0).toByteArray());
    args.add(initial.toString());
    for (int i = 0; i < recorded.endpoints().size(); i++) {
      Path eds = work.resolve("eds-" + i + ".bin");
      Files.write(eds, recorded.endpoints().get(i).toByteArray());
      args.add(eds.toString());
    }
    URI push = URI.create("http://127.0.0.1:" + controlPort + "/push");
    try (ChildJvm floor = ChildJvm.start("floor", settings.jvmOptions(), FloorServer.class.getName(), args, work.resolve("floor.log"));
        AdsFleet fleet = new AdsFleet(new InetSocketAddress("127.0.0.1", xdsPort), settings.localities(),
            settings.streamsPerConnection())) {
      floor.awaitHttpOk("http://127.0.0.1:" + controlPort + "/readyz", Duration.ofMinutes(1));
      long noClients = floor.heap().heapBytes();
      double connectMillis = connect(fleet, clients);
      HeapProbe.Sample withClients = floor.heap();
      step("floor: %d clients converged in %.0f ms; live heap %s (%s with none)", clients, connectMillis,
          withClients.heapBytes(), noClients);
      List<Arrivals.Spread> changes = new ArrayList<>();
      for (int round = 0; round < settings.rounds(); round++) {
        Arrivals arrivals = expectNewEndpointVersion(fleet);
        long changed = System.nanoTime();
        HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(push).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() != 204) {
          throw new IllegalStateException("floor push answered " + answer.statusCode());
        }
        changes.add(Arrivals.spread(await(fleet, arrivals, CHANGE_TIMEOUT, "ACK the push"), changed));
      }
      step("floor: push to last ACK %s", Distribution.of(lastAcks(changes)));
      List<Double> storms = storms(fleet, settings.storms());
      step("floor: storms %s", storms);
      return new LoadResults.Server(connectMillis, Distribution.of(lastAcks(changes)), Distribution.of(firstAcks(changes)),
              Distribution.of(fanOuts(changes)),
          Distribution.of(storms), changes, storms, noClients, withClients.heapBytes(), withClients.rssBytes(),
          (double) (withClients.heapBytes() - noClients) / clients);
    }
  }

  /**
   * How many clients are added while the extra endpoints are there: about 100 (fewer for small fleets),
   * a multiple of the localities so that every group gets as many, enough that the heap's noise of a
   * few MiB is small per client.
   */
  static int probeCount(int clients, int localities) {
    return localities * Math.max(1, Math.min(100, clients / 4) / localities);
  }

  /** Connects {@code count} more clients at once; milliseconds until all clients have converged. */
  private static double connect(AdsFleet fleet, int count) throws InterruptedException {
    fleet.add(count);
    Arrivals arrivals = fleet.expect(SimulatedClient::converged);
    long start = System.nanoTime();
    fleet.openNew();
    return Arrivals.spread(await(fleet, arrivals, "converge"), start).lastMillis();
  }

  /** Every client has ACKed an EDS version other than the one it holds now. */
  private static Arrivals expectNewEndpointVersion(AdsFleet fleet) {
    String[] before = new String[fleet.size()];
    for (int i = 0; i < before.length; i++) {
      before[i] = fleet.client(i).endpointVersion();
    }
    return fleet.expect(c -> !Objects.equals(c.endpointVersion(), before[c.index()]));
  }

  /** Each storm: all streams and connections closed, then reopened at once; time until all converged again. */
  private static List<Double> storms(AdsFleet fleet, int storms) throws InterruptedException {
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < storms; i++) {
      fleet.closeAll();
      fleet.prepareConnections();
      Arrivals arrivals = fleet.expect(SimulatedClient::converged);
      long start = System.nanoTime();
      fleet.openAll();
      step("  all %d streams opened in %.0f ms", fleet.size(), (System.nanoTime() - start) / 1e6);
      millis.add(Arrivals.spread(await(fleet, arrivals, "converge after the storm"), start).lastMillis());
    }
    return millis;
  }

  private static boolean hasExtraService(SimulatedClient client) {
    return client.edsClusters().stream().anyMatch(name -> name.contains("|" + EXTRA_SERVICE + "." + BookinfoWorld.NAMESPACE + "."));
  }

  private static long[] await(AdsFleet fleet, Arrivals arrivals, String what) throws InterruptedException {
    return await(fleet, arrivals, CONVERGE_TIMEOUT, what);
  }

  private static long[] await(AdsFleet fleet, Arrivals arrivals, Duration timeout, String what) throws InterruptedException {
    try {
      return arrivals.await(timeout, what);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + " (" + fleet.failed() + " streams failed)", e);
    }
  }

  private static List<Double> lastAcks(List<Arrivals.Spread> changes) {
    return changes.stream().map(Arrivals.Spread::lastMillis).toList();
  }

  private static List<Double> fanOuts(List<Arrivals.Spread> changes) {
    return changes.stream().map(c -> c.lastMillis() - c.firstMillis()).toList();
  }

  private static List<Double> firstAcks(List<Arrivals.Spread> changes) {
    return changes.stream().map(Arrivals.Spread::firstMillis).toList();
  }

  private static void step(String format, Object... args) {
    System.out.printf(format + "%n", args);
  }
}
