package dev.vicinity.discovery.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.config.LeaderElectionSettings;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.policy.PolicyKind;
import dev.vicinity.api.policy.PolicyStatus;
import dev.vicinity.discovery.MockApiServers;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two candidates for one Lease in fabric8's mock API server (CRUD mode): only the holder hands statuses on. */
class StatusLeadershipTest {
  private static final LeaderElectionSettings SHORT =
      new LeaderElectionSettings("vicinity-system", "vicinity-leader", Duration.ofSeconds(2), Duration.ofMillis(1500),
          Duration.ofMillis(300));
  private static final ClusterConfig CLUSTER =
      new ClusterConfig("mgmt-cluster", "", null, List.of(), "kubeconfig", "mgmt", null, List.of(), true);
  private static final Duration WITHIN = Duration.ofSeconds(10);

  private KubernetesMockServer server;
  private KubernetesClient client;
  private Candidate first;
  private Candidate second;

  /** A replica's election and what it was told to write. */
  private record Candidate(StatusLeadership leadership, List<List<PolicyStatus>> written, String identity) {
    static Candidate of(KubernetesClient client, String identity) {
      List<List<PolicyStatus>> written = new CopyOnWriteArrayList<>();
      StatusLeadership leadership = new StatusLeadership(CLUSTER, client, SHORT,
          new LeaseCandidate("vicinity-system", "vicinity-leader", identity), written::add);
      return new Candidate(leadership, written, identity);
    }
  }

  @BeforeEach
  void start() {
    server = MockApiServers.started();
    client = server.createClient();
    first = Candidate.of(client, "replica-a");
    second = Candidate.of(client, "replica-b");
  }

  @AfterEach
  void stop() {
    first.leadership().close();
    second.leadership().close();
    client.close();
    server.destroy();
  }

  private static List<PolicyStatus> statuses(long generation) {
    return List.of(new PolicyStatus(PolicyKind.VIRTUAL_DESTINATION, new ObjectRef("bookinfo-global", "gloo-mesh"), generation,
        PolicyStatus.State.ACCEPTED, List.of(), List.of(), List.of("reviews.global")));
  }

  private Optional<String> leaseHolder() {
    Lease lease = client.leases().inNamespace("vicinity-system").withName("vicinity-leader").get();
    return lease == null ? Optional.empty() : Optional.ofNullable(lease.getSpec().getHolderIdentity());
  }

  private Candidate leader() {
    await().atMost(WITHIN).until(() -> Stream.of(first, second).filter(c -> c.leadership().leading()).count() == 1);
    return first.leadership().leading() ? first : second;
  }

  @Test
  void exactlyOneCandidateLeadsAndOnlyItHandsStatusesOn() {
    first.leadership().start();
    second.leadership().start();

    Candidate leader = leader();
    Candidate follower = leader == first ? second : first;
    assertThat(leaseHolder()).contains(leader.identity());
    await().atMost(WITHIN).until(() -> follower.leadership().state().holder().equals(Optional.of(leader.identity())));
    assertThat(follower.leadership().state()).isEqualTo(new StatusLeadership.State("mgmt-cluster",
        "vicinity-system/vicinity-leader", follower.identity(), Optional.of(leader.identity()), false));

    leader.leadership().offer(statuses(1));
    follower.leadership().offer(statuses(1));

    assertThat(leader.written()).containsExactly(statuses(1));
    assertThat(follower.written()).isEmpty();
    assertThat(follower.leadership().leading()).isFalse();
  }

  @Test
  void whenTheLeaderStopsTheOtherTakesOverWithinTheLeaseDurationAndWritesWhatItWasLastOffered() {
    first.leadership().start();
    await().atMost(WITHIN).until(() -> first.leadership().leading());
    second.leadership().start();
    first.leadership().offer(statuses(1));
    second.leadership().offer(statuses(1));
    second.leadership().offer(statuses(2)); // a change while another replica leads: kept, not written

    assertThat(second.written()).isEmpty();
    long stopped = System.nanoTime();
    first.leadership().close();

    await().atMost(SHORT.leaseDuration()).until(() -> second.leadership().leading());
    assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(SHORT.leaseDuration());
    assertThat(second.written()).containsExactly(statuses(2));
    assertThat(leaseHolder()).contains("replica-b");
    first.leadership().offer(statuses(3));
    assertThat(first.written()).as("a stopped replica writes nothing").containsExactly(statuses(1));
  }

  @Test
  void aCandidateThatCannotReachTheLeaseNeverLeads() {
    KubernetesClient unreachable = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0)
            .build())
        .build();
    Candidate lonely = Candidate.of(unreachable, "replica-c");
    try {
      lonely.leadership().start();
      first.leadership().start();
      await().atMost(WITHIN).until(() -> first.leadership().leading());
      lonely.leadership().offer(statuses(1));

      assertThat(lonely.leadership().leading()).isFalse();
      assertThat(lonely.written()).isEmpty();
    } finally {
      lonely.leadership().close();
      unreachable.close();
    }
  }

  @Test
  void aLeaderWhoseLeaseIsTakenStopsHandingStatusesOnAndCompetesAgain() {
    first.leadership().start();
    await().atMost(WITHIN).until(() -> first.leadership().leading());

    // Another holder appears in the Lease, freshly renewed (as after a network partition healed).
    changeLease(spec -> {
      spec.setHolderIdentity("replica-elsewhere");
      spec.setRenewTime(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
      spec.setLeaseDurationSeconds(3600);
    });

    await().atMost(WITHIN).until(() -> !first.leadership().leading());
    first.leadership().offer(statuses(1));
    assertThat(first.written()).isEmpty();
    assertThat(first.leadership().state().holder()).contains("replica-elsewhere");

    // Once that holder lets go, the replica that kept competing takes the Lease back.
    changeLease(spec -> spec.setHolderIdentity(null));
    await().atMost(WITHIN).until(() -> first.leadership().leading());
    assertThat(first.written()).containsExactly(statuses(1));
  }

  /**
   * Changes the Lease as another writer would: read, change, update, again if the leader renewed it in between
   * (the API server refuses an update of a version it no longer has).
   */
  private void changeLease(Consumer<LeaseSpec> change) {
    await().atMost(WITHIN).ignoreExceptionsMatching(e -> e instanceof KubernetesClientException conflict && conflict.getCode() == 409)
        .until(() -> {
          Lease lease = client.leases().inNamespace("vicinity-system").withName("vicinity-leader").get();
          change.accept(lease.getSpec());
          client.resource(lease).update();
          return true;
        });
  }
}
