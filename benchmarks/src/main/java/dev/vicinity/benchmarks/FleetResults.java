package dev.vicinity.benchmarks;

import java.util.List;

/** What one Envoy fleet harness invocation measured: the conditions, and one run per world and fleet size. */
record FleetResults(Conditions conditions, List<Run> runs) {

  /** Where and how the figures were taken. */
  record Conditions(String date, int cores, String java, String os, String command, int rounds, String serverHeap,
      int clusters, int zones, Source source) {}

  /**
   * Where Vicinity read the world from: {@code kubernetes} (mock API servers) or {@code files}; for files,
   * how a change is written ({@code renamed} into place or {@code in-place}), else null.
   */
  record Source(String name, String fileWrite) {
    boolean files() {
      return "files".equals(name);
    }
  }

  /**
   * One fleet of {@code clients} Envoy-style clients on one world, against Vicinity and then the floor;
   * {@code failure} says what stopped the run early (the figures then hold what was measured before).
   */
  record Run(
      int services,
      int endpointsPerCluster,
      int endpoints,
      int clients,
      String loadAverageBefore,
      String loadAverageAfter,
      int clustersPerClient,
      int clustersWithOutlierDetection,
      int clusterResponseBytes,
      int endpointResponseBytes,
      int changedAssignmentBytes,
      Server vicinity,
      Server floor,
      Ratios ratios,
      String failure) {}

  /**
   * One server's figures: connect until every client holds EDS for every cluster; each change until
   * every client holds the changed load assignment (last and first arrival, ms); what the clients
   * received per change (bytes, all clients together) and the server's CPU time per change; memory
   * after connecting (live heap after full GCs, resident set) and the resident set's peak; {@code phases}
   * is null for the floor.
   */
  record Server(
      double connectMillis,
      Distribution lastArrival,
      Distribution firstArrival,
      List<Double> changeMillis,
      double bytesPerChange,
      double cpuSecondsPerChange,
      long liveHeapBytes,
      long rssBytes,
      long peakRssBytes,
      Phases phases) {}

  /**
   * Where a change's time to the first client went (Vicinity only, by the wall clock its metrics give): from
   * the write until a source told the reconciler (the file source's look, or the API server's watch and the
   * informer), from then until the first changed snapshot was published (the coalescing window included),
   * and from then until the first client held it (the push).
   */
  record Phases(Distribution sourceMillis, Distribution serverMillis, Distribution pushMillis) {}

  /** Vicinity divided by the floor: change → all clients hold it, p50 and p99; bytes and CPU per change. */
  record Ratios(double lastArrivalP50, double lastArrivalP99, double bytesPerChange, double cpuPerChange) {}
}
