package dev.vicinity.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Writes the Envoy fleet harness's figures: a markdown table for people, and the raw numbers as JSON beside it. */
final class FleetReport {
  private FleetReport() {}

  static void write(Path markdown, FleetResults results) throws IOException {
    ReportFiles.write(markdown, results, json -> markdown(results, json));
  }

  static String markdown(FleetResults results, String jsonName) {
    FleetResults.Conditions c = results.conditions();
    List<FleetResults.Run> runs = results.runs();
    StringBuilder md = new StringBuilder();
    if (c.source() != null && c.source().files()) {
      md.append("# Envoy fleets on generated worlds served from files\n\n");
      md.append(reproduction(c, jsonName)).append(filesIntroduction(c));
    } else {
      md.append("# Envoy fleets on generated worlds\n\n");
      md.append(reproduction(c, jsonName)).append(kubernetesIntroduction(c));
    }
    md.append("| | ");
    runs.forEach(r -> md.append(String.format(Locale.ROOT, "%,d × %d × %d, %,d clients | ", r.services(),
        r.endpointsPerCluster(), c.clusters(), r.clients())));
    md.append("\n|---|");
    runs.forEach(r -> md.append("---|"));
    md.append("\n");
    row(md, runs, "endpoints; clusters per client (with outlier detection)", r -> String.format(Locale.ROOT, "%,d; %,d (%,d)",
        r.endpoints(), r.clustersPerClient(), r.clustersWithOutlierDetection()));
    row(md, runs, "CDS response; EDS response; the changed load assignment", r -> r.clusterResponseBytes() == 0 ? ""
        : ReportFiles.bytes(r.clusterResponseBytes()) + "; " + ReportFiles.bytes(r.endpointResponseBytes()) + "; " + ReportFiles.bytes(r.changedAssignmentBytes()));
    vicinity(md, runs, "connect, all hold EDS", s -> ms(s.connectMillis()));
    vicinity(md, runs, "change → all hold it, p50 / p99 / max",
        s -> ms(s.lastArrival().p50()) + " / " + ms(s.lastArrival().p99()) + " / " + ms(s.lastArrival().max()));
    vicinity(md, runs, "change → first client holds it, p50", s -> ms(s.firstArrival().p50()));
    vicinity(md, runs, "… of which: source → reconciler; → first snapshot published; push → first client, p50",
        s -> s.phases() == null ? "" : ms(s.phases().sourceMillis().p50()) + "; " + ms(s.phases().serverMillis().p50())
            + "; " + ms(s.phases().pushMillis().p50()));
    row(md, runs, "bytes received per change, all clients (per client)", r -> r.vicinity() == null ? "" :
        ReportFiles.bytes(r.vicinity().bytesPerChange()) + " (" + ReportFiles.bytes(r.vicinity().bytesPerChange() / r.clients()) + ")");
    vicinity(md, runs, "server CPU per change", s -> String.format(Locale.ROOT, "%.2f s", s.cpuSecondsPerChange()));
    vicinity(md, runs, "live heap; RSS; peak RSS",
        s -> ReportFiles.bytes(s.liveHeapBytes()) + "; " + ReportFiles.bytes(s.rssBytes()) + "; " + ReportFiles.bytes(s.peakRssBytes()));
    floor(md, runs, "floor: connect, all hold EDS", s -> ms(s.connectMillis()));
    floor(md, runs, "floor: push → all hold it, p50 / p99 / max",
        s -> ms(s.lastArrival().p50()) + " / " + ms(s.lastArrival().p99()) + " / " + ms(s.lastArrival().max()));
    floor(md, runs, "floor: bytes per push; CPU per push",
        s -> ReportFiles.bytes(s.bytesPerChange()) + "; " + String.format(Locale.ROOT, "%.2f s", s.cpuSecondsPerChange()));
    row(md, runs, "Vicinity / floor: change → all, p50 and p99; bytes; CPU", r -> r.ratios() == null ? "" : String.format(
        Locale.ROOT, "%.2f, %.2f; %.2f; %.2f", r.ratios().lastArrivalP50(), r.ratios().lastArrivalP99(),
        r.ratios().bytesPerChange(), r.ratios().cpuPerChange()));
    row(md, runs, "load average before → after (1, 5, 15 min)", r -> r.loadAverageBefore() + " → " + r.loadAverageAfter());
    if (runs.stream().anyMatch(r -> r.failure() != null)) {
      row(md, runs, "stopped early", r -> r.failure() == null ? "" : r.failure());
    }
    return md.toString();
  }

