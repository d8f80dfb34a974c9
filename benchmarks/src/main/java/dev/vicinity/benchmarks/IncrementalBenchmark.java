package dev.vicinity.benchmarks;

import dev.vicinity.api.config.MeshTopology;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.policy.VirtualDestination;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.Endpoint;
import dev.vicinity.api.world.EndpointConditions;
import dev.vicinity.api.world.ServiceKey;
import dev.vicinity.api.world.World;
import dev.vicinity.translator.catalog.IncrementalCatalog;
import java.util.ArrayList;
import java.util.List;
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
 * The catalog of {@link LargeWorld} at 10k and 100k endpoints: built in full, and updated from the last
 * one after one endpoint turned unready, after one service's endpoints were all replaced (a rollout),
 * and after one VirtualDestination changed. Worlds are built as sources hand them over: what did not
 * change keeps its instances. Single-threaded, so per-op figures are per core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xms4g", "-Xmx4g"})
public class IncrementalBenchmark {
  @Param({"10000", "100000"})
  int endpoints;

  World world;
  PolicySet policies;
  IncrementalCatalog built;
  World oneEndpointChanged;
  World oneServiceReplaced;
  PolicySet oneVirtualDestinationChanged;

  @Setup
  public void setUp() {
    world = LargeWorld.world(endpoints / LargeWorld.ENDPOINTS_PER_SERVICE);
    policies = LargeWorld.policies();
    built = IncrementalCatalog.empty(MeshTopology.NONE).update(world, policies);
    ClusterWorld first = world.clusters().values().iterator().next();
    Endpoint flipped = first.endpoints().get(first.endpoints().size() / 2);
    oneEndpointChanged = world.with(replaced(first, flipped.service(), e -> e == flipped ? unready(e) : e));
    ServiceKey rolledOut = first.services().get(first.services().size() / 3).key();
    oneServiceReplaced = world.with(replaced(first, rolledOut, IncrementalBenchmark::newAddress));
    List<VirtualDestination> vds = new ArrayList<>(policies.virtualDestinations());
    VirtualDestination vd = vds.get(0);
    vds.set(0, new VirtualDestination(vd.metadata(), new VirtualDestination.Spec(vd.spec().hostname(),
        new VirtualDestination.Port(vd.spec().port().number(), "grpc", null, null), vd.spec().localized(), null,
        vd.spec().virtualMesh(), null)));
    oneVirtualDestinationChanged = new PolicySet(vds, policies.trafficPolicies(), policies.destinationRules());
  }

  private static ClusterWorld replaced(ClusterWorld cluster, ServiceKey service, java.util.function.UnaryOperator<Endpoint> change) {
    List<Endpoint> endpoints = new ArrayList<>(cluster.endpoints().size());
    cluster.endpoints().forEach(e -> endpoints.add(e.service().equals(service) ? change.apply(e) : e));
    return new ClusterWorld(cluster.id(), cluster.network(), cluster.syncState(), cluster.services(), endpoints);
  }

  private static Endpoint unready(Endpoint e) {
    return new Endpoint(e.cluster(), e.service(), e.address(), e.portName(), e.port(), e.locality(), e.nodeName(),
        EndpointConditions.NOT_READY, e.network());
  }

  private static Endpoint newAddress(Endpoint e) {
    return new Endpoint(e.cluster(), e.service(), e.address().replaceFirst("^10\\.", "11."), e.portName(), e.port(),
        e.locality(), e.nodeName(), e.conditions(), e.network());
  }

  @Benchmark
  public IncrementalCatalog fullBuild() {
    return IncrementalCatalog.empty(MeshTopology.NONE).update(world, policies);
  }

  @Benchmark
  public IncrementalCatalog oneEndpoint() {
    return built.update(oneEndpointChanged, policies);
  }

  @Benchmark
  public IncrementalCatalog oneService() {
    return built.update(oneServiceReplaced, policies);
  }

  @Benchmark
  public IncrementalCatalog onePolicy() {
    return built.update(world, oneVirtualDestinationChanged);
  }
}
