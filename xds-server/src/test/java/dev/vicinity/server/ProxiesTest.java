package dev.vicinity.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxiesTest {
  private static final String EDS = Resources.V3.ENDPOINT_TYPE_URL;
  private static final Node EAST = AdsTestClient.grpcNode("a", "mgmt-cluster", "us-east-1", "us-east-1a");
  private static final Node EAST_TOO = AdsTestClient.grpcNode("b", "mgmt-cluster", "us-east-1", "us-east-1a");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Proxies proxies = new Proxies(registry, Clock.systemUTC(), 3);

  private Proxies.Stream connected(Node node, String version) {
    Proxies.Stream stream = proxies.open();
    assertThat(proxies.join(stream, node)).isTrue();
    proxies.onRequest(stream, EDS, "", null);
    proxies.onResponse(stream, EDS, version, "0", 10);
    proxies.onRequest(stream, EDS, "0", null);
    return stream;
  }

  private long convergences() {
    return registry.get("vicinity.convergence").timer().count();
  }

  @Test
  void aChangeConvergesWhenTheLastProxyOfItsGroupHasAckedIt() {
    Proxies.Stream a = connected(EAST, "v1");
    Proxies.Stream b = connected(EAST_TOO, "v1");

    proxies.published(ClientProfiles.of(EAST), Map.of(EDS, "v2"), System.nanoTime());
    proxies.onResponse(a, EDS, "v2", "1", 10);
    proxies.onResponse(b, EDS, "v2", "1", 10);
    proxies.onRequest(a, EDS, "1", null);
    assertThat(convergences()).isZero();

    proxies.onRequest(b, EDS, "1", null);
    assertThat(convergences()).isOne();
  }

  @Test
  void aNackNamesTheRejectedVersionAndLeavesTheAckedOne() {
    Proxies.Stream a = connected(EAST, "v1");
    proxies.onResponse(a, EDS, "v2", "1", 10);

    assertThat(proxies.onRequest(a, EDS, "1", "INVALID_ARGUMENT: bad")).contains("v2");

    Proxies.TypeView eds = proxies.list().get(0).types().get(0);
    assertThat(eds.ackedVersion()).isEqualTo("v1");
    assertThat(eds.sentVersion()).isEqualTo("v2");
    assertThat(eds.nack().version()).isEqualTo("v2");
    assertThat(registry.get("vicinity.xds.nacks").counter().count()).isEqualTo(1.0);
  }

  @Test
  void aProxyLeavingDoesNotHoldAChangeBack() {
    Proxies.Stream a = connected(EAST, "v1");
    Proxies.Stream b = connected(EAST_TOO, "v1");
    proxies.published(ClientProfiles.of(EAST), Map.of(EDS, "v2"), System.nanoTime());
    proxies.onResponse(a, EDS, "v2", "1", 10);
    proxies.onRequest(a, EDS, "1", null);

    proxies.close(b);

    assertThat(convergences()).isOne();
    assertThat(proxies.hasProxies(ClientProfiles.of(EAST))).isTrue();
    proxies.close(a);
    assertThat(proxies.hasProxies(ClientProfiles.of(EAST))).isFalse();
  }

  @Test
  void aChangeToOneGroupAwaitsOnlyThatGroupsProxies() {
    Node west = AdsTestClient.grpcNode("c", "remote-cluster", "us-east-2", "us-east-2b");
    Proxies.Stream east = connected(EAST, "v1");
    connected(west, "w1");

    proxies.published(ClientProfiles.of(EAST), Map.of(EDS, "v2"), System.nanoTime());
    proxies.onResponse(east, EDS, "v2", "1", 10);
    proxies.onRequest(east, EDS, "1", null);

    assertThat(convergences()).isOne();
  }

  @Test
  void aStreamThatWouldMakeOneNodeGroupTooManyIsLeftOutUntilAGroupLeaves() {
    Proxies.Stream first = connected(AdsTestClient.grpcNode("1", "c1", "r", "z"), "v1");
    connected(AdsTestClient.grpcNode("2", "c2", "r", "z"), "v1");
    connected(AdsTestClient.grpcNode("3", "c3", "r", "z"), "v1");
    Proxies.Stream fourth = proxies.open();

    assertThat(proxies.join(fourth, AdsTestClient.grpcNode("4", "c4", "r", "z"))).isFalse();
    assertThat(proxies.join(proxies.open(), AdsTestClient.grpcNode("1-too", "c1", "r", "z")))
        .as("another proxy of a group that has proxies").isTrue();
    assertThat(registry.get("vicinity.node.groups").gauge().value()).isEqualTo(3.0);
    assertThat(proxies.list()).extracting(Proxies.ProxyView::nodeId).doesNotContain("4");

    proxies.close(first);
    assertThat(proxies.join(fourth, AdsTestClient.grpcNode("4", "c4", "r", "z")))
        .as("group c1 still has a proxy").isFalse();
  }

  @Test
  void aGroupWhoseLastProxyLeftMakesRoomForANewOne() {
    Proxies.Stream first = connected(AdsTestClient.grpcNode("1", "c1", "r", "z"), "v1");
    connected(AdsTestClient.grpcNode("2", "c2", "r", "z"), "v1");
    connected(AdsTestClient.grpcNode("3", "c3", "r", "z"), "v1");

    proxies.close(first);

    assertThat(proxies.join(proxies.open(), AdsTestClient.grpcNode("4", "c4", "r", "z"))).isTrue();
  }
}
