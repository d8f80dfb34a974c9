package dev.vicinity.translator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.world.ServiceKey;
import org.junit.jupiter.api.Test;

class ResourceNamesTest {
  @Test
  void outboundClusterNamesFollowIstio() {
    assertThat(ResourceNames.outboundCluster("reviews.global", 9080)).isEqualTo("outbound|9080||reviews.global");
  }

  @Test
  void clusterNamesParseBackIntoTheirParts() {
    assertThat(ResourceNames.parseCluster(ResourceNames.outboundCluster("reviews.global", 9080)))
        .contains(new ResourceNames.ClusterName("outbound", 9080, "", "reviews.global"));
  }

  @Test
  void malformedClusterNamesDoNotParse() {
    assertThat(ResourceNames.parseCluster("reviews.global")).isEmpty();
    assertThat(ResourceNames.parseCluster("outbound|http||reviews.global")).isEmpty();
    assertThat(ResourceNames.parseCluster("outbound|9080||")).isEmpty();
  }

  @Test
  void serviceHostIsTheFullyQualifiedKubernetesName() {
    assertThat(ResourceNames.serviceHost(new ServiceKey("bookinfo", "reviews")))
        .isEqualTo("reviews.bookinfo.svc.cluster.local");
  }

  @Test
  void grpcListenersAreNamedAfterTheTargetAuthority() {
    assertThat(ResourceNames.grpcListener("reviews.global", 9080)).isEqualTo("reviews.global:9080");
    assertThat(ResourceNames.envoyListener("0.0.0.0", 9080)).isEqualTo("0.0.0.0_9080");
    assertThat(ResourceNames.routeConfiguration(9080)).isEqualTo("9080");
  }
}
