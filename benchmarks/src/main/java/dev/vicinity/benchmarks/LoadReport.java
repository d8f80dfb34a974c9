package dev.vicinity.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Writes the load harness's figures: a markdown table for people, and the raw numbers as JSON beside it. */
final class LoadReport {
  private LoadReport() {}

  static void write(Path markdown, LoadResults results) throws IOException {
    ReportFiles.write(markdown, results, json -> markdown(results, json));
  }

  static String markdown(LoadResults results, String jsonName) {
    LoadResults.Conditions c = results.conditions();
    List<LoadResults.Run> runs = results.runs();
    WorldSource source = WorldSource.parse(c.source());
    StringBuilder md = new StringBuilder();
    md.append("# Load: simulated ADS clients against one Vicinity server, bookinfo from ")
        .append(source == WorldSource.FILES ? "files" : "mock Kubernetes API servers").append("\n\n");
    md.append(String.format(Locale.ROOT, """
        %s, %d cores, Java %s, %s. Raw figures in `%s`. Reproduce with:

        ```shell
        mvn -B -q -Pbench -DskipTests package -pl benchmarks -am \\
          && %s
        ```

        Conditions: %d localities (%d node groups of Envoy clients: `CLUSTER_ID` mgmt-cluster and remote-cluster in
        turn, regions us-east-1 and us-east-2, a zone each), %s, every client ACKing each
        response at once. Vicinity (`vicinity serve`) and the floor each run in a JVM of their own (`-Xmx%s`,
        G1); the clients run in the harness JVM, on the same cores.
        %s Rounds: %d changes, %d storms.

        """, c.date(), c.cores(), c.java(), c.os(), jsonName, c.command(), c.localities(), c.localities(),
        c.streamsPerConnection() == 1 ? "one connection per client, as real proxies have"
            : c.streamsPerConnection() + " client streams per connection",
        c.serverHeap(), world(source, c.coalesceWindowMillis()), c.rounds(), c.storms()));

    md.append("| | ");
    runs.forEach(r -> md.append(String.format(Locale.ROOT, "%,d clients | ", r.clients())));
    md.append("goal |\n|---|");
    runs.forEach(r -> md.append("---|"));
    md.append("---|\n");
    row(md, runs, "(a) change → last client's ACK of the new EDS version, p50", r -> ms(r.vicinity().lastAck().p50()), "");
    row(md, runs, "(a) change → last client's ACK, p99 (max)",
        r -> ms(r.vicinity().lastAck().p99()) + " (" + ms(r.vicinity().lastAck().max()) + ")", "1k: ≤ 250 ms; 5k: ≤ 1 s");
    row(md, runs, "(a) change → first client's ACK, p50", r -> ms(r.vicinity().firstAck().p50()), "");
    row(md, runs, "(a) fan-out: first → last client's ACK, p50", r -> ms(r.vicinity().fanOut().p50()), "");
    row(md, runs, "(b) live heap per connected client", r -> ReportFiles.bytes(r.heap().perClient()), "≤ 100 KB");
    row(md, runs, String.format(Locale.ROOT, "(b) live heap per endpoint (%,d extra endpoints, %d groups)",
        c.extraEndpoints(), c.localities()), r -> ReportFiles.bytes(r.heap().perEndpoint()), "");
    row(md, runs, String.format(Locale.ROOT, "(b) live heap per connected client, with the %,d extra endpoints (its EDS response)",
        c.extraEndpoints()), r -> ReportFiles.bytes(r.heap().perClientWithEndpoints()) + " (" + ReportFiles.bytes(r.heap().largeEndpointResponseBytes()) + ")",
        "");
    row(md, runs, "(b) live heap: no client / one per group / all clients",
        r -> ReportFiles.bytes(r.heap().noClients()) + " / " + ReportFiles.bytes(r.heap().onePerGroup()) + " / " + ReportFiles.bytes(r.heap().withClients()),
        "5k in ≤ 1 GiB");
    row(md, runs, "(b) resident set with all clients (heap, direct buffers, threads...)",
        r -> ReportFiles.bytes(r.vicinity().rssWithClients()), "");
    row(md, runs, "(c) reconnect storm → all converged (CDS and EDS ACKed), median (max)",
        r -> ms(r.vicinity().storm().p50()) + " (" + ms(r.vicinity().storm().max()) + ")", "");
    row(md, runs, "first connection of all clients → all converged", r -> ms(r.vicinity().connectMillis()), "");
    row(md, runs, "(d) floor: push → last client's ACK, p50 / p99",
        r -> ms(r.floor().lastAck().p50()) + " / " + ms(r.floor().lastAck().p99()), "");
    row(md, runs, "(d) floor: fan-out, first → last client's ACK, p50", r -> ms(r.floor().fanOut().p50()), "");
    row(md, runs, "(d) floor: reconnect storm, median (max)",
        r -> ms(r.floor().storm().p50()) + " (" + ms(r.floor().storm().max()) + ")", "");
    row(md, runs, "(d) floor: live heap per connected client", r -> ReportFiles.bytes(r.floor().heapPerClient()), "");
    row(md, runs, "(d) Vicinity / floor, change → last ACK: p50, p99",
        r -> ratio(r.ratios().lastAckP50()) + ", " + ratio(r.ratios().lastAckP99()), "≤ 2");
    row(md, runs, "(d) Vicinity / floor, fan-out alone (p50)", r -> ratio(r.ratios().fanOutP50()), "");
    row(md, runs, "(d) Vicinity / floor, storm (median)", r -> ratio(r.ratios().stormMedian()), "");
    row(md, runs, "CDS / EDS response size", r -> r.clusterResponseBytes() + " B / " + r.endpointResponseBytes() + " B", "");
    row(md, runs, "load average (1/5/15 min) before → after", r -> r.loadAverageBefore() + " → " + r.loadAverageAfter(), "");

    md.append(String.format(Locale.ROOT, """

        What the figures are:
        - (a) For each change, every client's time is taken right after it sent the ACK of the first EDS version
          other than the one it held; the round's figure is the latest of them (the first is shown too).
        - (b) Live heap after two full collections (`jcmd GC.run`, then `GC.heap_info`), the smallest of three
          such samples. Per client: (heap with all clients − heap with the clients of the endpoint probe) / the
          clients added: what a stream costs (gRPC and Netty call and connection state, java-control-plane's
          watches and the nonce and resource names of its last response of each type, Vicinity's per-proxy
          record), not the groups' snapshots. Per endpoint: (heap with %,d extra endpoints in EndpointSlices of
          %d − heap before) / %,d, with one client per group connected: the source's copy of the objects
          (informer cache or parsed files), the World, the catalog and the %d groups' snapshots (a
          ClusterLoadAssignment per group). With the extra endpoints:
          (heap after adding about 100 clients, as many to each group − before) / clients added: a stream's
          cost when its EDS response carries those endpoints. Off-heap memory (Netty's pooled direct buffers)
          is only in the resident set.
        - (c) All streams cancelled and connections closed, then every client reconnects at once; time from the
          first reopen to the last client having ACKed CDS and EDS on its new stream.
        - (d) The floor is a bare gRPC-Java server with the ADS method and a bytes marshaller, replaying the CDS
          and the two alternating EDS responses client 0 received from Vicinity (group 0's, sent to every
          client), pushed to every stream on an HTTP trigger, timed from the trigger's request. The ratio is
          Vicinity's time over the floor's: Vicinity's includes noticing the change (%s), the
          coalescing window and translation, which the floor does not do.
        """, c.extraEndpoints(), c.endpointsPerSlice(), c.extraEndpoints(), c.localities(),
        source == WorldSource.FILES ? "the file event and re-reading the file"
            : "the API server and the informer"));
    return md.toString();
  }

