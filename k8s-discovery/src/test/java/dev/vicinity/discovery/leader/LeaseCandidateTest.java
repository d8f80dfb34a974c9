package dev.vicinity.discovery.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vicinity.api.config.LeaderElectionSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseCandidateTest {
  @TempDir Path temp;

  private static final LeaderElectionSettings UNNAMED_NAMESPACE = LeaderElectionSettings.DEFAULTS;

  private LeaseCandidate candidate(LeaderElectionSettings settings, Map<String, String> environment, Path namespaceFile) {
    return LeaseCandidate.of(settings, environment::get, namespaceFile, "node-7", "1a2b3c4d");
  }

  @Test
  void theConfiguredNamespaceWins() throws IOException {
    Path file = Files.writeString(temp.resolve("namespace"), "from-file\n");
    LeaderElectionSettings settings = new LeaderElectionSettings("configured", "lease", null, null, null);

    LeaseCandidate candidate = candidate(settings, Map.of("POD_NAMESPACE", "from-env", "POD_NAME", "vicinity-0"), file);

    assertThat(candidate).isEqualTo(new LeaseCandidate("configured", "lease", "vicinity-0"));
    assertThat(candidate.lease()).isEqualTo("configured/lease");
  }

  @Test
  void otherwiseThePodNamespaceFromTheEnvironmentThenFromTheServiceAccountFile() throws IOException {
    Path file = Files.writeString(temp.resolve("namespace"), "from-file\n");

    assertThat(candidate(UNNAMED_NAMESPACE, Map.of("POD_NAMESPACE", "from-env"), file).namespace()).isEqualTo("from-env");
    assertThat(candidate(UNNAMED_NAMESPACE, Map.of(), file).namespace()).isEqualTo("from-file");
    assertThat(candidate(UNNAMED_NAMESPACE, Map.of(), temp.resolve("absent")).namespace()).isEqualTo("vicinity-system");
    assertThat(candidate(UNNAMED_NAMESPACE, Map.of(), temp.resolve("absent")).leaseName()).isEqualTo("vicinity-leader");
  }

  @Test
  void theIdentityIsThePodNameElseTheHostNameMadeUniqueToTheProcess() {
    Path absent = temp.resolve("absent");

    assertThat(candidate(UNNAMED_NAMESPACE, Map.of("POD_NAME", "vicinity-6d9f-x2"), absent).identity()).isEqualTo("vicinity-6d9f-x2");
    assertThat(candidate(UNNAMED_NAMESPACE, Map.of(), absent).identity()).isEqualTo("node-7_1a2b3c4d");
  }

  @Test
  void twoProcessesOnOneHostCompeteUnderDifferentNames() {
    assumeTrue(System.getenv("POD_NAME") == null, "POD_NAME is set here: the identity is the pod's name");
    LeaderElectionSettings settings = new LeaderElectionSettings("ns", null, Duration.ofSeconds(2), null, null);

    assertThat(LeaseCandidate.fromEnvironment(settings).identity()).isNotEqualTo(LeaseCandidate.fromEnvironment(settings).identity());
  }
}
