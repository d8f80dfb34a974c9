package dev.vicinity.benchmarks;

import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.world.Inputs;
import dev.vicinity.api.world.Locality;
import dev.vicinity.inventory.files.FileSource;
import dev.vicinity.translator.ClientKind;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.translator.Translator;
import dev.vicinity.translator.acceptance.ClientAcceptance;
import dev.vicinity.translator.catalog.Catalog;
import dev.vicinity.translator.envoy.XdsResources;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What checking a resource against Envoy's rules (and gRPC's) costs, since the server checks every resource it
 * publishes: the largest load assignment of {@link LargeWorld} (1,000 endpoints), the bookinfo example's
 * snapshot for one Envoy, and one whole group of the large world. Run from the repository root.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms4g", "-Xmx4g"})
public class AcceptanceBenchmark {
  @Param("examples/bookinfo")
  public String example;

  ClusterLoadAssignment largeAssignment;
  XdsResources bookinfo;
  XdsResources largeGroup;

  @Setup
  public void setUp() throws IOException {
    Catalog large = Catalog.build(LargeWorld.world(), LargeWorld.policies());
    largeGroup = Translator.translate(large, LargeWorld.clients().get(0));
    largeAssignment = largeGroup.endpoints().stream()
        .max(Comparator.comparingInt(assignment -> assignment.getEndpointsList().stream()
            .mapToInt(locality -> locality.getLbEndpointsCount()).sum()))
        .orElseThrow();
    Path root = Path.of(example);
    VicinityConfig settings = ConfigReader.read("vicinity.yaml", Files.readString(root.resolve("vicinity.yaml")))
        .config().orElseThrow();
    Inputs inputs = FileSource.readOnce(root, settings);
    bookinfo = Translator.translate(Catalog.build(inputs.world(), inputs.policies(), settings.meshTopology()),
        new ClientProfile(ClientKind.ENVOY, "mgmt-cluster", Locality.parse("us-east-1/us-east-1a"), "", Map.of(), "bookinfo"));
    System.out.printf("%nlarge assignment: %d endpoints; bookinfo: %d resources; large group: %d resources%n",
        largeAssignment.getEndpointsList().stream().mapToInt(locality -> locality.getLbEndpointsCount()).sum(),
        count(bookinfo), count(largeGroup));
  }

  private static int count(XdsResources resources) {
    return List.of(resources.clusters(), resources.endpoints(), resources.listeners(), resources.routes()).stream()
        .mapToInt(List::size).sum();
  }

  @Benchmark
  public Object largeAssignmentForEnvoy() {
    return ClientAcceptance.check(largeAssignment, ClientKind.ENVOY);
  }

  @Benchmark
  public Object largeAssignmentForGrpc() {
    return ClientAcceptance.check(largeAssignment, ClientKind.GRPC);
  }

  @Benchmark
  public Object bookinfoSnapshot() {
    return ClientAcceptance.check(bookinfo, ClientKind.ENVOY);
  }

  @Benchmark
  public Object largeWorldGroup() {
    return ClientAcceptance.check(largeGroup, ClientKind.GRPC);
  }
}
