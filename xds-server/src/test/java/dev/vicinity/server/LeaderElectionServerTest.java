package dev.vicinity.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vicinity.discovery.MockApiServers;
import dev.vicinity.inventory.files.ConfigDirectories;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Vicinity replicas on one Kubernetes API server (fabric8's mock server in CRUD mode) holding the bookinfo
 * policies as custom resources: both watch and serve, and only the holder of the leader Lease writes status.
 * Each replica reaches the API server with a token of its own, so every {@code /status} write the server
 * receives says which replica sent it.
 */
class LeaderElectionServerTest {
  private static final Duration WITHIN = Duration.ofSeconds(20);
  /** Short, for the test: a 2s Lease, renewed within 1.5s, tried every 0.3s. */
  private static final Duration LEASE_DURATION = Duration.ofSeconds(2);
  private static final String VIRTUAL_DESTINATION = "/apis/networking.enterprise.mesh.gloo.solo.io/v1beta1/namespaces/gloo-mesh/"
      + "virtualdestinations/bookinfo-global/status";
  private static final String TRAFFIC_POLICY = "/apis/networking.mesh.gloo.solo.io/v1/namespaces/bookinfo/"
      + "trafficpolicies/reviews-shift-failover/status";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  private KubernetesMockServer api;
  private KubernetesClient admin;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Replica> replicas = new ArrayList<>();
  /** Every request the API server received so far from a replica, in order. */
  private final List<Request> requests = new ArrayList<>();
  private int statusWritesSeen;

  /** A running replica and the token it authenticates with. */
  private record Replica(String token, VicinityServer server) {}

  /** A write of a status subresource, and who sent it. */
  private record StatusWrite(String token, String path) {}

  /** A request a replica sent. */
  private record Request(String token, String method, String path) {}

  @BeforeEach
  void startApiServer() throws IOException {
    api = MockApiServers.started();
    admin = api.createClient();
    try (Stream<Path> crds = Files.list(Path.of("..", "deploy", "crds"))) {
      for (Path crd : crds.sorted().toList()) {
        admin.resource(Files.readString(crd)).create();
      }
    }
    Path example = ConfigDirectories.bookinfoExample();
    MockApiServers.load(admin, example.resolve("clusters/mgmt-cluster"));
    for (String policy : List.of("bookinfo-global.yaml", "reviews-shift-failover.yaml")) {
      admin.resource(Files.readString(example.resolve("policies").resolve(policy))).create();
    }
  }

  @AfterEach
  void stop() {
    replicas.forEach(replica -> replica.server().close());
    admin.close();
    api.destroy();
  }

  /**
   * The bookinfo example with mgmt-cluster live and its policy source, the policies only as custom resources,
   * and a short Lease.
   */
  private Replica start(String token) throws IOException {
    Path directory = ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve(token));
    deleteRecursively(directory.resolve("clusters/mgmt-cluster"));
    deleteRecursively(directory.resolve("policies"));
    Path kubeconfig = Files.writeString(directory.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mgmt
          cluster: {server: "%s"}
        contexts:
        - name: mgmt
          context: {cluster: mgmt, user: replica}
        users:
        - name: replica
          user: {token: %s}
        current-context: mgmt
        """.formatted(admin.getMasterUrl(), token));
    Path config = directory.resolve("vicinity.yaml");
    Files.writeString(config, Files.readString(config)
        .replace("- name: mgmt-cluster\n  network: network1\n",
            "- name: mgmt-cluster\n  network: network1\n  kubeconfig: " + kubeconfig + "\n  context: mgmt\n  policySource: true\n")
        + """
        leaderElection:
          namespace: vicinity-system
          name: vicinity-leader
          leaseDuration: 2s
          renewDeadline: 1500ms
          retryPeriod: 300ms
        """);
    Replica replica = new Replica(token, VicinityServer.start(TestServerOptions.onFreePorts(directory)));
    replicas.add(replica);
    return replica;
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /** Every request received so far, from replicas and from this test's own client. */
  private List<Request> requests() throws InterruptedException {
    for (RecordedRequest request = api.takeRequest(0, TimeUnit.SECONDS); request != null;
        request = api.takeRequest(0, TimeUnit.SECONDS)) {
      String authorization = request.getHeader("Authorization");
      String token = authorization == null ? "" : authorization.replace("Bearer ", "");
      requests.add(new Request(token, request.getMethod(), request.getPath()));
    }
    return requests;
  }

  /** The status writes received since the previous call. */
  private List<StatusWrite> newStatusWrites() throws InterruptedException {
    List<StatusWrite> writes = requests().stream()
        .filter(request -> !"GET".equals(request.method()) && request.path().endsWith("/status"))
        .map(request -> new StatusWrite(request.token(), request.path()))
        .toList();
    List<StatusWrite> fresh = List.copyOf(writes.subList(statusWritesSeen, writes.size()));
    statusWritesSeen = writes.size();
    return fresh;
  }

  private JsonNode page(Replica replica, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + replica.server().debugPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return path.equals("/metrics") ? JSON.getNodeFactory().textNode(response.body()) : JSON.readTree(response.body());
  }

  private boolean leads(Replica replica) throws IOException, InterruptedException {
    return page(replica, "/debug/leader").get("leading").asBoolean();
  }

  private String leaderGauge(Replica replica) throws IOException, InterruptedException {
    return page(replica, "/metrics").asText().lines().filter(line -> line.startsWith("vicinity_leader ")).findFirst().orElse("");
  }

  /**
   * The one replica leading, once every replica is ready, exactly one leads and the others have seen it
   * hold the Lease (a settled election: on a loaded machine the first leader may miss its renew deadline).
   */
  private Replica leader() {
    AtomicReference<Replica> settled = new AtomicReference<>();
    await().atMost(WITHIN).until(() -> {
      settled.set(null);
      if (replicas.stream().anyMatch(r -> !r.server().ready())) {
        return false;
      }
      List<Replica> leading = new ArrayList<>();
      for (Replica replica : replicas) {
        if (leads(replica)) {
          leading.add(replica);
        }
      }
      if (leading.size() != 1) {
        return false;
      }
      String identity = page(leading.get(0), "/debug/leader").get("identity").asText();
      for (Replica replica : replicas) {
        if (!identity.equals(page(replica, "/debug/leader").get("holder").asText())) {
          return false;
        }
      }
      settled.set(leading.get(0));
      return true;
    });
    return settled.get();
  }

  private long countLeading() throws IOException, InterruptedException {
    long leading = 0;
    for (Replica replica : replicas) {
      leading += leads(replica) ? 1 : 0;
    }
    return leading;
  }

  private Resource<GenericKubernetesResource> virtualDestination() {
    return admin.genericKubernetesResources("networking.enterprise.mesh.gloo.solo.io/v1beta1", "VirtualDestination")
        .inNamespace("gloo-mesh").withName("bookinfo-global");
  }

  private Resource<GenericKubernetesResource> trafficPolicy() {
    return admin.genericKubernetesResources("networking.mesh.gloo.solo.io/v1", "TrafficPolicy")
        .inNamespace("bookinfo").withName("reviews-shift-failover");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(Resource<GenericKubernetesResource> resource) {
    Map<String, Object> status = (Map<String, Object>) resource.get().getAdditionalProperties().get("status");
    return status == null ? Map.of() : status;
  }

  private static boolean shows(Resource<GenericKubernetesResource> resource, String state, int generation) {
    Map<String, Object> status = status(resource);
    return state.equals(status.get("state")) && Integer.valueOf(generation).equals(status.get("observedGeneration"));
  }

  /** Whether the replica has computed the VirtualDestination's status for {@code generation} (and so offered it). */
  private boolean computed(Replica replica, int generation) throws IOException, InterruptedException {
    for (JsonNode status : page(replica, "/debug/policies").get("statuses")) {
      if (status.get("kind").asText().equals("VIRTUAL_DESTINATION") && status.get("observedGeneration").asInt() == generation) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, Long> byToken(List<StatusWrite> writes) {
    Map<String, Long> counts = new HashMap<>();
    writes.forEach(write -> counts.merge(write.token(), 1L, Long::sum));
    return counts;
  }

  @Test
  void onlyTheLeaderWritesStatusAndEachChangeOnce() throws Exception {
    start("replica-a");
    start("replica-b");

    await().atMost(WITHIN).until(() -> shows(virtualDestination(), "ACCEPTED", 1) && shows(trafficPolicy(), "ACCEPTED", 1));
    Replica leader = leader();
    Replica follower = replicas.get(0) == leader ? replicas.get(1) : replicas.get(0);
    await().atMost(WITHIN).until(() -> computed(follower, 1) && computed(leader, 1));
    String leaderIdentity = page(leader, "/debug/leader").get("identity").asText();
    Lease lease = admin.leases().inNamespace("vicinity-system").withName("vicinity-leader").get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(leaderIdentity);
    assertThat(leaderGauge(leader)).isEqualTo("vicinity_leader 1.0");
    assertThat(leaderGauge(follower)).isEqualTo("vicinity_leader 0.0");

    // At start-up the statuses were written; which replica wrote them is not asserted: on a loaded machine the
    // first leader may miss its (short, here) renew deadline and hand the Lease over before the election settles.
    assertThat(newStatusWrites()).extracting(StatusWrite::path).contains(VIRTUAL_DESTINATION, TRAFFIC_POLICY);

    // A change to the VirtualDestination's spec: both replicas compute its new status; the leader alone writes it, once.
    GenericKubernetesResource changed = virtualDestination().get();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) changed.getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    Map<String, Object> localized = (Map<String, Object>) spec.get("localized");
    @SuppressWarnings("unchecked")
    Map<String, Object> outlierDetection = (Map<String, Object>) localized.get("outlierDetection");
    outlierDetection.put("consecutiveErrors", 3);
    admin.resource(changed).update();

    await().atMost(WITHIN).until(() -> shows(virtualDestination(), "ACCEPTED", 2));
    await().atMost(WITHIN).until(() -> computed(follower, 2) && computed(leader, 2));
    List<StatusWrite> second = newStatusWrites();
    assertThat(second).extracting(StatusWrite::path).containsExactly(VIRTUAL_DESTINATION);
    assertThat(byToken(second)).containsOnlyKeys(leader.token());
  }

  @Test
  void whenTheLeaderStopsTheOtherTakesOverWithinTheLeaseDurationAndWritesWhatIsOutOfDate() throws Exception {
    start("replica-a");
    start("replica-b");
    Replica leader = leader();
    Replica follower = replicas.get(0) == leader ? replicas.get(1) : replicas.get(0);
    await().atMost(WITHIN).until(() -> shows(virtualDestination(), "ACCEPTED", 1) && shows(trafficPolicy(), "ACCEPTED", 1));
    await().atMost(WITHIN).until(() -> computed(follower, 1));
    newStatusWrites();

    // Someone else overwrites the TrafficPolicy's status: out of date, and no replica is told (a status edit is not
    // a change to translate).
    GenericKubernetesResource stale = trafficPolicy().get();
    @SuppressWarnings("unchecked")
    Map<String, Object> status = new HashMap<>((Map<String, Object>) stale.getAdditionalProperties().get("status"));
    status.put("state", "PENDING");
    stale.setAdditionalProperty("status", status);
    admin.resource(stale).updateStatus();
    newStatusWrites(); // that write was ours, not a replica's

    long stopped = System.nanoTime();
    leader.server().close();
    await().atMost(LEASE_DURATION).until(() -> leads(follower));
    assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(LEASE_DURATION);

    await().atMost(WITHIN).until(() -> shows(trafficPolicy(), "ACCEPTED", 1));
    assertThat(leaderGauge(follower)).isEqualTo("vicinity_leader 1.0");
    List<StatusWrite> afterTakeover = newStatusWrites();
    assertThat(afterTakeover).as("the up-to-date VirtualDestination status is not written again")
        .containsExactly(new StatusWrite(follower.token(), TRAFFIC_POLICY));
  }

  @Test
  void aFileOnlyDeploymentElectsNobodyAndWritesNothing() throws Exception {
    Replica files = new Replica("files", VicinityServer.start(TestServerOptions.onFreePorts(ConfigDirectories.bookinfoExample())));
    replicas.add(files);
    await().atMost(WITHIN).until(() -> files.server().ready());

    JsonNode leader = page(files, "/debug/leader");
    assertThat(leader.get("election").asBoolean()).isFalse();
    assertThat(leader.get("reason").asText()).contains("no live cluster is marked policySource");
    assertThat(leaderGauge(files)).isEqualTo("vicinity_leader 0.0");
    assertThat(admin.leases().inAnyNamespace().list().getItems()).isEmpty();
  }

  /** The verbs deploy/kubernetes/rbac.yaml grants on Leases in {@code namespace}. */
  private Set<String> grantedLeaseVerbs(String namespace) throws IOException {
    Set<String> verbs = new TreeSet<>();
    Path rbac = Path.of(System.getProperty("vicinity.root", "..")).resolve("deploy/kubernetes/rbac.yaml");
    for (String document : Files.readString(rbac).split("(?m)^---$")) {
      Role role = document.contains("kind: Role\n") ? admin.getKubernetesSerialization().unmarshal(document, Role.class) : null;
      if (role != null && namespace.equals(role.getMetadata().getNamespace())) {
        for (PolicyRule rule : role.getRules()) {
          if (rule.getApiGroups().contains("coordination.k8s.io") && rule.getResources().contains("leases")) {
            verbs.addAll(rule.getVerbs());
          }
        }
      }
    }
    return verbs;
  }

  @Test
  void theDeployedRoleGrantsEveryLeaseRequestTheReplicasMake() throws Exception {
    start("replica-a");
    start("replica-b");
    Replica leader = leader();
    leader.server().close(); // the hand-back on shutdown is a request too
    Replica follower = replicas.get(0) == leader ? replicas.get(1) : replicas.get(0);
    await().atMost(WITHIN).until(() -> leads(follower));

    Map<String, String> verbOf = Map.of("GET", "get", "POST", "create", "PUT", "update", "PATCH", "patch", "DELETE", "delete");
    Set<String> used = new TreeSet<>();
    for (Request request : requests()) {
      if (!request.token().isEmpty() && request.path().startsWith("/apis/coordination.k8s.io/")) {
        assertThat(request.path()).startsWith("/apis/coordination.k8s.io/v1/namespaces/vicinity-system/leases");
        used.add(verbOf.get(request.method()));
      }
    }

    assertThat(used).containsExactly("create", "get", "patch");
    assertThat(grantedLeaseVerbs("vicinity-system")).containsAll(used).isSubsetOf("get", "create", "update", "patch");
  }
}
