package dev.vicinity.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.policy.ClusterObjectRef;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.policy.Policy;
import dev.vicinity.api.policy.PolicyKind;
import dev.vicinity.api.policy.PolicyStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Policy custom resources in fabric8's mock API server (CRUD mode), with the CRDs of {@code deploy/crds/}
 * installed: resources become policies, and their status subresource is written back only when it changes.
 */
class PolicyResourceSourceTest {
  private static final Duration WITHIN = Duration.ofSeconds(10);
  private static final Path CRDS = Path.of("..", "deploy", "crds");
  private static final Path POLICIES = Path.of("..", "examples", "bookinfo", "policies");
  private static final ClusterConfig CLUSTER =
      new ClusterConfig("mgmt-cluster", "", null, List.of(), "kubeconfig", "mgmt", null, List.of(), true);

  private KubernetesMockServer server;
  private KubernetesClient client;
  private PolicyResourceSource source;
  private final AtomicInteger signals = new AtomicInteger();

  @BeforeEach
  void startServer() throws IOException {
    server = MockApiServers.started();
    client = server.createClient();
    try (Stream<Path> files = Files.list(CRDS)) {
      for (Path file : files.sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
          client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
      }
    }
    source = new PolicyResourceSource(CLUSTER, client, () -> true);
  }

  @AfterEach
  void stop() {
    source.close();
    client.close();
    server.destroy();
  }

