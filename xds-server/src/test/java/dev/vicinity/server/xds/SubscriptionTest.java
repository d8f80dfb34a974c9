package dev.vicinity.server.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules that decide whether and what a stream is sent, without a network. */
class SubscriptionTest {
  private static final String NOW = "2026-12-02T00:00:00Z";
  private final SharedResources shared = new SharedResources();

  private XdsSnapshot snapshot(Map<String, Integer> weightsByCluster) {
    return XdsSnapshot.of(Map.of(
        XdsType.CLUSTER, weightsByCluster.keySet().stream().sorted().map(name -> Cluster.newBuilder().setName(name).build()).toList(),
        XdsType.ENDPOINT, weightsByCluster.entrySet().stream().sorted(Map.Entry.comparingByKey())
            .map(entry -> ClusterLoadAssignment.newBuilder().setClusterName(entry.getKey())
                .addEndpoints(LocalityLbEndpoints.newBuilder().setPriority(entry.getValue())).build())
            .toList()), shared);
  }

  private static XdsRequest sotw(List<String> names, String version, String nonce) {
    return new XdsRequest("", Optional.empty(), nonce, version, names, List.of(), List.of(), Map.of(), Optional.empty());
  }

  private static XdsRequest sotwNack(List<String> names, String nonce) {
    return new XdsRequest("", Optional.empty(), nonce, "", names, List.of(), List.of(), Map.of(), Optional.of("INVALID_ARGUMENT: no"));
  }

  private static XdsRequest delta(List<String> subscribe, List<String> unsubscribe, Map<String, String> initial, String nonce) {
    return new XdsRequest("", Optional.empty(), nonce, "", List.of(), subscribe, unsubscribe, initial, Optional.empty());
  }

  private static List<String> names(Plan plan) {
    return plan.resources().stream().map(VersionedResource::name).toList();
  }

  /** Decides and, if there is something, sends it with the next nonce. */
  private static Plan send(Subscription subscription, XdsSnapshot snapshot, String nonce) {
    Plan plan = subscription.decide(snapshot);
    if (plan != null) {
      subscription.sent(plan, nonce);
    }
    return plan;
  }

  @Test
  void stateOfTheWorldLoadAssignmentsAreSentOnlyWhenTheyChangedOrAreNewlyAskedFor() {
    Subscription eds = new Subscription(XdsType.ENDPOINT, Protocol.STATE_OF_THE_WORLD);
    eds.onStateOfTheWorldRequest(sotw(List.of("a", "b"), "", ""), NOW);
    XdsSnapshot one = snapshot(Map.of("a", 1, "b", 1, "c", 1));
    assertThat(names(send(eds, one, "1"))).containsExactly("a", "b");
    assertThat(eds.onStateOfTheWorldRequest(sotw(List.of("a", "b"), one.version(XdsType.ENDPOINT), "1"), NOW))
        .isEqualTo(Subscription.Outcome.ACK);
    assertThat(eds.decide(one)).as("nothing changed").isNull();

    XdsSnapshot two = snapshot(Map.of("a", 1, "b", 2, "c", 2));
    Plan changed = send(eds, two, "2");
    assertThat(names(changed)).containsExactly("b");
    assertThat(changed.version()).isEqualTo(two.version(XdsType.ENDPOINT));

    eds.onStateOfTheWorldRequest(sotw(List.of("a", "b", "c"), two.version(XdsType.ENDPOINT), "2"), NOW);
    assertThat(names(send(eds, two, "3"))).as("what the new name adds").containsExactly("c");
  }

