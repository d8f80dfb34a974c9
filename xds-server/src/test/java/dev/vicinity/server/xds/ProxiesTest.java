package dev.vicinity.server.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxiesTest {
  private static final Node EAST = TestNodes.grpcNode("a", "mgmt-cluster", "us-east-1", "us-east-1a");
  private static final Node EAST_TOO = TestNodes.grpcNode("b", "mgmt-cluster", "us-east-1", "us-east-1a");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Proxies proxies = new Proxies(registry, 3);

  /** A stream subscribed to EDS, holding the versions it is told it ACKed. */
  private static final class Client implements Proxies.Tracked {
    private final Map<XdsType, String> acked = new EnumMap<>(XdsType.class);
    private Proxies.Stream stream;

    @Override
    public List<Proxies.TypeView> types() {
      return List.of(new Proxies.TypeView("eds", "", acked.getOrDefault(XdsType.ENDPOINT, ""), null));
    }

    @Override
    public boolean subscribes(XdsType type) {
      return type == XdsType.ENDPOINT;
    }

    @Override
    public String ackedVersion(XdsType type) {
      return acked.getOrDefault(type, "");
    }
  }

  private Client connected(Node node, String version) {
    Client client = new Client();
    client.stream = proxies.open(client);
    assertThat(proxies.join(client.stream, node)).isNotNull();
    client.acked.put(XdsType.ENDPOINT, version);
    return client;
  }

  private void acks(Client client, String version) {
    client.acked.put(XdsType.ENDPOINT, version);
    proxies.holds(client.stream, XdsType.ENDPOINT, version, true);
  }

  private long convergences() {
    return registry.get("vicinity.convergence").timer().count();
  }

  @Test
  void aChangeConvergesWhenTheLastProxyOfItsGroupHasAckedIt() {
    Client a = connected(EAST, "v1");
    Client b = connected(EAST_TOO, "v1");

    proxies.published(ClientProfiles.of(EAST), Map.of(XdsType.ENDPOINT, "v2"), System.nanoTime());
    acks(a, "v2");
    assertThat(convergences()).isZero();

    acks(b, "v2");
    assertThat(convergences()).isOne();
  }

  @Test
  void aProxyThatTheChangeDoesNotConcernDoesNotHoldItBack() {
    Client a = connected(EAST, "v1");
    Client b = connected(EAST_TOO, "v1");
    proxies.published(ClientProfiles.of(EAST), Map.of(XdsType.ENDPOINT, "v2"), System.nanoTime());

    acks(a, "v2");
    proxies.holds(b.stream, XdsType.ENDPOINT, "v2", false); // nothing of v2 was for b

    assertThat(convergences()).isOne();
  }

  @Test
  void aChangeNobodyAckedIsNotTimed() {
    Client a = connected(EAST, "v1");
    proxies.published(ClientProfiles.of(EAST), Map.of(XdsType.ENDPOINT, "v2"), System.nanoTime());

    proxies.holds(a.stream, XdsType.ENDPOINT, "v2", false);

    assertThat(convergences()).isZero();
  }

  @Test
  void aNackIsCounted() {
    Client a = connected(EAST, "v1");

    proxies.nacked(a.stream, XdsType.ENDPOINT, new Subscription.Nack("v2", "1", "INVALID_ARGUMENT: bad", "now"), false);

    assertThat(registry.get("vicinity.xds.nacks").tag("type", "eds").counter().count()).isEqualTo(1.0);
  }

  @Test
  void aProxyLeavingDoesNotHoldAChangeBack() {
    Client a = connected(EAST, "v1");
    Client b = connected(EAST_TOO, "v1");
    proxies.published(ClientProfiles.of(EAST), Map.of(XdsType.ENDPOINT, "v2"), System.nanoTime());
    acks(a, "v2");

    proxies.close(b.stream);

    assertThat(convergences()).isOne();
    assertThat(proxies.hasProxies(ClientProfiles.of(EAST))).isTrue();
    proxies.close(a.stream);
    assertThat(proxies.hasProxies(ClientProfiles.of(EAST))).isFalse();
  }

  @Test
  void aChangeToOneGroupAwaitsOnlyThatGroupsProxies() {
    Node west = TestNodes.grpcNode("c", "remote-cluster", "us-east-2", "us-east-2b");
    Client a = connected(EAST, "v1");
    connected(west, "v1");

    proxies.published(ClientProfiles.of(EAST), Map.of(XdsType.ENDPOINT, "v2"), System.nanoTime());
    acks(a, "v2");

    assertThat(convergences()).isOne();
  }

  @Test
  void aStreamThatWouldMakeOneNodeGroupTooManyIsLeftOutUntilAGroupLeaves() {
    Client first = connected(TestNodes.grpcNode("1", "c1", "r", "z"), "v1");
    connected(TestNodes.grpcNode("2", "c2", "r", "z"), "v1");
    connected(TestNodes.grpcNode("3", "c3", "r", "z"), "v1");
    Proxies.Stream fourth = proxies.open(new Client());

    assertThat(proxies.join(fourth, TestNodes.grpcNode("4", "c4", "r", "z"))).isNull();
    assertThat(proxies.join(proxies.open(new Client()), TestNodes.grpcNode("1-too", "c1", "r", "z")))
        .as("another proxy of a group that has proxies").isNotNull();
    assertThat(registry.get("vicinity.node.groups").gauge().value()).isEqualTo(3.0);
    assertThat(proxies.list()).extracting(Proxies.ProxyView::nodeId).doesNotContain("4");

    proxies.close(first.stream);
    assertThat(proxies.join(fourth, TestNodes.grpcNode("4", "c4", "r", "z")))
        .as("group c1 still has a proxy").isNull();
  }

  @Test
  void aGroupWhoseLastProxyLeftMakesRoomForANewOne() {
    Client first = connected(TestNodes.grpcNode("1", "c1", "r", "z"), "v1");
    connected(TestNodes.grpcNode("2", "c2", "r", "z"), "v1");
    connected(TestNodes.grpcNode("3", "c3", "r", "z"), "v1");

    proxies.close(first.stream);

    assertThat(proxies.join(proxies.open(new Client()), TestNodes.grpcNode("4", "c4", "r", "z"))).isNotNull();
  }
}
