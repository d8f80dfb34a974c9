package dev.vicinity.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * Turns {@link IncrementalBenchmark}'s JSON results into {@code incremental.md}: per benchmark and world
 * size the time per operation, and for the full build the endpoints built per second on one core.
 * Usage: {@code java -cp benchmarks.jar dev.vicinity.benchmarks.IncrementalReport results.json results.md}.
 */
public final class IncrementalReport {
  private IncrementalReport() {}

  public static void main(String[] args) throws IOException {
    JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    StringBuilder md = new StringBuilder()
        .append("# Incremental catalog benchmark\n\n")
        .append("World: `LargeWorld` at 10k and 100k endpoints (10 per service over 4 clusters and 50 localities; ")
        .append(LargeWorld.VIRTUAL_DESTINATIONS).append(" VirtualDestinations selecting services by label; one wildcard ")
        .append("DestinationRule with failover and outlier detection for every service). The updates start from the catalog ")
        .append("of the unchanged world: one endpoint turns unready; one service's 10 endpoints are replaced by new ")
        .append("addresses (a rollout); one VirtualDestination's protocol changes. What did not change keeps its instances, ")
        .append("as Vicinity's sources hand them over.\n\n")
        .append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append(", ").append(LocalDate.now())
        .append(". Single-threaded: per core. Reproduce:\n\n```\n")
        .append("mvn -B -q -Pbench -DskipTests package -pl benchmarks -am \\\n")
        .append("  && java -jar benchmarks/target/benchmarks.jar IncrementalBenchmark -rf json -rff benchmarks/results/incremental.json -prof gc \\\n")
        .append("  && java -cp benchmarks/target/benchmarks.jar dev.vicinity.benchmarks.IncrementalReport \\\n")
        .append("       benchmarks/results/incremental.json benchmarks/results/incremental.md\n```\n\n")
        .append("| benchmark | endpoints | time per op | allocated per op | endpoints/s/core |\n|---|---|---|---|---|\n");
    for (JsonNode result : results) {
      String name = result.path("benchmark").asText().replaceAll(".*\\.", "");
      long endpoints = result.path("params").path("endpoints").asLong();
      double microsPerOp = result.path("primaryMetric").path("score").asDouble();
      double error = result.path("primaryMetric").path("scoreError").asDouble();
      JsonNode allocated = allocatedPerOp(result.path("secondaryMetrics"));
      String perOp = allocated.isMissingNode() ? "" : String.format("%,.0f KB", allocated.asDouble() / 1024);
      String rate = name.equals("fullBuild") ? String.format("%,.0f", endpoints / (microsPerOp / 1_000_000.0)) : "";
      md.append(String.format("| %s | %,d | %,.1f µs ± %,.1f | %s | %s |%n", name, endpoints, microsPerOp, error, perOp, rate));
    }
    Files.writeString(Path.of(args[1]), md.toString());
    System.out.print(md);
  }

  /** JMH's gc profiler names the metric with or without a leading dot, by version. */
  private static JsonNode allocatedPerOp(JsonNode secondary) {
    var names = secondary.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (name.endsWith("gc.alloc.rate.norm")) {
        return secondary.path(name).path("score");
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}