  @Test
  void stateOfTheWorldClustersAreAlwaysTheFullSet() {
    Subscription cds = new Subscription(XdsType.CLUSTER, Protocol.STATE_OF_THE_WORLD);
    cds.onStateOfTheWorldRequest(sotw(List.of(), "", ""), NOW);
    assertThat(names(send(cds, snapshot(Map.of("a", 1, "b", 1)), "1"))).containsExactlyInAnyOrder("a", "b");
    cds.onStateOfTheWorldRequest(sotw(List.of(), "v", "1"), NOW);

    assertThat(names(send(cds, snapshot(Map.of("a", 1, "b", 1, "c", 1)), "2"))).containsExactlyInAnyOrder("a", "b", "c");
    cds.onStateOfTheWorldRequest(sotw(List.of(), "v", "2"), NOW);
    assertThat(names(send(cds, snapshot(Map.of("a", 1)), "3"))).as("a removal is the set without it").containsExactly("a");
  }

  @Test
  void aNamedClusterThatLeavesIsAnsweredWithTheSetWithoutIt() {
    Subscription cds = new Subscription(XdsType.CLUSTER, Protocol.STATE_OF_THE_WORLD);
    cds.onStateOfTheWorldRequest(sotw(List.of("a", "b"), "", ""), NOW);
    send(cds, snapshot(Map.of("a", 1, "b", 1)), "1");
    cds.onStateOfTheWorldRequest(sotw(List.of("a", "b"), "v", "1"), NOW);

    assertThat(names(send(cds, snapshot(Map.of("a", 1)), "2"))).containsExactly("a");
  }

  @Test
  void aNackIsRecordedAndTheRejectedVersionIsNotSentAgainUntilItChanges() {
    Subscription eds = new Subscription(XdsType.ENDPOINT, Protocol.STATE_OF_THE_WORLD);
    eds.onStateOfTheWorldRequest(sotw(List.of("a"), "", ""), NOW);
    XdsSnapshot one = snapshot(Map.of("a", 1));
    send(eds, one, "1");

    assertThat(eds.onStateOfTheWorldRequest(sotwNack(List.of("a"), "1"), NOW)).isEqualTo(Subscription.Outcome.NACK);

    assertThat(eds.nack().version()).isEqualTo(one.version(XdsType.ENDPOINT));
    assertThat(eds.nack().message()).isEqualTo("INVALID_ARGUMENT: no");
    assertThat(eds.ackedVersion()).isEmpty();
    assertThat(eds.inFlight()).isFalse();
    assertThat(eds.decide(one)).isNull();
    assertThat(names(eds.decide(snapshot(Map.of("a", 2))))).containsExactly("a");
  }

  @Test
  void aRequestAnsweringASupersededResponseIsIgnored() {
    Subscription eds = new Subscription(XdsType.ENDPOINT, Protocol.STATE_OF_THE_WORLD);
    eds.onStateOfTheWorldRequest(sotw(List.of("a"), "", ""), NOW);
    send(eds, snapshot(Map.of("a", 1)), "1");
    eds.onStateOfTheWorldRequest(sotw(List.of("a"), "v1", "1"), NOW);
    send(eds, snapshot(Map.of("a", 2)), "2");

    assertThat(eds.onStateOfTheWorldRequest(sotwNack(List.of("a", "b"), "1"), NOW)).isEqualTo(Subscription.Outcome.STALE);
    assertThat(eds.nack()).isNull();
    assertThat(eds.inFlight()).isTrue();
  }

  @Test
  void nothingMoreIsSentWhileAResponseIsUnanswered() {
    Subscription eds = new Subscription(XdsType.ENDPOINT, Protocol.STATE_OF_THE_WORLD);
    eds.onStateOfTheWorldRequest(sotw(List.of("a"), "", ""), NOW);
    send(eds, snapshot(Map.of("a", 1)), "1");

    assertThat(eds.inFlight()).isTrue();
    eds.onStateOfTheWorldRequest(sotw(List.of("a"), "v1", "1"), NOW);
    assertThat(eds.inFlight()).isFalse();
  }

