package dev.vicinity.discovery.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vicinity.discovery.MockApiServers;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The reporting lock changes nothing fabric8 sees: the Lease's record, and every failure, pass through. */
class ReportedLeaseLockTest {
  private static final LeaseCandidate CANDIDATE = new LeaseCandidate("vicinity-system", "vicinity-leader", "replica-a");

  private static LeaderElectionRecord held() {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    return new LeaderElectionRecord("replica-a", Duration.ofSeconds(15), now, now, 0);
  }

  @Test
  void readsAndCreatesTheLeaseAndPassesAConflictOn() {
    KubernetesMockServer server = MockApiServers.started();
    try (KubernetesClient client = server.createClient()) {
      ReportedLeaseLock lock = new ReportedLeaseLock("mgmt-cluster", CANDIDATE);

      assertThat(lock.get(client)).isNull();
      lock.create(client, held());
      assertThat(lock.get(client).getHolderIdentity()).isEqualTo("replica-a");
      assertThat(lock.identity()).isEqualTo("replica-a");
      assertThatThrownBy(() -> lock.create(client, held())).isInstanceOfSatisfying(KubernetesClientException.class,
          e -> assertThat(e.getCode()).isEqualTo(409));
    } finally {
      server.destroy();
    }
  }

  @Test
  void anUnreachableApiServerFailsAsFabric8Expects() {
    try (KubernetesClient unreachable = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0).build()).build()) {
      ReportedLeaseLock lock = new ReportedLeaseLock("mgmt-cluster", CANDIDATE);

      assertThatThrownBy(() -> lock.get(unreachable)).isInstanceOf(KubernetesClientException.class);
      assertThatThrownBy(() -> lock.get(unreachable)).as("reported once, failing every time").isInstanceOf(KubernetesClientException.class);
    }
  }
}