  /** When and where it ran, where the raw figures are, and the command that reproduces them. */
  private static String reproduction(FleetResults.Conditions c, String jsonName) {
    return String.format(Locale.ROOT, """
        %s, %d cores, Java %s, %s. Raw figures in `%s`. Reproduce with:

        ```shell
        mvn -B -q -Pbench -DskipTests package -pl benchmarks -am \\
          && %s
        ```

        """, c.date(), c.cores(), c.java(), c.os(), jsonName, c.command());
  }

  private static String kubernetesIntroduction(FleetResults.Conditions c) {
    return String.format(Locale.ROOT, """
        The world: services × endpoints × %d clusters in %d fabric8 mock Kubernetes API servers (CRUD mode,
        loopback) watched live, %d zones, every endpoint ready, one DestinationRule (outlier detection, locality
        load balancing) for every service. The clients: Envoy sidecars' ADS streams (node on the first request
        only, wildcard CDS, then EDS for every cluster CDS returned, every response ACKed at once), one connection
        each, in the %d zones in turn (so %d node groups). A change is one endpoint's readiness flipped through
        the API server, timed from the API call until every client holds the changed load assignment; the bytes
        are what all clients received over that span (serialized responses), the CPU is the server process's
        (user and system) over it. One unmeasured change first, then %d measured. Memory: live heap after full
        GCs and resident set, after the clients connected; the peak resident set at the end. Vicinity (`vicinity
        serve`) and the floor (a bare gRPC-Java server replaying Vicinity's recorded CDS and EDS responses) each
        run in a JVM of their own (`-Xmx%s`, G1); the clients and the API servers run in the harness JVM, on the
        same cores.

        """, c.clusters(), c.clusters(), c.zones(), c.zones(), c.zones(), c.rounds(), c.serverHeap());
  }

  private static String filesIntroduction(FleetResults.Conditions c) {
    String write = "in-place".equals(c.source().fileWrite())
        ? "written in place"
        : "written to a temporary file and renamed into place (atomic, as kubectl and ConfigMap tooling write)";
    return String.format(Locale.ROOT, """
        The world: services × endpoints × %d clusters served from files (`--source files`): a configuration
        directory whose %d clusters are file clusters, each `clusters/<cluster>/` holding its nodes, its services
        in one file and one file per service's EndpointSlice; %d zones, every endpoint ready, one DestinationRule
        (outlier detection, locality load balancing) for every service in `policies/`. The clients: Envoy
        sidecars' ADS streams (node on the first request only, wildcard CDS, then EDS for every cluster CDS
        returned, every response ACKed at once), one connection each, in the %d zones in turn (so %d node
        groups). A change is one endpoint's readiness flipped in its service's slice file (%s), timed from the
        write until every client holds the changed load assignment; the bytes are what all clients received over
        that span (serialized responses), the CPU is the server process's (user and system) over it. One
        unmeasured change first, then %d measured. Memory: live heap after full GCs and resident set, after the
        clients connected; the peak resident set at the end. Vicinity (`vicinity serve`) and the floor (a bare
        gRPC-Java server replaying Vicinity's recorded CDS and EDS responses) each run in a JVM of their own
        (`-Xmx%s`, G1); the clients run in the harness JVM, on the same cores.

        """, c.clusters(), c.clusters(), c.zones(), c.zones(), c.zones(), write, c.rounds(), c.serverHeap());
  }

  private static void vicinity(StringBuilder md, List<FleetResults.Run> runs, String label,
      Function<FleetResults.Server, String> cell) {
    row(md, runs, label, r -> r.vicinity() == null ? "" : cell.apply(r.vicinity()));
  }

  private static void floor(StringBuilder md, List<FleetResults.Run> runs, String label,
      Function<FleetResults.Server, String> cell) {
    row(md, runs, label, r -> r.floor() == null ? "" : cell.apply(r.floor()));
  }

  private static void row(StringBuilder md, List<FleetResults.Run> runs, String label, Function<FleetResults.Run, String> cell) {
    md.append("| ").append(label).append(" | ");
    runs.forEach(r -> md.append(cell.apply(r).replace("|", "\\|")).append(" | "));
    md.append("\n");
  }

  private static String ms(double millis) {
    return millis >= 10_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000) : String.format(Locale.ROOT, "%,.0f ms", millis);
  }
}