  @Test
  void aClientReconnectingWithTheCurrentVersionIsSentNothing() {
    XdsSnapshot one = snapshot(Map.of("a", 1, "b", 1));
    Subscription cds = new Subscription(XdsType.CLUSTER, Protocol.STATE_OF_THE_WORLD);
    cds.onStateOfTheWorldRequest(sotw(List.of(), one.version(XdsType.CLUSTER), ""), NOW);

    assertThat(cds.decide(one)).isNull();
    assertThat(names(cds.decide(snapshot(Map.of("a", 1))))).containsExactly("a");
  }

  @Test
  void aFirstStateOfTheWorldRequestIsAnsweredEvenWhenThereIsNothingToSend() {
    Subscription eds = new Subscription(XdsType.ENDPOINT, Protocol.STATE_OF_THE_WORLD);
    eds.onStateOfTheWorldRequest(sotw(List.of("missing"), "", ""), NOW);

    Plan plan = eds.decide(snapshot(Map.of("a", 1)));

    assertThat(plan).isNotNull();
    assertThat(plan.resources()).isEmpty();
  }

  @Test
  void deltaSendsWhatTheClientLacksAndNamesWhatItHoldsThatIsGone() {
    XdsSnapshot one = snapshot(Map.of("a", 1, "b", 1));
    String aVersion = one.resources(XdsType.CLUSTER).get("a").version();
    Subscription cds = new Subscription(XdsType.CLUSTER, Protocol.DELTA);
    cds.onDeltaRequest(delta(List.of(), List.of(), Map.of("a", aVersion, "gone", "0"), ""), true, NOW);

    Plan plan = send(cds, one, "1");

    assertThat(names(plan)).containsExactly("b");
    assertThat(plan.removed()).containsExactly("gone");
    cds.onDeltaRequest(delta(List.of(), List.of(), Map.of(), "1"), false, NOW);
    assertThat(cds.decide(one)).as("it holds everything now").isNull();
  }

  @Test
  void deltaByNameIsNotAWildcard() {
    Subscription cds = new Subscription(XdsType.CLUSTER, Protocol.DELTA);
    cds.onDeltaRequest(delta(List.of("a"), List.of(), Map.of(), ""), true, NOW);

    assertThat(names(send(cds, snapshot(Map.of("a", 1, "b", 1)), "1"))).containsExactly("a");
    cds.onDeltaRequest(delta(List.of("b"), List.of("a"), Map.of(), "1"), false, NOW);
    assertThat(names(cds.decide(snapshot(Map.of("a", 2, "b", 1))))).containsExactly("b");
  }

  @Test
  void aWarmingResourceIsSentAgainOnTheNextRequestThoughTheClientHoldsIt() {
    XdsSnapshot one = snapshot(Map.of("a", 1));
    Subscription eds = new Subscription(XdsType.ENDPOINT, Protocol.STATE_OF_THE_WORLD);
    eds.onStateOfTheWorldRequest(sotw(List.of("a"), "", ""), NOW);
    send(eds, one, "1");
    eds.onStateOfTheWorldRequest(sotw(List.of("a"), "v1", "1"), NOW);

    eds.resendOnNextRequest(java.util.Set.of("a"));
    assertThat(eds.decide(one)).as("not before the client asks").isNull();
    eds.onStateOfTheWorldRequest(sotw(List.of("a"), "v1", "1"), NOW);

    assertThat(names(send(eds, one, "2"))).containsExactly("a");
    eds.onStateOfTheWorldRequest(sotw(List.of("a"), "v1", "2"), NOW);
    assertThat(eds.decide(one)).as("once").isNull();
  }

