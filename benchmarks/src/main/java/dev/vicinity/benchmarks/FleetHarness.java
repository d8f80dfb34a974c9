package dev.vicinity.benchmarks;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vicinity.translator.ClientKind;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Envoy fleets on generated worlds ({@link FleetWorld}: services × endpoints × 3 clusters in mock
 * Kubernetes API servers, 12 zones, one DestinationRule with outlier detection for all; or with
 * {@code --source files}, {@link FileFleetWorld}: the same world as file clusters). Each client
 * is an Envoy sidecar's ADS stream ({@link SimulatedClient}: node on the first request only, wildcard
 * CDS, then EDS for every cluster CDS returned, every response ACKed), in one of the 12 zones and
 * saying its cluster as Istio's proxies do, so 12 node groups.
 *
 * <p>Per world and fleet size, against {@code vicinity serve} in a JVM of its own: connect until every
 * client holds a load assignment for every cluster; then {@code --rounds} changes of one endpoint's
 * readiness through the API server (or by rewriting its slice file), each timed until every client
 * holds the changed load assignment, with the bytes the clients received and the server's CPU time per change; the server's live heap
 * and resident set. Then the same fleet against the floor ({@link FloorServer} replaying Vicinity's
 * recorded responses), and Vicinity's ratios to it.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.vicinity.benchmarks.FleetHarness
 * benchmarks/results/fleet.md [--worlds 50x20,500x20] [--clients 20,50] [--rounds 10] [--server-heap 2g]
 * [--jfr DIRECTORY] [--source kubernetes|files] [--file-write renamed|in-place]}: {@code --jfr} records a
 * flight recording of Vicinity per world and fleet; {@code --source files} serves the world from files,
 * each change renamed into place or written in place ({@code --file-write}).
 * Writes the markdown report and the raw figures as JSON beside it, after every run.
 */
public final class FleetHarness {
  private static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration CHANGE_TIMEOUT = Duration.ofMinutes(5);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private FleetHarness() {}

