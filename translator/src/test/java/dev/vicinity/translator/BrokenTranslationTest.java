package dev.vicinity.translator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.google.protobuf.UInt32Value;
import dev.vicinity.translator.acceptance.ClientAcceptance;
import dev.vicinity.translator.acceptance.Violation;
import dev.vicinity.translator.envoy.XdsResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A translation broken on purpose, the way a translator bug would break it, is caught with the field named:
 * the acceptance check that guards the golden cases and property worlds is not vacuous.
 */
class BrokenTranslationTest {
  private static Cluster translatedClusterWithOutlierDetection() throws IOException {
    XdsResources resources = GoldenCase.load(GoldenCase.CASES.resolve("bookinfo-envoy-us-east-1a")).translate();
    assertThat(ClientAcceptance.check(resources, ClientKind.ENVOY)).isEmpty();
    return resources.clusters().stream().filter(Cluster::hasOutlierDetection).findFirst().orElseThrow();
  }

  @Test
  void anOutlierDetectionPercentageAbove100FailsNamingTheField() throws IOException {
    Cluster translated = translatedClusterWithOutlierDetection();
    Cluster broken = translated.toBuilder()
        .setOutlierDetection(translated.getOutlierDetection().toBuilder().setMaxEjectionPercent(UInt32Value.of(150)))
        .build();

    assertThat(ClientAcceptance.check(broken, ClientKind.ENVOY)).containsExactly(new Violation(
        "Cluster " + translated.getName(), "outlier_detection.max_ejection_percent", "uint32.lte", "150 is above 100"));
  }

  @Test
  void anEmptyClusterNameFailsNamingTheField() throws IOException {
    Cluster broken = translatedClusterWithOutlierDetection().toBuilder().setName("").build();

    assertThat(ClientAcceptance.check(broken, ClientKind.GRPC)).extracting(Violation::field, Violation::rule)
        .containsExactly(tuple("name", "string.min_len"));
  }
}