  @Test
  void stateOfTheWorldRouteConfigurationsAreSentOnlyWhenTheyChanged() {
    SharedResources routes = new SharedResources();
    java.util.function.BiFunction<String, String, XdsSnapshot> snapshot = (domainA, domainB) -> XdsSnapshot.of(Map.of(
        XdsType.ROUTE, List.of(
            io.envoyproxy.envoy.config.route.v3.RouteConfiguration.newBuilder().setName("80")
                .addVirtualHosts(io.envoyproxy.envoy.config.route.v3.VirtualHost.newBuilder().setName("a").addDomains(domainA)).build(),
            io.envoyproxy.envoy.config.route.v3.RouteConfiguration.newBuilder().setName("9080")
                .addVirtualHosts(io.envoyproxy.envoy.config.route.v3.VirtualHost.newBuilder().setName("b").addDomains(domainB)).build())),
        routes);
    Subscription rds = new Subscription(XdsType.ROUTE, Protocol.STATE_OF_THE_WORLD);
    rds.onStateOfTheWorldRequest(sotw(List.of("80", "9080"), "", ""), NOW);
    assertThat(names(send(rds, snapshot.apply("a.example", "b.example"), "1"))).containsExactlyInAnyOrder("80", "9080");
    rds.onStateOfTheWorldRequest(sotw(List.of("80", "9080"), "v1", "1"), NOW);

    assertThat(names(send(rds, snapshot.apply("a.example", "b2.example"), "2"))).containsExactly("9080");
  }

  private XdsSnapshot patched(XdsSnapshot snapshot, String name, int priority) {
    return snapshot.withLoadAssignments(List.of(ClusterLoadAssignment.newBuilder().setClusterName(name)
        .addEndpoints(LocalityLbEndpoints.newBuilder().setPriority(priority)).build()), shared);
  }

  @Test
  void aPatchOfWhatTheClientHoldsSendsWhatThePatchReplaced() {
    Subscription eds = new Subscription(XdsType.ENDPOINT, Protocol.STATE_OF_THE_WORLD);
    eds.onStateOfTheWorldRequest(sotw(List.of("a", "b"), "", ""), NOW);
    XdsSnapshot zero = snapshot(Map.of("a", 1, "b", 1, "c", 1));
    send(eds, zero, "1");
    eds.onStateOfTheWorldRequest(sotw(List.of("a", "b"), zero.version(XdsType.ENDPOINT), "1"), NOW);

    XdsSnapshot one = patched(zero, "b", 2);
    assertThat(names(send(eds, one, "2"))).containsExactly("b");
    eds.onStateOfTheWorldRequest(sotw(List.of("a", "b"), one.version(XdsType.ENDPOINT), "2"), NOW);
    assertThat(eds.decide(patched(one, "c", 2))).as("c is not asked for").isNull();
  }

  @Test
  void aPatchOfASnapshotTheClientNeverGotIsComparedInFull() {
    Subscription eds = new Subscription(XdsType.ENDPOINT, Protocol.STATE_OF_THE_WORLD);
    eds.onStateOfTheWorldRequest(sotw(List.of(), "", ""), NOW);
    XdsSnapshot zero = snapshot(Map.of("a", 1, "b", 1, "c", 1));
    send(eds, zero, "1");
    // one comes while the response to zero is unanswered, so it is never decided on; two patches one.
    XdsSnapshot one = patched(zero, "a", 2);
    XdsSnapshot two = patched(one, "c", 2);
    eds.onStateOfTheWorldRequest(sotw(List.of(), zero.version(XdsType.ENDPOINT), "1"), NOW);

    assertThat(names(send(eds, two, "2"))).containsExactlyInAnyOrder("a", "c");
  }

  @Test
  void aPatchDecidedButNotSentLeavesTheNextPatchComparedInFull() {
    Subscription eds = new Subscription(XdsType.ENDPOINT, Protocol.DELTA);
    eds.onDeltaRequest(delta(List.of("*"), List.of(), Map.of(), ""), true, NOW);
    XdsSnapshot zero = snapshot(Map.of("a", 1, "b", 1));
    send(eds, zero, "1");
    eds.onDeltaRequest(delta(List.of(), List.of(), Map.of(), "1"), false, NOW);
    XdsSnapshot one = patched(zero, "a", 2);
    assertThat(eds.decide(one)).as("decided, but the write budget held it back").isNotNull();

    assertThat(names(send(eds, patched(one, "b", 2), "2"))).containsExactlyInAnyOrder("a", "b");
  }
}
