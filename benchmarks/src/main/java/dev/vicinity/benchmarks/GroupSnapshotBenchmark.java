package dev.vicinity.benchmarks;

import dev.vicinity.server.xds.SharedResources;
import dev.vicinity.server.xds.VersionedResource;
import dev.vicinity.server.xds.XdsSnapshot;
import dev.vicinity.server.xds.XdsType;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.translator.Translator;
import dev.vicinity.translator.acceptance.ClientAcceptance;
import dev.vicinity.translator.acceptance.PassedParts;
import dev.vicinity.translator.acceptance.Violation;
import dev.vicinity.translator.catalog.Catalog;
import dev.vicinity.translator.envoy.XdsResources;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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

/**
 * What the server does for a node group of {@link LargeWorld} on top of translating it: version every
 * resource (deterministic serialization, hashed) and check every resource against its clients' rules, as
 * the reconciler's Snapshots and SnapshotAcceptance do (a version already checked for the kind of client is
 * not checked again). {@code newGroup}: a group joins while the other seven are served, so the server's
 * memos (serialized messages and LbEndpoints, LbEndpoints that passed the rules) already hold what the
 * groups share; {@code newGroupWithoutMemos}: every resource serialized and walked in full, as before them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgs = {"-Xms4g", "-Xmx4g"})
public class GroupSnapshotBenchmark {
  Catalog catalog;
  ClientProfile joining;
  SharedResources shared;
  PassedParts passed;
  /** The other groups' snapshots: what keeps the shared memos' entries alive, as served groups do. */
  List<XdsSnapshot> served;
  /** The resource versions checked while serving the other groups, by client kind, type and name. */
  Set<String> checkedWhileServing;

  @Setup
  public void setUp() {
    catalog = Catalog.build(LargeWorld.world(), LargeWorld.policies());
    List<ClientProfile> clients = LargeWorld.clients();
    joining = clients.get(0);
    shared = new SharedResources();
    passed = PassedParts.remembering();
    served = new ArrayList<>();
    checkedWhileServing = new HashSet<>();
    for (ClientProfile client : clients.subList(1, clients.size())) {
      served.add(snapshot(Translator.translate(catalog, client), client, shared, passed, checkedWhileServing::add));
    }
  }

  /**
   * Versions every resource and checks those whose version was not checked for this kind of client yet, as
   * SnapshotAcceptance does. {@code firstCheck}: true for a version (kind, type, name, version) not yet checked,
   * which it then counts as checked.
   */
  private static XdsSnapshot snapshot(XdsResources resources, ClientProfile client, SharedResources shared,
      PassedParts passed, Predicate<String> firstCheck) {
    XdsSnapshot snapshot = XdsSnapshot.of(Map.of(
        XdsType.CLUSTER, resources.clusters(),
        XdsType.ENDPOINT, resources.endpoints(),
        XdsType.LISTENER, resources.listeners(),
        XdsType.ROUTE, resources.routes()), shared);
    for (XdsType type : XdsType.values()) {
      for (VersionedResource resource : snapshot.resources(type).values()) {
        if (firstCheck.test(client.kind() + "|" + type + "|" + resource.name() + "|" + resource.version())) {
          List<Violation> violations = ClientAcceptance.check(resource.message(), client.kind(), passed);
          if (!violations.isEmpty()) {
            throw new IllegalStateException("the large world's translation would be refused: " + violations.get(0));
          }
        }
      }
    }
    return snapshot;
  }

  private Predicate<String> firstCheckAfterServing() {
    Set<String> checked = new HashSet<>();
    return key -> !checkedWhileServing.contains(key) && checked.add(key);
  }

  /** Each operation is the group's first: it knows the versions checked for the served groups only. */
  @Benchmark
  public XdsSnapshot newGroup() {
    return snapshot(Translator.translate(catalog, joining), joining, shared, passed, firstCheckAfterServing());
  }

  @Benchmark
  public XdsSnapshot newGroupWithoutMemos() {
    return snapshot(Translator.translate(catalog, joining), joining, new SharedResources(), PassedParts.none(),
        firstCheckAfterServing());
  }
}
