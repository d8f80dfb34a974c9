package dev.vicinity.benchmarks;

import java.util.List;

/** What one load harness invocation measured: the conditions, and one run per fleet size. */
record LoadResults(Conditions conditions, List<Run> runs) {

  /** Where and how the figures were taken. */
  record Conditions(
      String date,
      int cores,
      String java,
      String os,
      String command,
      /** Where Vicinity read the World: "kubernetes" (mock API servers) or "files" (the {@code --source} flag). */
      String source,
      int localities,
      int rounds,
      int storms,
      int extraEndpoints,
      int endpointsPerSlice,
      String serverHeap,
      int streamsPerConnection,
      long coalesceWindowMillis) {}

  /** One fleet size against Vicinity, then against the floor server. */
  record Run(
      int clients,
      String loadAverageBefore,
      String loadAverageAfter,
      int clusterResponseBytes,
      int endpointResponseBytes,
      Server vicinity,
      Server floor,
      VicinityHeap heap,
      Ratios ratios) {}

  /** Timings against one server, in milliseconds. */
  record Server(
      /** All N clients connected at once, from the first stream opened to the last client converged. */
      double connectMillis,
      /** Per change: from the change to the last client's ACK of the new EDS version. */
      Distribution lastAck,
      /** Per change: from the change to the first client's ACK. */
      Distribution firstAck,
      /** Per change: from the first client's ACK to the last's. */
      Distribution fanOut,
      /** Per storm: from reopening every stream to the last client converged (CDS and EDS ACKed). */
      Distribution storm,
      List<Arrivals.Spread> changes,
      List<Double> storms,
      /** Live heap after a full GC with no client and with N clients converged (bytes). */
      long heapNoClients,
      long heapWithClients,
      long rssWithClients,
      double heapPerClient) {}

  /**
   * Vicinity's heap after a full GC (bytes): with no client; with one client per locality (K node
   * groups); the same plus the extra endpoints; with {@code probeClients} more clients; with all those
   * after the endpoints are deleted again; with N clients. Per client: over the last two; per endpoint:
   * over the two before and after adding the endpoints; per client with the endpoints: over the probe
   * clients, whose EDS responses were {@code largeEndpointResponseBytes}.
   */
  record VicinityHeap(
      long noClients,
      long onePerGroup,
      long onePerGroupWithEndpoints,
      int probeClients,
      long probeClientsWithEndpoints,
      long afterEndpoints,
      long withClients,
      double perClient,
      double perEndpoint,
      double perClientWithEndpoints,
      int largeEndpointResponseBytes) {}

  /**
   * Vicinity's figure over the floor's: change to last ACK; fan-out alone (first to last client's ACK of
   * the same change, medians), which leaves out what only Vicinity does before its first push; storm.
   */
  record Ratios(double lastAckP50, double lastAckP99, double fanOutP50, double stormMedian) {}
}