  /** What the World is, where Vicinity reads it from, and what a change is. */
  private static String world(WorldSource source, long coalesceWindowMillis) {
    return switch (source) {
      case KUBERNETES -> String.format(Locale.ROOT, """
          The World: the bookinfo example in two fabric8 mock Kubernetes API servers (`--source kubernetes`),
          watched live; a change is reviews-v1's readiness flipped through the API, timed from the API call (so it
          includes the informer event, the %d ms coalescing window and translation); the extra endpoints of (b)
          are created and deleted through the API.""", coalesceWindowMillis);
      case FILES -> String.format(Locale.ROOT, """
          The World: a copy of the bookinfo example served from files (`--source files`); a change is reviews-v1's
          readiness flipped in `clusters/mgmt-cluster/reviews.yaml`, written to a hidden file in the same
          directory and renamed into place (atomic), timed from before that write (so it includes the file event,
          re-reading the file, the %d ms coalescing window and translation); the extra endpoints of (b) are one
          file in `clusters/mgmt-cluster/`, renamed into place, then deleted.""", coalesceWindowMillis);
    };
  }

  private static void row(StringBuilder md, List<LoadResults.Run> runs, String label, Function<LoadResults.Run, String> cell,
      String goal) {
    md.append("| ").append(label).append(" | ");
    runs.forEach(r -> md.append(cell.apply(r)).append(" | "));
    md.append(goal).append(" |\n");
  }

  private static String ms(double millis) {
    return millis >= 100 ? String.format(Locale.ROOT, "%,.0f ms", millis) : String.format(Locale.ROOT, "%.1f ms", millis);
  }

  private static String ratio(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
