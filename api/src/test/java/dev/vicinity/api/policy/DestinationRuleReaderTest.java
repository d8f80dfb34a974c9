package dev.vicinity.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.TestResources;
import dev.vicinity.api.yaml.ConfigError;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DestinationRuleReaderTest {
  private static PolicyReader.Result read(String yaml) {
    return PolicyReader.read("dr.yaml", yaml);
  }

  private static String rule(String trafficPolicy) {
    return """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: helloworld
          namespace: sample
        spec:
          host: helloworld.sample.svc.cluster.local
          trafficPolicy:
        """ + trafficPolicy;
  }

  @Test
  void istioSeedDestinationRuleReadsUnchanged() {
    PolicyReader.Result result = PolicyReader.read("helloworld.yaml", TestResources.read("seed/helloworld-destinationrule.yaml"));

    assertThat(result.errors()).isEmpty();
    DestinationRule rule = (DestinationRule) result.policies().get(0);
    assertThat(rule.metadata().namespace()).isEqualTo("default"); // applied with kubectl -n; no namespace in the file
    assertThat(rule.spec().host()).isEqualTo("helloworld.sample.svc.cluster.local");
    DestinationRule.OutlierDetection outlier = rule.spec().trafficPolicy().outlierDetection();
    assertThat(outlier.consecutive5xxErrors()).isEqualTo(1);
    assertThat(outlier.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(outlier.baseEjectionTime()).isEqualTo(Duration.ofMinutes(1));
    DestinationRule.LoadBalancer lb = rule.spec().trafficPolicy().loadBalancer();
    assertThat(lb.simple()).isEqualTo("ROUND_ROBIN");
    assertThat(lb.localityLbSetting().isEnabled()).isTrue();
    assertThat(lb.localityLbSetting().failoverPriority()).containsExactly("topology.istio.io/cluster");
  }

  @Test
  void everyIstioApiVersionIsAccepted() {
    for (String version : List.of("v1", "v1beta1", "v1alpha3")) {
      String yaml = rule("    loadBalancer:\n      simple: RANDOM\n").replace("networking.istio.io/v1\n", "networking.istio.io/" + version + "\n");
      assertThat(read(yaml).errors()).as(version).isEmpty();
    }
  }

  @Test
  void istioFieldsVicinityDoesNotImplementAreAcceptedUnchanged() {
    String yaml = rule("""
            connectionPool:
              tcp:
                maxConnections: 100
            tls:
              mode: ISTIO_MUTUAL
        """) + "  subsets:\n  - name: v1\n    labels:\n      version: v1\n  exportTo: [\".\"]\n";

    assertThat(read(yaml).errors()).isEmpty();
  }

  @Test
  void distributeCannotBeCombinedWithFailover() {
    PolicyReader.Result result = read(rule("""
            loadBalancer:
              localityLbSetting:
                distribute:
                - from: us-east-1/*
                  to:
                    us-east-1/*: 100
                failover:
                - from: us-east-1
                  to: eu-west-1
        """));

    assertThat(result.policies()).isEmpty();
    assertThat(result.errors()).extracting(ConfigError::toString)
        .containsExactly("dr.yaml:10: spec.trafficPolicy.loadBalancer.localityLbSetting: "
            + "'distribute' cannot be combined with 'failover' or 'failoverPriority' (Istio applies only one)");
  }

  @Test
  void distributeWeightsMustAddUpTo100() {
    PolicyReader.Result result = read(rule("""
            loadBalancer:
              localityLbSetting:
                distribute:
                - from: us-east-1/*
                  to:
                    us-east-1/*: 70
                    eu-west-1/*: 20
        """));

    assertThat(result.errors()).extracting(ConfigError::toString)
        .containsExactly("dr.yaml:13: spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to: "
            + "weights must add up to 100, they add up to 90");
  }

  @Test
  void aWeightOverOneHundredIsTheOnlyErrorNotAlsoAWrongSum() {
    PolicyReader.Result result = read(rule("""
            loadBalancer:
              localityLbSetting:
                distribute:
                - from: us-east-1/*
                  to:
                    us-east-1/*: 150
        """));

    assertThat(result.errors()).extracting(ConfigError::toString)
        .containsExactly("dr.yaml:14: spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to.us-east-1/*: "
            + "weight must be a percentage, 0-100");
  }

  @Test
  void failoverToTheSameRegionIsRejected() {
    PolicyReader.Result result = read(rule("""
            loadBalancer:
              localityLbSetting:
                failover:
                - from: us-east-1
                  to: us-east-1
        """));

    assertThat(result.errors()).extracting(ConfigError::toString)
        .containsExactly("dr.yaml:12: spec.trafficPolicy.loadBalancer.localityLbSetting.failover[0]: "
            + "'from' and 'to' must be different regions, both are 'us-east-1'");
  }

  @Test
  void unknownSimpleLoadBalancerAndPassthroughAreRejected() {
    assertThat(read(rule("    loadBalancer:\n      simple: FASTEST\n")).errors()).extracting(ConfigError::message)
        .singleElement().asString().startsWith("'FASTEST' is not a load balancer; expected one of LEAST_CONN, LEAST_REQUEST");
    assertThat(read(rule("    loadBalancer:\n      simple: PASSTHROUGH\n")).errors()).extracting(ConfigError::message)
        .containsExactly("PASSTHROUGH is not supported: it needs original-destination clusters");
  }

  @Test
  void outlierDetectionPercentagesAndCountsAreChecked() {
    PolicyReader.Result result = read(rule("""
            outlierDetection:
              consecutive5xxErrors: -1
              maxEjectionPercent: 120
              minHealthPercent: 101
        """));

    assertThat(result.errors()).extracting(ConfigError::fieldPath).containsExactlyInAnyOrder(
        "spec.trafficPolicy.outlierDetection.consecutive5xxErrors",
        "spec.trafficPolicy.outlierDetection.maxEjectionPercent",
        "spec.trafficPolicy.outlierDetection.minHealthPercent");
  }

  @Test
  void misspeltLocalityFieldIsReportedWithTheExpectedOnes() {
    PolicyReader.Result result = read(rule("""
            loadBalancer:
              localityLbSetting:
                failoverPriorities:
                - topology.istio.io/cluster
        """));

    assertThat(result.errors()).extracting(ConfigError::toString).containsExactly(
        "dr.yaml:11: spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriorities: unknown field "
            + "'failoverPriorities'; expected one of: distribute, enabled, failover, failoverPriority");
  }

  @Test
  void distributeKeepsTheOrderOfItsLocalities() {
    PolicyReader.Result result = read(rule("""
            loadBalancer:
              localityLbSetting:
                distribute:
                - from: "*"
                  to:
                    us-west-2/*: 50
                    us-east-1/*: 30
                    eu-west-1/*: 20
        """));

    DestinationRule rule = (DestinationRule) result.policies().get(0);
    assertThat(rule.spec().trafficPolicy().loadBalancer().localityLbSetting().distribute().get(0).to())
        .containsExactly(Map.entry("us-west-2/*", 50), Map.entry("us-east-1/*", 30), Map.entry("eu-west-1/*", 20));
  }
}
