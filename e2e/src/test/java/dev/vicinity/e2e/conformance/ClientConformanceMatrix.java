package dev.vicinity.e2e.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vicinity.e2e.Backend;
import dev.vicinity.e2e.Examples;
import dev.vicinity.server.VicinityServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seed walkthrough played by every proxyless xDS client at once, each its own process calling
 * continuously against one Vicinity: local backends first, the remote ones when they stop, local
 * again when they return (and steadily so for {@link #STEADY}, long enough for the clients' periodic
 * outlier-detection checks), while a client in the other cluster (if the seed has one) stays there; no
 * client NACKs anything, by the server's count and on {@code /debug/proxies}.
 * Each step reports one result per client. A client whose runtime is not installed is skipped with
 * how to install it, or fails the class when {@code -Dvicinity.conformance.required=true}
 * ({@code scripts/test} sets it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ClientConformanceMatrix {
  static final String REQUIRED_PROPERTY = "vicinity.conformance.required";
  /** Includes a JVM's or Node's start-up and the first xDS exchange, on a busy 2-core machine. */
  private static final Duration FIRST_ANSWERS_WITHIN = Duration.ofSeconds(90);
  private static final Duration FAILOVER_WITHIN = Duration.ofSeconds(45);
  /**
   * Clients reconnect to returning backends with exponential backoff (1 s, then 1.6 times longer...), and a
   * call that was in flight when a backend stopped can get it ejected for the seed's base ejection time
   * (bookinfo: 120 s, checked every 5 s): a bound above that, reached only then.
   */
  private static final Duration RETURN_WITHIN = Duration.ofSeconds(150);
  /** Several outlier-detection intervals (the seeds' are 5 s and 1 s); grpc-js crashed within seconds. */
  static final Duration STEADY = Duration.ofSeconds(30);
  /** Answers in a row that show a client has settled on a set of backends. */
  private static final int SETTLED = 10;
  /** At the clients' pace (one call every 50 ms plus the call), a very loose floor for "steady traffic". */
  private static final int STEADY_MINIMUM_CALLS = 60;

  private final Path root = Path.of(System.getProperty("vicinity.root", ".."));
  private final Map<ClientRuntime, String> missing = new EnumMap<>(ClientRuntime.class);
  private final List<Backend> localBackends = new ArrayList<>();
  private final List<Backend> remoteBackends = new ArrayList<>();
  private final Map<ClientRuntime, ClientAgent> localClients = new EnumMap<>(ClientRuntime.class);
  private final Map<ClientRuntime, ClientAgent> otherClusterClients = new EnumMap<>(ClientRuntime.class);
  /** Per client, the index of its first answer after it had settled back on the local backends. */
  private final Map<ClientRuntime, Integer> returned = new EnumMap<>(ClientRuntime.class);
  private Path temp;
  private VicinityServer server;
  private DebugEndpoint debug;

  abstract Seed seed();

  @BeforeAll
  void start(@TempDir Path temp) throws IOException {
    this.temp = temp;
    for (ClientRuntime runtime : ClientRuntime.values()) {
      runtime.missing(root).ifPresent(reason -> missing.put(runtime, reason));
    }
    if (Boolean.getBoolean(REQUIRED_PROPERTY) && !missing.isEmpty()) {
      throw new AssertionError("-D" + REQUIRED_PROPERTY + "=true, but these conformance clients cannot run: "
          + missing.entrySet().stream().map(e -> e.getKey().displayName() + ": " + e.getValue()).collect(Collectors.joining("; ")));
    }
    Seed seed = seed();
    int port = Examples.freePort(seed.localBackends().values().iterator().next());
    seed.localBackends().forEach((version, address) -> localBackends.add(backend(version, address, port)));
    seed.remoteBackends().forEach((version, address) -> remoteBackends.add(backend(version, address, port)));
    server = Examples.serve(Examples.copyWithBackendPort(seed.config(), temp.resolve("config"), port));
    debug = new DebugEndpoint(server.debugPort());
    for (ClientRuntime runtime : ClientRuntime.values()) {
      if (!missing.containsKey(runtime)) {
        localClients.put(runtime, startClient(runtime, seed.localClient()));
        if (seed.otherClusterClient().isPresent()) {
          otherClusterClients.put(runtime, startClient(runtime, seed.otherClusterClient().get().node()));
        }
      }
    }
  }

  private static Backend backend(String version, String address, int port) {
    return new Backend(version, new InetSocketAddress(address, port)).start();
  }

  /** Each process gets its own node id (the seed's, then the runtime), so that /debug/proxies tells them apart. */
  private ClientAgent startClient(ClientRuntime runtime, ClientNode node) throws IOException {
    ClientNode own = node.withId(node.id() + "-" + runtime.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    Path directory = temp.resolve("clients").resolve(own.id());
    return ClientAgent.start(runtime, own, "xds:///" + seed().target(), root, server.xdsPort(), directory);
  }

  @AfterAll
  void stop() {
    Stream.of(localClients.values(), otherClusterClients.values()).flatMap(agents -> agents.stream()).forEach(ClientAgent::close);
    if (server != null) {
      server.close();
    }
    Stream.of(localBackends, remoteBackends).flatMap(List::stream).forEach(Backend::stop);
  }

  @TestFactory
  @Order(1)
  Stream<DynamicTest> localClientIsServedByTheLocalBackendsOnly() {
    Set<String> local = seed().localVersions();
    return perClient(localClients, agent -> {
      awaitAlive(agent, FIRST_ANSWERS_WITHIN).until(() -> sinceFirstSuccess(agent).size() >= 4 * SETTLED);

      agent.assertAlive();
      assertThat(names(sinceFirstSuccess(agent))).as("%s, every answer since its first", agent)
          .allMatch(local::contains)
          .containsAll(local);
    });
  }

  @TestFactory
  @Order(2)
  Stream<DynamicTest> localClientFailsOverToTheRemoteClusterWhenTheLocalBackendsStop() {
    localBackends.forEach(Backend::stop);
    Set<String> remote = seed().remoteVersions();
    Map<ClientRuntime, Integer> stopped = sizes(localClients);
    return perClient(localClients, agent ->
        awaitAlive(agent, FAILOVER_WITHIN).untilAsserted(() ->
            assertThat(names(settledTail(agent, stopped.get(agent.runtime())))).as("%s, its last answers", agent)
                .hasSize(SETTLED)
                .allMatch(remote::contains)));
  }

  @TestFactory
  @Order(3)
  Stream<DynamicTest> localClientReturnsToTheLocalBackendsWhenTheyListenAgain() {
    localBackends.forEach(Backend::start);
    Set<String> local = seed().localVersions();
    Map<ClientRuntime, Integer> restarted = sizes(localClients);
    return perClient(localClients, agent -> {
      awaitAlive(agent, RETURN_WITHIN).untilAsserted(() ->
          assertThat(names(settledTail(agent, restarted.get(agent.runtime())))).as("%s, its last answers", agent)
              .hasSize(SETTLED)
              .allMatch(local::contains));
      returned.put(agent.runtime(), startOfLocalRun(agent, restarted.get(agent.runtime())));
    });
  }

  @TestFactory
  @Order(4)
  Stream<DynamicTest> localClientStaysAliveAndLocalUnderSteadyTrafficAfterTheReturn() {
    Set<String> local = seed().localVersions();
    Map<ClientRuntime, ClientAgent> returnedClients = new EnumMap<>(ClientRuntime.class);
    returned.keySet().forEach(runtime -> returnedClients.put(runtime, localClients.get(runtime)));
    // One window for all clients, which call concurrently; each step after it reports per client.
    await("steady traffic for " + STEADY + " after the local backends returned")
        .during(STEADY)
        .atMost(STEADY.plusSeconds(10))
        .failFast(() -> returnedClients.values().forEach(agent -> assertStayedLocal(agent, local)))
        .until(() -> true);
    return perClient(localClients, agent -> {
      assertThat(returned).as("%s returned to the local backends in the previous step", agent).containsKey(agent.runtime());
      assertStayedLocal(agent, local);
      assertThat(agent.answersFrom(returned.get(agent.runtime()))).as("%s, calls since its return", agent)
          .hasSizeGreaterThanOrEqualTo(STEADY_MINIMUM_CALLS);
    });
  }

  @TestFactory
  @Order(5)
  Stream<DynamicTest> otherClusterClientStayedInItsClusterThroughout() {
    if (seed().otherClusterClient().isEmpty()) {
      return Stream.empty(); // this walkthrough has no client in another cluster
    }
    Set<String> own = seed().otherClusterClient().get().versions();
    return perClient(otherClusterClients, agent -> {
      awaitAlive(agent, FIRST_ANSWERS_WITHIN).until(() -> sinceFirstSuccess(agent).size() >= 4 * SETTLED);

      agent.assertAlive();
      assertThat(names(sinceFirstSuccess(agent))).as("%s, every answer since its first", agent).allMatch(own::contains);
    });
  }

  @Test
  @Order(6)
  void noClientNackedAnyResponse() {
    assertThat(debug.nacksByType()).as("NACKs counted by the server per type (vicinity_xds_nacks_total); /debug/proxies: %s",
            debug.proxies())
        .isNotEmpty()
        .allSatisfy((type, nacks) -> assertThat(nacks).as("NACKs of %s", type).isZero());
  }

  @Test
  @Order(6)
  void noSnapshotWasHeldBackForBreakingAClientsRules() {
    assertThat(debug.refusedSnapshots()).as("/debug/snapshots' refused").isEmpty();
  }

  @TestFactory
  @Order(7)
  Stream<DynamicTest> debugProxiesShowsEachClientConnectedWithEveryTypeAckedAndNoNack() {
    List<ClientAgent> agents = Stream.of(localClients.values(), otherClusterClients.values()).flatMap(a -> a.stream()).toList();
    return agents.stream().map(agent -> DynamicTest.dynamicTest(agent.runtime().displayName() + " " + agent.node().id(), () -> {
      List<JsonNode> streams = debug.streamsOf(agent.node().id());
      assertThat(streams).as("/debug/proxies streams of %s: %s", agent, streams)
          .isNotEmpty()
          .allSatisfy(stream -> assertThat(stream.path("types")).as("types of stream %s", stream)
              .extracting(type -> type.path("type").asText())
              .contains("lds", "rds", "cds", "eds"))
          .allSatisfy(stream -> assertThat(stream.path("types")).as("types of stream %s", stream)
              .allSatisfy(type -> {
                assertThat(type.path("ackedVersion").asText()).as("ACKed version of %s", type).isNotEmpty();
                assertThat(type.path("nack").isNull() || type.path("nack").isMissingNode()).as("no NACK in %s", type).isTrue();
              }));
    }));
  }

  /** One dynamic test per client runtime: the check on its agent, or a skip saying how to install it. */
  private Stream<DynamicTest> perClient(Map<ClientRuntime, ClientAgent> agents, ThrowingConsumer<ClientAgent> check) {
    return Stream.of(ClientRuntime.values()).map(runtime -> DynamicTest.dynamicTest(runtime.displayName(), () -> {
      Assumptions.assumeFalse(missing.containsKey(runtime), () -> runtime.displayName() + " skipped: " + missing.get(runtime));
      check.accept(agents.get(runtime));
    }));
  }

  private static ConditionFactory awaitAlive(ClientAgent agent, Duration within) {
    return await(agent.toString()).atMost(within).pollInterval(Duration.ofMillis(200)).failFast(agent::assertAlive);
  }

  private void assertStayedLocal(ClientAgent agent, Set<String> local) {
    agent.assertAlive();
    assertThat(names(agent.answersFrom(returned.get(agent.runtime()))))
        .as("%s, every answer since it returned to the local backends", agent)
        .allMatch(local::contains);
  }

  private static List<Answer> sinceFirstSuccess(ClientAgent agent) {
    List<Answer> answers = agent.answers();
    for (int i = 0; i < answers.size(); i++) {
      if (answers.get(i).ok()) {
        return answers.subList(i, answers.size());
      }
    }
    return List.of();
  }

  /** The last {@link #SETTLED} answers given after index {@code from} (fewer if there were fewer). */
  private static List<Answer> settledTail(ClientAgent agent, int from) {
    List<Answer> since = agent.answersFrom(from);
    return since.subList(Math.max(0, since.size() - SETTLED), since.size());
  }

  /** The index after the last answer, from {@code from} on, that did not come from a local backend. */
  private int startOfLocalRun(ClientAgent agent, int from) {
    List<Answer> answers = agent.answers();
    Set<String> local = seed().localVersions();
    int start = from;
    for (int i = from; i < answers.size(); i++) {
      if (!local.contains(answers.get(i).toString())) {
        start = i + 1;
      }
    }
    return start;
  }

  private static Map<ClientRuntime, Integer> sizes(Map<ClientRuntime, ClientAgent> agents) {
    Map<ClientRuntime, Integer> sizes = new EnumMap<>(ClientRuntime.class);
    agents.forEach((runtime, agent) -> sizes.put(runtime, agent.answers().size()));
    return sizes;
  }

  /** Each answer as the version that gave it, or {@code error <STATUS> <details>}. */
  private static List<String> names(List<Answer> answers) {
    return answers.stream().map(Answer::toString).toList();
  }
}
