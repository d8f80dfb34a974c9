package dev.vicinity.benchmarks;

import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.world.World;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.translator.Translator;
import dev.vicinity.translator.catalog.Catalog;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Translation of {@link LargeWorld}, single-threaded (so per op figures are per core): the catalog
 * (selection, rules), one group's resources from a catalog, and a full reconcile of 8 groups.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgs = {"-Xms4g", "-Xmx4g"})
public class TranslationBenchmark {
  World world;
  PolicySet policies;
  List<ClientProfile> clients;
  Catalog catalog;

  @Setup
  public void setUp() {
    world = LargeWorld.world();
    policies = LargeWorld.policies();
    clients = LargeWorld.clients();
    catalog = Catalog.build(world, policies);
    for (ClientProfile client : clients) {
      AcceptanceCheck.require("large world, " + client, Translator.translate(catalog, client), client.kind());
    }
  }

  @Benchmark
  public Catalog catalog() {
    return Catalog.build(world, policies);
  }

  @Benchmark
  public void translateOneGroup(Blackhole blackhole) {
    blackhole.consume(Translator.translate(catalog, clients.get(0)));
  }

  @Benchmark
  public void reconcileEightGroups(Blackhole blackhole) {
    Catalog fresh = Catalog.build(world, policies);
    for (ClientProfile client : clients) {
      blackhole.consume(Translator.translate(fresh, client));
    }
  }
}
