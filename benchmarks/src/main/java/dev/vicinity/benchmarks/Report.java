package dev.vicinity.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vicinity.translator.Destination;
import dev.vicinity.translator.catalog.Catalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

/**
 * Turns JMH's JSON results into {@code translation.md}: per benchmark the time per operation and the
 * endpoints placed per second on one core (endpoints an operation handles / seconds per operation).
 * Usage: {@code java -cp benchmarks.jar dev.vicinity.benchmarks.Report results.json results.md}.
 */
public final class Report {
  private Report() {}

  public static void main(String[] args) throws IOException {
    JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    Catalog catalog = Catalog.build(LargeWorld.world(), LargeWorld.policies());
    long perGroup = catalog.destinations().stream().mapToLong(d -> d.endpoints().size()).sum();
    int groups = LargeWorld.clients().size();
    Map<String, Long> endpointsPerOp = Map.of(
        "catalog", perGroup,
        "translateOneGroup", perGroup,
        "reconcileEightGroups", perGroup * groups,
        "newGroup", perGroup,
        "newGroupWithoutMemos", perGroup);
    StringBuilder md = new StringBuilder();
    md.append("# Translation benchmark\n\n")
        .append("World: ").append(LargeWorld.SERVICES).append(" services x ").append(LargeWorld.ENDPOINTS_PER_SERVICE)
        .append(" endpoints over 50 localities and 4 clusters; ").append(LargeWorld.VIRTUAL_DESTINATIONS)
        .append(" VirtualDestinations (100 services each) and a DestinationRule with failover for every service, so ")
        .append(perGroup).append(" endpoint placements per client group; ").append(groups).append(" client groups.\n\n")
        .append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append(", ").append(LocalDate.now()).append(". Single-threaded: per core.\n\n")
        .append("| benchmark | time per op | endpoints per op | endpoints/s/core | allocated per endpoint |\n|---|---|---|---|---|\n");
    for (JsonNode result : results) {
      String name = result.path("benchmark").asText().replaceAll(".*\\.", "");
      double msPerOp = result.path("primaryMetric").path("score").asDouble();
      double error = result.path("primaryMetric").path("scoreError").asDouble();
      long endpoints = endpointsPerOp.getOrDefault(name, 0L);
      // With -prof gc, JMH reports the bytes allocated per operation.
      JsonNode allocated = result.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score");
      String perEndpoint = allocated.isMissingNode() || endpoints == 0 ? "" : String.format("%,.0f B", allocated.asDouble() / endpoints);
      md.append(String.format("| %s | %.1f ms ± %.1f | %,d | %,.0f | %s |%n", name, msPerOp, error, endpoints,
          endpoints / (msPerOp / 1000.0), perEndpoint));
    }
    Files.writeString(Path.of(args[1]), md.toString());
    System.out.print(md);
  }
}