  private GenericKubernetesResource apply(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      GenericKubernetesResource resource = client.getKubernetesSerialization().unmarshal(in, GenericKubernetesResource.class);
      return client.genericKubernetesResources(resource.getApiVersion(), resource.getKind())
          .inNamespace(resource.getMetadata().getNamespace()).resource(resource).createOr(existing -> existing.update());
    }
  }

  private Resource<GenericKubernetesResource> resource(String apiVersion, String kind, String namespace, String name) {
    return client.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(name);
  }

  private GenericKubernetesResource virtualDestination() {
    return resource("networking.enterprise.mesh.gloo.solo.io/v1beta1", "VirtualDestination", "gloo-mesh", "bookinfo-global").get();
  }

  private GenericKubernetesResource trafficPolicy() {
    return resource("networking.mesh.gloo.solo.io/v1", "TrafficPolicy", "bookinfo", "reviews-shift-failover").get();
  }

  /** The paths of the status writes the server received since the last call. */
  private List<String> statusWrites() throws InterruptedException {
    List<String> paths = new ArrayList<>();
    for (RecordedRequest request = server.takeRequest(0, TimeUnit.SECONDS); request != null;
        request = server.takeRequest(0, TimeUnit.SECONDS)) {
      if (!"GET".equals(request.getMethod()) && request.getPath().endsWith("/status")) {
        paths.add(request.getPath());
      }
    }
    return paths;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource resource) {
    return resource == null ? null : (Map<String, Object>) resource.getAdditionalProperties().get("status");
  }

  private static PolicyStatus accepted(PolicyKind kind, ObjectRef ref, long generation, List<ClusterObjectRef> selected) {
    return new PolicyStatus(kind, ref, generation, PolicyStatus.State.ACCEPTED, List.of(), selected, List.of("reviews.global"));
  }

  @Test
  void customResourcesBecomePoliciesAndTheirChangesSignal() throws IOException {
    apply(POLICIES.resolve("bookinfo-global.yaml"));
    source.start(signals::incrementAndGet);

    await().atMost(WITHIN).until(() -> source.current().policies().size() == 1);
    Policy policy = source.current().policies().get(0);
    assertThat(policy.kind()).isEqualTo(PolicyKind.VIRTUAL_DESTINATION);
    assertThat(policy.ref()).isEqualTo(new ObjectRef("bookinfo-global", "gloo-mesh"));
    assertThat(source.current().errors()).isEmpty();

    int before = signals.get();
    apply(POLICIES.resolve("reviews-shift-failover.yaml"));
    await().atMost(WITHIN).until(() -> source.current().policies().size() == 2);
    assertThat(signals.get()).isGreaterThan(before);

    int beforeDelete = signals.get();
    resource("networking.mesh.gloo.solo.io/v1", "TrafficPolicy", "bookinfo", "reviews-shift-failover").delete();
    await().atMost(WITHIN).until(() -> source.current().policies().size() == 1);
    assertThat(signals.get()).isGreaterThan(beforeDelete);
  }

  @Test
  void statusIsWrittenBackOnlyWhenItChanges() throws IOException, InterruptedException {
    apply(POLICIES.resolve("bookinfo-global.yaml"));
    apply(POLICIES.resolve("reviews-shift-failover.yaml"));
    source.start(signals::incrementAndGet);
    await().atMost(WITHIN).until(() -> source.current().policies().size() == 2);

    ObjectRef vd = new ObjectRef("bookinfo-global", "gloo-mesh");
    ObjectRef tp = new ObjectRef("reviews-shift-failover", "bookinfo");
    List<ClusterObjectRef> selected = List.of(new ClusterObjectRef("reviews", "bookinfo", "mgmt-cluster"));
    PolicyStatus vdStatus = accepted(PolicyKind.VIRTUAL_DESTINATION, vd, 1, selected);
    source.writeStatuses(List.of(vdStatus));

    await().atMost(WITHIN).until(() -> status(virtualDestination()) != null);
    Map<String, Object> written = status(virtualDestination());
    assertThat(written).containsEntry("state", "ACCEPTED").containsEntry("observedGeneration", 1)
        .containsEntry("errors", List.of()).containsEntry("appliedTo", List.of("reviews.global"));
    assertThat(written.get("selectedDestinations"))
        .isEqualTo(List.of(Map.of("name", "reviews", "namespace", "bookinfo", "clusterName", "mgmt-cluster")));
    assertThat(virtualDestination().getMetadata().getGeneration()).as("a status write is not a spec change").isEqualTo(1L);

    // The same VirtualDestination status again, with a new one for the TrafficPolicy: once the TrafficPolicy
    // shows its status, that whole list has been handled, and the VirtualDestination was left alone.
    source.writeStatuses(List.of(vdStatus, accepted(PolicyKind.TRAFFIC_POLICY, tp, 1, List.of())));
    await().atMost(WITHIN).until(() -> status(trafficPolicy()) != null);
    assertThat(statusWrites()).containsExactly(
        "/apis/networking.enterprise.mesh.gloo.solo.io/v1beta1/namespaces/gloo-mesh/virtualdestinations/bookinfo-global/status",
        "/apis/networking.mesh.gloo.solo.io/v1/namespaces/bookinfo/trafficpolicies/reviews-shift-failover/status");

    // A changed status is written.
    PolicyStatus failed = new PolicyStatus(PolicyKind.VIRTUAL_DESTINATION, vd, 1, PolicyStatus.State.FAILED,
        List.of("no service matches spec.localized.destinationSelectors"), List.of(), List.of());
    source.writeStatuses(List.of(failed, accepted(PolicyKind.TRAFFIC_POLICY, tp, 1, List.of())));
    await().atMost(WITHIN).until(() -> "FAILED".equals(status(virtualDestination()).get("state")));
    assertThat(status(virtualDestination()).get("errors")).isEqualTo(List.of("no service matches spec.localized.destinationSelectors"));
  }

  @Test
  void anUnreadableResourceIsInvalidWithItsFieldErrorsAndTheOthersStillCount() throws IOException {
    apply(POLICIES.resolve("bookinfo-global.yaml"));
    GenericKubernetesResource broken = client.getKubernetesSerialization().unmarshal(
        Files.readString(POLICIES.resolve("reviews-shift-failover.yaml")).replace("  policy:", "  polcy:"),
        GenericKubernetesResource.class);
    client.genericKubernetesResources("networking.mesh.gloo.solo.io/v1", "TrafficPolicy").inNamespace("bookinfo")
        .resource(broken).create();
    source.start(signals::incrementAndGet);

    await().atMost(WITHIN).until(() -> !source.current().errors().isEmpty() && source.current().policies().size() == 1);
    assertThat(source.current().errors()).anySatisfy(error -> {
      assertThat(error.source()).isEqualTo("mgmt-cluster: TrafficPolicy bookinfo/reviews-shift-failover");
      assertThat(error.fieldPath()).isEqualTo("spec.polcy");
    });

    source.writeStatuses(List.of());
    await().atMost(WITHIN).until(() -> status(trafficPolicy()) != null);
    assertThat(status(trafficPolicy())).containsEntry("state", "INVALID");
    assertThat((List<?>) status(trafficPolicy()).get("errors")).singleElement().asString().startsWith("spec.polcy: ");
    assertThat(status(virtualDestination())).as("no status is invented for a resource nobody reported on").isNull();
  }

  @Test
  void aReplicaThatMayNotWriteWritesNothing() throws IOException, InterruptedException {
    PolicyResourceSource follower = new PolicyResourceSource(CLUSTER, client, () -> false);
    try {
      apply(POLICIES.resolve("bookinfo-global.yaml"));
      follower.start(signals::incrementAndGet);
      source.start(signals::incrementAndGet);
      await().atMost(WITHIN).until(() -> follower.current().policies().size() == 1 && source.current().policies().size() == 1);
      PolicyStatus status = accepted(PolicyKind.VIRTUAL_DESTINATION, new ObjectRef("bookinfo-global", "gloo-mesh"), 1, List.of());

      follower.writeStatuses(List.of(status));
      source.writeStatuses(List.of(status)); // the one that may: once its write shows, the other's turn has passed too

      await().atMost(WITHIN).until(() -> status(virtualDestination()) != null);
      assertThat(statusWrites()).containsExactly(
          "/apis/networking.enterprise.mesh.gloo.solo.io/v1beta1/namespaces/gloo-mesh/virtualdestinations/bookinfo-global/status");
    } finally {
      follower.close();
    }
  }
}