  /** The command line, defaults filled in. */
  record Settings(Path report, List<FleetWorld.Shape> worlds, List<Integer> clients, int rounds, String serverHeap,
      String profileDirectory, WorldSource source, SliceFileEdit.Write fileWrite, String command) {

    static Settings parse(String[] args) {
      if (args.length < 1 || args.length % 2 == 0) {
        throw new IllegalArgumentException("usage: FleetHarness REPORT.md [--worlds 50x20,500x20] [--clients 20,50]"
            + " [--rounds 10] [--server-heap 2g] [--jfr DIRECTORY] [--source kubernetes|files]"
            + " [--file-write renamed|in-place]");
      }
      Map<String, String> flags = new HashMap<>(Map.of(
          "--worlds", "50x20", "--clients", "20", "--rounds", "10", "--server-heap", "2g", "--jfr", "",
          "--source", "kubernetes", "--file-write", "renamed"));
      for (int i = 1; i < args.length; i += 2) {
        if (!flags.containsKey(args[i])) {
          throw new IllegalArgumentException("unknown flag: " + args[i] + " (known: " + flags.keySet() + ")");
        }
        flags.put(args[i], args[i + 1]);
      }
      int rounds = Integer.parseInt(flags.get("--rounds"));
      if (rounds < 2) {
        throw new IllegalArgumentException("--rounds must be at least 2: the floor alternates two recorded versions");
      }
      if (rounds % 2 != 0) {
        // With the warm-up, an even number of flips would leave the last recorded version equal to the first
        // EDS response, so the floor's first push would change nothing for its clients.
        throw new IllegalArgumentException("--rounds must be even: the floor's first push is the last recorded version,"
            + " which must differ from the world it started from");
      }
      return new Settings(Path.of(args[0]),
          Arrays.stream(flags.get("--worlds").split(",")).map(FleetWorld.Shape::parse).toList(),
          Arrays.stream(flags.get("--clients").split(",")).map(Integer::parseInt).toList(),
          rounds, flags.get("--server-heap"), flags.get("--jfr"), WorldSource.parse(flags.get("--source")),
          SliceFileEdit.Write.parse(flags.get("--file-write")),
          "java -cp benchmarks/target/benchmarks.jar " + FleetHarness.class.getName() + " " + String.join(" ", args));
    }

    /** The world of {@code shape}, served from the source asked for. */
    GeneratedWorld world(FleetWorld.Shape shape) throws IOException {
      return switch (source) {
        case KUBERNETES -> FleetWorld.start(shape);
        case FILES -> FileFleetWorld.write(shape, fileWrite);
      };
    }

    /** What the report says of the source: for files, how each change is written. */
    FleetResults.Source reportedSource() {
      return new FleetResults.Source(source.flag(), source == WorldSource.FILES ? fileWrite.flag() : null);
    }

    List<String> jvmOptions() {
      return List.of("-Xmx" + serverHeap, "-XX:+UseG1GC");
    }

    /** Vicinity's JVM options: with {@code --jfr}, a flight recording (JFR's profile settings) per run. */
    List<String> serverJvmOptions(String run) {
      if (profileDirectory.isEmpty()) {
        return jvmOptions();
      }
      List<String> options = new ArrayList<>(jvmOptions());
      options.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
          + Path.of(profileDirectory).toAbsolutePath().resolve("vicinity-" + run + ".jfr"));
      return options;
    }
  }

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.parse(args);
    FleetResults.Conditions conditions = new FleetResults.Conditions(LocalDate.now().toString(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"), settings.command(), settings.rounds(),
        settings.serverHeap(), FleetWorld.CLUSTERS, FleetWorld.CLUSTERS * FleetWorld.ZONES_PER_CLUSTER,
        settings.reportedSource());
    List<FleetResults.Run> runs = new ArrayList<>();
    for (FleetWorld.Shape shape : settings.worlds()) {
      step("world: %s (%,d endpoints) from %s", shape, shape.endpoints(), settings.source().flag());
      long worldStart = System.nanoTime();
      try (GeneratedWorld world = settings.world(shape)) {
        step("world ready after %.1f s in %s", (System.nanoTime() - worldStart) / 1e9, world.config());
        for (int clients : settings.clients()) {
          runs.add(run(world, clients, settings));
          FleetReport.write(settings.report(), new FleetResults(conditions, runs));
        }
      }
    }
    System.exit(0);
  }

  /** One fleet on one world, Vicinity then the floor; a failure is reported with what was measured before it. */
  private static FleetResults.Run run(GeneratedWorld world, int clients, Settings settings) throws IOException {
    Path work = Files.createTempDirectory("vicinity-fleet-" + clients + "-");
    step("%d Envoy clients on %s (logs and recorded responses in %s)", clients, world.shape(), work);
    String loadBefore = ReportFiles.loadAverage();
    FleetWorld.Shape shape = world.shape();
    VicinityMeasurement vicinity = null;
    try {
      vicinity = measureVicinity(world, clients, settings, work);
      FleetResults.Server floor = measureFloor(clients, settings, work, vicinity.recorded());
      FleetResults.Server v = vicinity.server();
      return new FleetResults.Run(shape.services(), shape.endpointsPerCluster(), shape.endpoints(), clients, loadBefore,
          ReportFiles.loadAverage(), vicinity.recorded().clusterCount(), vicinity.recorded().outlierDetected(),
          vicinity.recorded().clusters().getSerializedSize(), vicinity.recorded().initialEndpoints().getSerializedSize(),
          vicinity.recorded().changedAssignmentBytes(), v, floor,
          new FleetResults.Ratios(v.lastArrival().p50() / floor.lastArrival().p50(),
              v.lastArrival().p99() / floor.lastArrival().p99(), v.bytesPerChange() / floor.bytesPerChange(),
              v.cpuSecondsPerChange() / floor.cpuSecondsPerChange()),
          null);
    } catch (Exception e) {
      step("run failed: %s", e.getMessage());
      Recorded recorded = vicinity == null ? null : vicinity.recorded();
      return new FleetResults.Run(shape.services(), shape.endpointsPerCluster(), shape.endpoints(), clients, loadBefore,
          ReportFiles.loadAverage(), recorded == null ? 0 : recorded.clusterCount(), recorded == null ? 0 : recorded.outlierDetected(),
          recorded == null ? 0 : recorded.clusters().getSerializedSize(),
          recorded == null ? 0 : recorded.initialEndpoints().getSerializedSize(),
          recorded == null ? 0 : recorded.changedAssignmentBytes(), vicinity == null ? null : vicinity.server(), null, null,
          (vicinity == null ? "Vicinity: " : "floor: ") + e.getMessage());
    }
  }

  /** Client 0's view: the CDS response, the EDS responses of the last two versions, the changed assignment's size. */
  record Recorded(DiscoveryResponse clusters, DiscoveryResponse initialEndpoints, List<DiscoveryResponse> endpoints, int clusterCount, int outlierDetected,
      int changedAssignmentBytes) {}

  record VicinityMeasurement(FleetResults.Server server, Recorded recorded) {}

  private static VicinityMeasurement measureVicinity(GeneratedWorld world, int clients, Settings settings, Path work)
      throws Exception {
    int xdsPort = ChildJvm.freePort();
    int debugPort = ChildJvm.freePort();
    String run = world.shape().services() + "x" + world.shape().endpointsPerCluster() + "-" + clients;
    try (ChildJvm server = ChildJvm.start("vicinity", settings.serverJvmOptions(run), "dev.vicinity.server.cli.VicinityCommand",
        List.of("serve", "--config", world.config().toString(), "--xds-port", Integer.toString(xdsPort),
            "--debug-port", Integer.toString(debugPort)), work.resolve("vicinity.log"));
        AdsFleet fleet = new AdsFleet(new InetSocketAddress("127.0.0.1", xdsPort), FleetHarness::node, 1)) {
      // Ready once every cluster is synced: the whole world is there before the clients come.
      long serverStart = System.nanoTime();
      server.awaitHttpOk("http://127.0.0.1:" + debugPort + "/readyz", Duration.ofMinutes(5));
      step("vicinity: ready after %.1f s, %.1f s of CPU", (System.nanoTime() - serverStart) / 1e9,
          server.cpuTime().toNanos() / 1e9);
      double connectMillis = connect(fleet, clients);
      HeapProbe.Sample memory = server.heap();
      step("vicinity: %d clients hold EDS for all %d clusters after %.0f ms; live heap %,d B, RSS %,d B", clients,
          fleet.client(0).edsClusters().size(), connectMillis, memory.heapBytes(), memory.rssBytes());
      if (fleet.client(0).watchedAssignment() == null) {
        throw new IllegalStateException("client 0 holds no load assignment " + FleetWorld.changedAssignment()
            + "; its EDS clusters begin " + fleet.client(0).edsClusters().stream().limit(3).toList());
      }
      Changes changes = changes(fleet, server, settings.rounds(), world::flipChangedEndpoint,
          Optional.of(URI.create("http://127.0.0.1:" + debugPort + "/metrics")));
      long peakRss = HeapProbe.peakRssBytes(server.pid());
      SimulatedClient recorder = fleet.client(0);
      AcceptanceCheck.require("CDS", recorder.recordedClusters(), ClientKind.ENVOY);
      List<DiscoveryResponse> versions = new ArrayList<>(recorder.recordedEndpoints().values());
      for (DiscoveryResponse version : versions.subList(versions.size() - 2, versions.size())) {
        AcceptanceCheck.require("EDS version " + version.getVersionInfo(), version, ClientKind.ENVOY);
      }
      List<Cluster> clusters = new ArrayList<>();
      for (Any resource : recorder.recordedClusters().getResourcesList()) {
        clusters.add(resource.unpack(Cluster.class));
      }
      AcceptanceCheck.require("EDS, first response", recorder.firstRecordedEndpoints(), ClientKind.ENVOY);
      Recorded recorded = new Recorded(recorder.recordedClusters(), recorder.firstRecordedEndpoints(),
          versions.subList(versions.size() - 2, versions.size()),
          clusters.size(), (int) clusters.stream().filter(Cluster::hasOutlierDetection).count(),
          recorder.watchedAssignment().size());
      return new VicinityMeasurement(changes.server(connectMillis, memory, peakRss), recorded);
    }
  }

  private static FleetResults.Server measureFloor(int clients, Settings settings, Path work, Recorded recorded)
      throws Exception {
    int xdsPort = ChildJvm.freePort();
    int controlPort = ChildJvm.freePort();
    List<String> args = new ArrayList<>(List.of(Integer.toString(xdsPort), Integer.toString(controlPort)));
    Path cds = work.resolve("cds.bin");
    Files.write(cds, recorded.clusters().toByteArray());
    args.add(cds.toString());
    Path initial = work.resolve("eds-initial.bin");
    Files.write(initial, recorded.initialEndpoints().toByteArray());
    args.add(initial.toString());
    for (int i = 0; i < recorded.endpoints().size(); i++) {
      Path eds = work.resolve("eds-" + i + ".bin");
      Files.write(eds, recorded.endpoints().get(i).toByteArray());
      args.add(eds.toString());
    }
    URI push = URI.create("http://127.0.0.1:" + controlPort + "/push");
    try (ChildJvm floor = ChildJvm.start("floor", settings.jvmOptions(), FloorServer.class.getName(), args, work.resolve("floor.log"));
        AdsFleet fleet = new AdsFleet(new InetSocketAddress("127.0.0.1", xdsPort), FleetHarness::node, 1)) {
      floor.awaitHttpOk("http://127.0.0.1:" + controlPort + "/readyz", Duration.ofMinutes(1));
      double connectMillis = connect(fleet, clients);
      HeapProbe.Sample memory = floor.heap();
      step("floor: %d clients hold EDS after %.0f ms; live heap %,d B, RSS %,d B", clients, connectMillis,
          memory.heapBytes(), memory.rssBytes());
      Changes changes = changes(fleet, floor, settings.rounds(), () -> pushFloor(push), Optional.empty());
      return changes.server(connectMillis, memory, HeapProbe.peakRssBytes(floor.pid()));
    }
  }

  /** Adds {@code clients} clients following the changed assignment, opens them at once, and times until all hold EDS. */
  private static double connect(AdsFleet fleet, int clients) throws InterruptedException {
    fleet.add(clients);
    fleet.watch(FleetWorld.changedAssignment());
    Arrivals arrivals = fleet.expect(SimulatedClient::converged);
    long start = System.nanoTime();
    fleet.openNew();
    return Arrivals.spread(await(fleet, arrivals, CONNECT_TIMEOUT, "hold EDS for every cluster"), start).lastMillis();
  }

  /** A change made by the harness: one endpoint's readiness flipped (Vicinity), or the next recorded version pushed (floor). */
  @FunctionalInterface
  private interface Change {
    void make() throws Exception;
  }

  /** The timings, bytes and CPU of a server's changes. */
  private record Changes(List<Arrivals.Spread> spreads, List<Long> bytes, List<Duration> cpu, List<Phase> phases) {
    FleetResults.Server server(double connectMillis, HeapProbe.Sample memory, long peakRss) {
      FleetResults.Phases split = phases.isEmpty() ? null : new FleetResults.Phases(
          Distribution.of(phases.stream().map(Phase::sourceMillis).toList()),
          Distribution.of(phases.stream().map(Phase::serverMillis).toList()),
          Distribution.of(phases.stream().map(Phase::pushMillis).toList()));
      return new FleetResults.Server(connectMillis, Distribution.of(spreads.stream().map(Arrivals.Spread::lastMillis).toList()),
          Distribution.of(spreads.stream().map(Arrivals.Spread::firstMillis).toList()),
          spreads.stream().map(Arrivals.Spread::lastMillis).toList(),
          bytes.stream().mapToLong(Long::longValue).average().orElseThrow(),
          cpu.stream().mapToLong(Duration::toNanos).average().orElseThrow() / 1e9,
          memory.heapBytes(), memory.rssBytes(), peakRss, split);
    }
  }

  /** One change's time to the first client, split at the reconciler's signal and its first publication. */
  private record Phase(double sourceMillis, double serverMillis, double pushMillis) {
    /** From the server's gauges (seconds since the epoch) and the harness's wall clock at the write. */
    static Phase of(Instant written, double firstMillis, ChangeTimes times) {
      double writtenSeconds = written.getEpochSecond() + written.getNano() / 1e9;
      double source = (times.signalSeconds() - writtenSeconds) * 1000;
      double server = (times.publishSeconds() - times.signalSeconds()) * 1000;
      return new Phase(source, server, firstMillis - source - server);
    }
  }

  /** The reconciler's wall-clock gauges of the latest published change, read from the metrics page. */
  private record ChangeTimes(double signalSeconds, double publishSeconds) {
    static ChangeTimes read(URI metrics) throws IOException, InterruptedException {
      String page = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
      return new ChangeTimes(gauge(page, "vicinity_last_change_signal_time_seconds"),
          gauge(page, "vicinity_last_change_publish_time_seconds"));
    }

    private static double gauge(String page, String name) {
      return page.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{")).findFirst()
          .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
          .orElseThrow(() -> new IllegalStateException("the metrics page has no " + name));
    }
  }

  /**
   * One unmeasured change (the code paths are compiled by then), then {@code rounds} measured ones:
   * each from the moment the change is made until every client holds a changed copy of the watched
   * load assignment, with the bytes every client received and the server's CPU time over that span.
   */
  private static Changes changes(AdsFleet fleet, ChildJvm server, int rounds, Change change, Optional<URI> metrics)
      throws Exception {
    List<Phase> phases = new ArrayList<>();
    List<Arrivals.Spread> spreads = new ArrayList<>();
    List<Long> bytes = new ArrayList<>();
    List<Duration> cpu = new ArrayList<>();
    for (int round = 0; round <= rounds; round++) {
      ByteString[] before = new ByteString[fleet.size()];
      for (int i = 0; i < before.length; i++) {
        before[i] = fleet.client(i).watchedAssignment();
      }
      Arrivals arrivals = fleet.expect(c -> !Objects.equals(c.watchedAssignment(), before[c.index()]));
      long bytesBefore = fleet.bytesReceived();
      Duration cpuBefore = server.cpuTime();
      Instant written = Instant.now();
      long start = System.nanoTime();
      change.make();
      long[] arrived = await(fleet, arrivals, CHANGE_TIMEOUT, "hold the changed load assignment");
      Duration cpuAfter = server.cpuTime();
      long bytesAfter = fleet.bytesReceived();
      if (round == 0) {
        continue; // warm-up
      }
      Arrivals.Spread spread = Arrivals.spread(arrived, start);
      spreads.add(spread);
      bytes.add(bytesAfter - bytesBefore);
      cpu.add(cpuAfter.minus(cpuBefore));
      if (metrics.isPresent()) {
        phases.add(Phase.of(written, spread.firstMillis(), ChangeTimes.read(metrics.get())));
      }
      step("  change %d: all hold it after %.0f ms (first %.0f ms), %,d B received, %.3f s server CPU", round,
          spread.lastMillis(), spread.firstMillis(), bytesAfter - bytesBefore, cpuAfter.minus(cpuBefore).toNanos() / 1e9);
    }
    return new Changes(spreads, bytes, cpu, phases);
  }

  private static void pushFloor(URI push) throws IOException, InterruptedException {
    HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(push).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
    if (answer.statusCode() != 204) {
      throw new IllegalStateException("floor push answered " + answer.statusCode());
    }
  }

  /**
   * Client {@code i}'s node: an Envoy sidecar in zone i mod 12 (cluster k holds zones 4k to 4k+3),
   * saying its cluster the way Istio's proxies do.
   */
  private static Node node(int i) {
    int zones = FleetWorld.CLUSTERS * FleetWorld.ZONES_PER_CLUSTER;
    int cluster = i % zones / FleetWorld.ZONES_PER_CLUSTER;
    int zone = i % FleetWorld.ZONES_PER_CLUSTER;
    return Node.newBuilder()
        .setId("sidecar-%05d".formatted(i))
        .setCluster("fleet-harness")
        .setUserAgentName("envoy")
        .setLocality(Locality.newBuilder().setRegion(FleetWorld.region(cluster)).setZone(FleetWorld.zone(cluster, zone)))
        .setMetadata(Struct.newBuilder().putFields("CLUSTER_ID",
            Value.newBuilder().setStringValue(FleetWorld.clusterName(cluster)).build()))
        .build();
  }

  private static long[] await(AdsFleet fleet, Arrivals arrivals, Duration timeout, String what) throws InterruptedException {
    try {
      return arrivals.await(timeout, what);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + " (" + fleet.failed() + " streams failed)", e);
    }
  }

  private static void step(String format, Object... args) {
    System.out.printf(format + "%n", args);
  }
}
