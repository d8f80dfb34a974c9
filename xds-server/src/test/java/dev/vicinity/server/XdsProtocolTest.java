package dev.vicinity.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.Lists;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vicinity.inventory.files.ConfigDirectories;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The xDS protocol as a raw client sees it, state-of-the-world and delta, on ADS and on the per-type
 * services: versions and nonces, ACKs and NACKs, subscriptions, removals, reconnects and the order of
 * types. The server runs on a copy of the bookinfo example with a ratings service added, and the world
 * is changed by editing that copy's files.
 */
class XdsProtocolTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** How long "nothing arrives" is watched for. */
  private static final Duration QUIET = Duration.ofMillis(500);
  private static final Duration FILE_POLL = Duration.ofMillis(50);
  private static final Node EAST = AdsTestClient.grpcNode("productpage-1", "mgmt-cluster", "us-east-1", "us-east-1a");

  private static final String REVIEWS_GLOBAL = "outbound|9080||reviews.global";
  private static final String REVIEWS = "outbound|9080||reviews.bookinfo.svc.cluster.local";
  private static final String RATINGS = "outbound|9080||ratings.bookinfo.svc.cluster.local";
  private static final String DETAILS = "outbound|9080||details.bookinfo.svc.cluster.local";
  private static final String GONE = "outbound|9080||gone.bookinfo.svc.cluster.local";
  private static final String OUTDATED_VERSION = "0000000000000000";

  private static final String RATINGS_FILE = "clusters/mgmt-cluster/ratings.yaml";
  private static final String DETAILS_FILE = "clusters/mgmt-cluster/details.yaml";
  private static final String REVIEWS_FILE = "clusters/mgmt-cluster/reviews.yaml";
  private static final String DESTINATION_RULE_FILE = "policies/reviews-destinationrule.yaml";

  @TempDir Path temp;

  private Path config;
  private VicinityServer server;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    config = ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve("bookinfo"));
    Files.writeString(config.resolve(RATINGS_FILE), service("ratings", "127.0.0.21"));
    server = startServer();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : Lists.reverse(open)) {
      closeable.close();
    }
  }

  private VicinityServer startServer() throws IOException {
    VicinityServer started = VicinityServer.start(TestServerOptions.onFreePorts(config, FILE_POLL));
    open.add(started);
    return started;
  }

  // ---------------------------------------------------------------- state of the world: versions and nonces

  @Test
  void anAckIsAnsweredOnlyWhenSomethingChangesAndThenWithANewVersionAndNonce() throws Exception {
    AdsTestClient client = sotw();
    client.request(EAST, AdsTestClient.CLUSTER, List.of(), "", "");
    DiscoveryResponse first = client.next(WAIT);
    assertThat(first.getTypeUrl()).isEqualTo(AdsTestClient.CLUSTER);
    assertThat(first.getVersionInfo()).matches("[0-9a-f]{16}");
    assertThat(first.getNonce()).isNotEmpty();
    assertThat(names(first)).containsExactlyInAnyOrder(REVIEWS_GLOBAL, REVIEWS, RATINGS);

    client.ack(first, List.of());
    assertThat(client.nothingWithin(QUIET)).isTrue();
    awaitAcked("cds", first.getVersionInfo());

    delete(RATINGS_FILE);
    DiscoveryResponse second = client.next(WAIT);
    assertThat(names(second)).containsExactlyInAnyOrder(REVIEWS_GLOBAL, REVIEWS);
    assertThat(second.getVersionInfo()).isNotEqualTo(first.getVersionInfo());
    assertThat(second.getNonce()).isNotEqualTo(first.getNonce());
  }

  @Test
  void aRequestWithAStaleNonceIsIgnored() throws Exception {
    AdsTestClient client = sotw();
    client.request(EAST, AdsTestClient.CLUSTER, List.of(), "", "");
    DiscoveryResponse first = client.next(WAIT);
    client.ack(first, List.of());
    delete(RATINGS_FILE);
    DiscoveryResponse second = client.next(WAIT);

    // Answering the superseded response, as a client does whose request crossed the newer response: were
    // the nonce not checked, the old version would make the server send the current one again.
    client.ack(first, List.of());
    client.nack(first, List.of(), first.getVersionInfo(), "late rejection of a superseded response");
    assertThat(client.nothingWithin(QUIET)).isTrue();
    JsonNode cds = proxyTypes().get("cds");
    assertThat(cds.path("nack").isNull()).as("a stale NACK is not recorded: %s", cds).isTrue();
    assertThat(cds.path("ackedVersion").asText()).isEqualTo(first.getVersionInfo());

    // The current nonce still counts, and the stream still follows changes.
    client.ack(second, List.of());
    awaitAcked("cds", second.getVersionInfo());
    write(RATINGS_FILE, service("ratings", "127.0.0.21"));
    assertThat(names(client.next(WAIT))).containsExactlyInAnyOrder(REVIEWS_GLOBAL, REVIEWS, RATINGS);
  }

  @Test
  void aSubscriptionChangeWithAStaleNonceWaitsUntilItIsSentWithTheLatestNonce() throws Exception {
    AdsTestClient client = sotw();
    client.request(EAST, AdsTestClient.ENDPOINT, List.of(REVIEWS_GLOBAL), "", "");
    DiscoveryResponse first = client.next(WAIT);
    client.ack(first, List.of(REVIEWS_GLOBAL));
    awaitAcked("eds", first.getVersionInfo());
    edit(REVIEWS_FILE, "ready: true", "ready: false");
    DiscoveryResponse second = client.next(WAIT);

    client.request(null, AdsTestClient.ENDPOINT, List.of(REVIEWS_GLOBAL, RATINGS), first.getVersionInfo(), first.getNonce());
    assertThat(client.nothingWithin(QUIET)).isTrue();

    client.request(null, AdsTestClient.ENDPOINT, List.of(REVIEWS_GLOBAL, RATINGS), second.getVersionInfo(), second.getNonce());
    assertThat(names(client.next(WAIT))).as("what the new name adds").containsExactly(RATINGS);
  }

  // ---------------------------------------------------------------- state of the world: subscriptions

  @Test
  void stateOfTheWorldEdsSendsExactlyTheNamesSubscribedToAsTheyAreAddedAndDropped() throws Exception {
    AdsTestClient client = sotw();
    client.request(EAST, AdsTestClient.ENDPOINT, List.of(REVIEWS_GLOBAL), "", "");
    DiscoveryResponse one = client.next(WAIT);
    assertThat(names(one)).containsExactly(REVIEWS_GLOBAL);

    // A name added is answered with what it adds: load assignments are applied one by one.
    client.ack(one, List.of(REVIEWS_GLOBAL, RATINGS));
    DiscoveryResponse added = client.next(WAIT);
    assertThat(names(added)).containsExactly(RATINGS);

    // Dropping a name needs no answer: the client forgets it; the server must not send it again.
    client.ack(added, List.of(RATINGS));
    assertThat(client.nothingWithin(QUIET)).isTrue();
    awaitAcked("eds", added.getVersionInfo());

    // reviews.global's endpoints change: the type's version moves, but nothing the client holds changed.
    edit(REVIEWS_FILE, "ready: true", "ready: false");
    assertThat(client.nothingWithin(QUIET)).isTrue();

    // ratings' endpoints change: only ratings is sent, at the type's new version.
    edit(RATINGS_FILE, "ready: true", "ready: false");
    DiscoveryResponse after = client.next(WAIT);
    assertThat(after.getVersionInfo()).isNotEqualTo(added.getVersionInfo());
    assertThat(names(after)).containsExactly(RATINGS);
  }

  @Test
  void stateOfTheWorldEdsSendsOnlyTheLoadAssignmentsThatChanged() throws Exception {
    AdsTestClient client = sotw();
    client.request(EAST, AdsTestClient.ENDPOINT, List.of(REVIEWS_GLOBAL, REVIEWS, RATINGS), "", "");
    DiscoveryResponse all = client.next(WAIT);
    assertThat(names(all)).containsExactlyInAnyOrder(REVIEWS_GLOBAL, REVIEWS, RATINGS);
    client.ack(all, List.of(REVIEWS_GLOBAL, REVIEWS, RATINGS));
    awaitAcked("eds", all.getVersionInfo());

    edit(RATINGS_FILE, "ready: true", "ready: false");

    DiscoveryResponse changed = client.next(WAIT);
    assertThat(names(changed)).containsExactly(RATINGS);
    assertThat(loadAssignment(changed, RATINGS)).isNotEqualTo(loadAssignment(all, RATINGS));
    assertThat(changed.getVersionInfo()).isNotEqualTo(all.getVersionInfo());
  }

  @Test
  void stateOfTheWorldClustersStayTheFullSetWhenOneChanges() throws Exception {
    AdsTestClient client = sotw();
    client.request(EAST, AdsTestClient.CLUSTER, List.of(), "", "");
    DiscoveryResponse all = client.next(WAIT);
    client.ack(all, List.of());
    awaitAcked("cds", all.getVersionInfo());

    delete(RATINGS_FILE);

    assertThat(names(client.next(WAIT))).containsExactlyInAnyOrder(REVIEWS_GLOBAL, REVIEWS);
  }

  // ---------------------------------------------------------------- delta

  @Test
  void deltaSendsSubscribedResourcesWithVersionsAndThenOnlyTheOneThatChanged() throws Exception {
    DeltaAdsTestClient client = delta();
    client.subscribe(EAST, AdsTestClient.CLUSTER, List.of());
    DeltaDiscoveryResponse clusters = client.next(WAIT);
    assertThat(clusters.getTypeUrl()).isEqualTo(AdsTestClient.CLUSTER);
    assertThat(clusters.getNonce()).isNotEmpty();
    assertThat(versions(clusters)).containsOnlyKeys(REVIEWS_GLOBAL, REVIEWS, RATINGS)
        .allSatisfy((name, version) -> assertThat(version).matches("[0-9a-f]{16}"));
    client.ack(clusters);

    client.subscribe(null, AdsTestClient.ENDPOINT, List.of(REVIEWS_GLOBAL, REVIEWS, RATINGS));
    DeltaDiscoveryResponse endpoints = client.next(WAIT);
    assertThat(endpoints.getTypeUrl()).isEqualTo(AdsTestClient.ENDPOINT);
    assertThat(versions(endpoints)).containsOnlyKeys(REVIEWS_GLOBAL, REVIEWS, RATINGS);
    client.ack(endpoints);
    assertThat(client.nothingWithin(QUIET)).isTrue();

    edit(RATINGS_FILE, "ready: true", "ready: false");
    DeltaDiscoveryResponse changed = client.next(WAIT);
    assertThat(changed.getTypeUrl()).isEqualTo(AdsTestClient.ENDPOINT);
    assertThat(versions(changed)).containsOnlyKeys(RATINGS);
    assertThat(versions(changed).get(RATINGS)).isNotEqualTo(versions(endpoints).get(RATINGS));
    assertThat(changed.getRemovedResourcesList()).isEmpty();
    assertThat(changed.getNonce()).isNotEqualTo(endpoints.getNonce());
  }

  @Test
  void aDeltaNameUnsubscribedFromIsNoLongerUpdated() throws Exception {
    DeltaAdsTestClient client = delta();
    subscribeToEverything(client);

    client.unsubscribe(AdsTestClient.ENDPOINT, List.of(REVIEWS));
    assertThat(client.nothingWithin(QUIET)).isTrue();

    // Both reviews load assignments change; only the one still subscribed to is sent.
    edit(REVIEWS_FILE, "ready: true", "ready: false");
    DeltaDiscoveryResponse changed = client.next(WAIT);
    assertThat(changed.getTypeUrl()).isEqualTo(AdsTestClient.ENDPOINT);
    assertThat(versions(changed)).containsOnlyKeys(REVIEWS_GLOBAL);
  }

  @Test
  void aServiceThatLeavesTheWorldIsNamedInDeltaRemovedResourcesClusterFirst() throws Exception {
    DeltaAdsTestClient client = delta();
    subscribeToEverything(client);

    delete(RATINGS_FILE);

    DeltaDiscoveryResponse clusters = client.next(WAIT);
    assertThat(clusters.getTypeUrl()).isEqualTo(AdsTestClient.CLUSTER);
    assertThat(clusters.getRemovedResourcesList()).containsExactly(RATINGS);
    assertThat(clusters.getResourcesList()).isEmpty();
    DeltaDiscoveryResponse endpoints = client.next(WAIT);
    assertThat(endpoints.getTypeUrl()).isEqualTo(AdsTestClient.ENDPOINT);
    assertThat(endpoints.getRemovedResourcesList()).containsExactly(RATINGS);
    assertThat(endpoints.getResourcesList()).isEmpty();
  }

  @Test
  void aLoadAssignmentThatLeavesAndComesBackIsSentAgainToTheClientStillSubscribedToIt() throws Exception {
    DeltaAdsTestClient client = delta();
    subscribeToEverything(client);
    delete(RATINGS_FILE);
    for (String type : List.of(AdsTestClient.CLUSTER, AdsTestClient.ENDPOINT)) {
      DeltaDiscoveryResponse removal = client.next(WAIT);
      assertThat(removal.getTypeUrl()).isEqualTo(type);
      assertThat(removal.getRemovedResourcesList()).containsExactly(RATINGS);
      client.ack(removal);
    }

    write(RATINGS_FILE, service("ratings", "127.0.0.22"));

    DeltaDiscoveryResponse cluster = client.next(WAIT);
    assertThat(cluster.getTypeUrl()).isEqualTo(AdsTestClient.CLUSTER);
    assertThat(versions(cluster)).containsOnlyKeys(RATINGS);
    DeltaDiscoveryResponse endpoints = client.next(WAIT);
    assertThat(endpoints.getTypeUrl()).isEqualTo(AdsTestClient.ENDPOINT);
    assertThat(versions(endpoints)).containsOnlyKeys(RATINGS);
  }

  @Test
  void aDeltaNackIsNotAnsweredWithTheRejectedResourcesAgain() throws Exception {
    DeltaAdsTestClient client = delta();
    client.subscribe(EAST, AdsTestClient.CLUSTER, List.of());
    client.ack(client.next(WAIT));
    client.subscribe(null, AdsTestClient.ENDPOINT, List.of(REVIEWS_GLOBAL));
    DeltaDiscoveryResponse endpoints = client.next(WAIT);

    client.nack(endpoints, "load assignment outbound|9080||reviews.global: bad weight");

    assertThat(client.nothingWithin(QUIET)).isTrue();
    assertThat(proxyTypes().get("eds").path("nack").path("nonce").asText()).isEqualTo(endpoints.getNonce());
    // A change is sent: it may fix what was rejected.
    edit(REVIEWS_FILE, "ready: true", "ready: false");
    DeltaDiscoveryResponse changed = client.next(WAIT);
    assertThat(versions(changed)).containsOnlyKeys(REVIEWS_GLOBAL);
  }

  @Test
  void aDeltaAckOfAnAlreadyAnsweredNonceIsIgnoredAndTheStreamGoesOn() throws Exception {
    DeltaAdsTestClient client = delta();
    client.subscribe(EAST, AdsTestClient.CLUSTER, List.of());
    DeltaDiscoveryResponse clusters = client.next(WAIT);
    client.ack(clusters);

    client.ack(clusters); // a repeated ACK, the nonce now unknown to the server

    assertThat(client.nothingWithin(QUIET)).isTrue();
    assertThat(client.failure()).isEmpty();
    delete(RATINGS_FILE);
    assertThat(client.next(WAIT).getRemovedResourcesList()).containsExactly(RATINGS);
  }

  // ---------------------------------------------------------------- delta reconnect

  @Test
  void aDeltaReconnectWithInitialVersionsIsSentOnlyWhatDiffersAndToldWhatIsGone() throws Exception {
    DeltaAdsTestClient before = delta();
    Map<String, Map<String, String>> held = subscribeToEverything(before);
    // `before` stays connected, so that the group's snapshot is the one already served.

    DeltaAdsTestClient after = delta();
    assertReconnectIsSentOnlyWhatDiffers(after, held);
  }

  @Test
  void aDeltaReconnectToARestartedServerIsSentOnlyWhatDiffersAndToldWhatIsGone() throws Exception {
    DeltaAdsTestClient before = delta();
    Map<String, Map<String, String>> held = subscribeToEverything(before);
    before.close();

    // A fresh server, as after a restart: no snapshot for the group until this proxy asks.
    server = startServer();
    DeltaAdsTestClient after = delta();
    assertReconnectIsSentOnlyWhatDiffers(after, held);
  }

  /**
   * Reconnects holding every resource, one of them at an outdated version, plus one the server no longer
   * has: the outdated one is sent, the gone one named as removed, the current ones not sent, now or
   * after the ACK; and one of those later leaving the world is named as removed.
   */
  private void assertReconnectIsSentOnlyWhatDiffers(DeltaAdsTestClient client, Map<String, Map<String, String>> held)
      throws Exception {
    for (String type : List.of(AdsTestClient.CLUSTER, AdsTestClient.ENDPOINT)) {
      Map<String, String> initial = new HashMap<>(held.get(type));
      initial.put(REVIEWS, OUTDATED_VERSION);
      initial.put(GONE, OUTDATED_VERSION);
      // CDS is a wildcard subscription; EDS names what it wants, as a reconnecting client does.
      List<String> names = type.equals(AdsTestClient.CLUSTER) ? List.of() : List.copyOf(initial.keySet());
      client.subscribe(type.equals(AdsTestClient.CLUSTER) ? EAST : null, type, names, initial);

      DeltaDiscoveryResponse update = client.next(WAIT);
      assertThat(update.getTypeUrl()).isEqualTo(type);
      assertThat(versions(update)).as(type).isEqualTo(Map.of(REVIEWS, held.get(type).get(REVIEWS)));
      assertThat(update.getRemovedResourcesList()).as(type).containsExactly(GONE);
      client.ack(update);
      assertThat(client.nothingWithin(QUIET)).as("nothing more for " + type).isTrue();
    }

    delete(RATINGS_FILE);
    for (String type : List.of(AdsTestClient.CLUSTER, AdsTestClient.ENDPOINT)) {
      DeltaDiscoveryResponse removal = client.next(WAIT);
      assertThat(removal.getTypeUrl()).isEqualTo(type);
      assertThat(removal.getRemovedResourcesList()).as(type).containsExactly(RATINGS);
    }
  }

  // ---------------------------------------------------------------- ordering

  @Test
  void aPolicyChangingAClusterAndItsLoadAssignmentSendsTheClusterFirst() throws Exception {
    AdsTestClient client = sotw();
    client.request(EAST, AdsTestClient.CLUSTER, List.of(), "", "");
    DiscoveryResponse clusters = client.next(WAIT);
    client.ack(clusters, List.of());
    client.request(null, AdsTestClient.ENDPOINT, List.of(REVIEWS, REVIEWS_GLOBAL), "", "");
    DiscoveryResponse endpoints = client.next(WAIT);
    client.ack(endpoints, List.of(REVIEWS, REVIEWS_GLOBAL));
    awaitAcked("cds", clusters.getVersionInfo());
    awaitAcked("eds", endpoints.getVersionInfo());

    write(DESTINATION_RULE_FILE, DESTINATION_RULE);

    DiscoveryResponse first = client.next(WAIT);
    DiscoveryResponse second = client.next(WAIT);
    assertThat(List.of(first.getTypeUrl(), second.getTypeUrl())).containsExactly(AdsTestClient.CLUSTER, AdsTestClient.ENDPOINT);
    assertThat(cluster(first, REVIEWS).hasOutlierDetection()).isTrue();
    assertThat(loadAssignment(second, REVIEWS)).isNotEqualTo(loadAssignment(endpoints, REVIEWS));
  }

  @Test
  void aDeltaPolicyChangingAClusterAndItsLoadAssignmentSendsTheClusterFirst() throws Exception {
    DeltaAdsTestClient client = delta();
    subscribeToEverything(client);
    awaitAcked("eds", "");

    write(DESTINATION_RULE_FILE, DESTINATION_RULE);

    DeltaDiscoveryResponse first = client.next(WAIT);
    DeltaDiscoveryResponse second = client.next(WAIT);
    assertThat(List.of(first.getTypeUrl(), second.getTypeUrl())).containsExactly(AdsTestClient.CLUSTER, AdsTestClient.ENDPOINT);
    assertThat(versions(first)).containsOnlyKeys(REVIEWS);
    assertThat(versions(second)).containsOnlyKeys(REVIEWS);
  }

  @Test
  void aNewServicesClusterIsSentBeforeItsLoadAssignment() throws Exception {
    AdsTestClient client = sotw();
    client.request(EAST, AdsTestClient.CLUSTER, List.of(), "", "");
    DiscoveryResponse clusters = client.next(WAIT);
    client.ack(clusters, List.of());
    // A wildcard EDS subscription: the new load assignment comes without being asked for by name.
    client.request(null, AdsTestClient.ENDPOINT, List.of(), "", "");
    DiscoveryResponse endpoints = client.next(WAIT);
    client.ack(endpoints, List.of());
    awaitAcked("cds", clusters.getVersionInfo());
    awaitAcked("eds", endpoints.getVersionInfo());

    write(DETAILS_FILE, service("details", "127.0.0.31"));

    DiscoveryResponse first = client.next(WAIT);
    DiscoveryResponse second = client.next(WAIT);
    assertThat(first.getTypeUrl()).isEqualTo(AdsTestClient.CLUSTER);
    assertThat(names(first)).contains(DETAILS);
    assertThat(second.getTypeUrl()).isEqualTo(AdsTestClient.ENDPOINT);
    assertThat(names(second)).contains(DETAILS);
  }

  // ---------------------------------------------------------------- per-type services

  @Test
  void thePerTypeServicesOnTheSamePortServeWhatAdsServes() throws Exception {
    AdsTestClient ads = sotw();
    ads.request(EAST, AdsTestClient.CLUSTER, List.of(), "", "");
    DiscoveryResponse adsClusters = ads.next(WAIT);
    ads.ack(adsClusters, List.of());
    ads.request(null, AdsTestClient.ENDPOINT, List.of(REVIEWS_GLOBAL, RATINGS), "", "");
    DiscoveryResponse adsEndpoints = ads.next(WAIT);
    ads.ack(adsEndpoints, List.of(REVIEWS_GLOBAL, RATINGS));

    AdsTestClient cds = register(AdsTestClient.onClusterService(server.xdsPort()));
    cds.request(EAST, AdsTestClient.CLUSTER, List.of(), "", "");
    DiscoveryResponse standaloneClusters = cds.next(WAIT);
    assertThat(standaloneClusters.getVersionInfo()).isEqualTo(adsClusters.getVersionInfo());
    assertThat(standaloneClusters.getResourcesList()).containsExactlyInAnyOrderElementsOf(adsClusters.getResourcesList());

    AdsTestClient eds = register(AdsTestClient.onEndpointService(server.xdsPort()));
    eds.request(EAST, AdsTestClient.ENDPOINT, List.of(REVIEWS_GLOBAL, RATINGS), "", "");
    DiscoveryResponse standaloneEndpoints = eds.next(WAIT);
    assertThat(standaloneEndpoints.getVersionInfo()).isEqualTo(adsEndpoints.getVersionInfo());
    assertThat(standaloneEndpoints.getResourcesList()).containsExactlyInAnyOrderElementsOf(adsEndpoints.getResourcesList());
    eds.ack(standaloneEndpoints, List.of(REVIEWS_GLOBAL, RATINGS));

    DeltaAdsTestClient deltaCds = register(DeltaAdsTestClient.onClusterService(server.xdsPort()));
    deltaCds.subscribe(EAST, AdsTestClient.CLUSTER, List.of());
    assertThat(resources(deltaCds.next(WAIT))).containsExactlyInAnyOrderElementsOf(adsClusters.getResourcesList());

    DeltaAdsTestClient deltaEds = register(DeltaAdsTestClient.onEndpointService(server.xdsPort()));
    deltaEds.subscribe(EAST, AdsTestClient.ENDPOINT, List.of(REVIEWS_GLOBAL, RATINGS));
    DeltaDiscoveryResponse deltaEndpoints = deltaEds.next(WAIT);
    assertThat(resources(deltaEndpoints)).containsExactlyInAnyOrderElementsOf(adsEndpoints.getResourcesList());
    deltaEds.ack(deltaEndpoints);

    // A change reaches every stream alike.
    edit(REVIEWS_FILE, "ready: true", "ready: false");
    DiscoveryResponse adsChange = ads.next(WAIT);
    assertThat(adsChange.getTypeUrl()).isEqualTo(AdsTestClient.ENDPOINT);
    assertThat(eds.next(WAIT).getResourcesList()).containsExactlyInAnyOrderElementsOf(adsChange.getResourcesList());
    assertThat(resources(deltaEds.next(WAIT))).containsExactly(find(adsChange, REVIEWS_GLOBAL));
  }

  // ---------------------------------------------------------------- helpers

  private AdsTestClient sotw() {
    return register(new AdsTestClient(server.xdsPort()));
  }

  private DeltaAdsTestClient delta() {
    return register(DeltaAdsTestClient.aggregated(server.xdsPort()));
  }

  private <T extends AutoCloseable> T register(T client) {
    open.add(client);
    return client;
  }

  /**
   * Delta: every cluster (wildcard) and the three load assignments, each ACKed. Returns the versions
   * received, by type URL.
   */
  private Map<String, Map<String, String>> subscribeToEverything(DeltaAdsTestClient client) throws Exception {
    client.subscribe(EAST, AdsTestClient.CLUSTER, List.of());
    DeltaDiscoveryResponse clusters = client.next(WAIT);
    client.ack(clusters);
    client.subscribe(null, AdsTestClient.ENDPOINT, List.of(REVIEWS_GLOBAL, REVIEWS, RATINGS));
    DeltaDiscoveryResponse endpoints = client.next(WAIT);
    client.ack(endpoints);
    assertThat(versions(clusters)).containsOnlyKeys(REVIEWS_GLOBAL, REVIEWS, RATINGS);
    assertThat(versions(endpoints)).containsOnlyKeys(REVIEWS_GLOBAL, REVIEWS, RATINGS);
    return Map.of(AdsTestClient.CLUSTER, versions(clusters), AdsTestClient.ENDPOINT, versions(endpoints));
  }

  private static List<String> names(DiscoveryResponse response) {
    return response.getResourcesList().stream().map(XdsProtocolTest::name).toList();
  }

  private static String name(Any resource) {
    try {
      return resource.is(Cluster.class)
          ? resource.unpack(Cluster.class).getName()
          : resource.unpack(ClusterLoadAssignment.class).getClusterName();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("unreadable resource " + resource.getTypeUrl(), e);
    }
  }

  private static Any find(DiscoveryResponse response, String name) {
    return response.getResourcesList().stream().filter(r -> name(r).equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in " + names(response)));
  }

  private static Cluster cluster(DiscoveryResponse response, String name) throws InvalidProtocolBufferException {
    return find(response, name).unpack(Cluster.class);
  }

  private static ClusterLoadAssignment loadAssignment(DiscoveryResponse response, String name)
      throws InvalidProtocolBufferException {
    return find(response, name).unpack(ClusterLoadAssignment.class);
  }

  /** A delta response's resources, name to version. */
  private static Map<String, String> versions(DeltaDiscoveryResponse response) {
    Map<String, String> versions = new TreeMap<>();
    for (Resource resource : response.getResourcesList()) {
      versions.put(resource.getName(), resource.getVersion());
    }
    return versions;
  }

  private static List<Any> resources(DeltaDiscoveryResponse response) {
    return response.getResourcesList().stream().map(Resource::getResource).toList();
  }

  /** The single connected proxy's types as {@code /debug/proxies} shows them, by short type name. */
  private Map<String, JsonNode> proxyTypes() throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.debugPort() + "/debug/proxies")).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode proxies = new ObjectMapper().readTree(response.body()).path("proxies");
    assertThat(proxies).as("connected proxies").hasSize(1);
    Map<String, JsonNode> types = new HashMap<>();
    proxies.get(0).path("types").forEach(type -> types.put(type.path("type").asText(), type));
    return types;
  }

  /**
   * Waits until the server has taken in the proxy's ACK of {@code version} ("": of whatever it was
   * sent last), so that a change made next finds the proxy's watch open.
   */
  private void awaitAcked(String type, String version) {
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode state = proxyTypes().get(type);
      assertThat(state).isNotNull();
      String expected = version.isEmpty() ? state.path("sentVersion").asText() : version;
      assertThat(state.path("ackedVersion").asText()).isEqualTo(expected);
    });
  }

  // ---------------------------------------------------------------- the world, as files

  /** Writes a file whole, so that the file source, polling, never reads half of it. */
  private void write(String relative, String content) throws IOException {
    ConfigDirectories.renameIntoPlace(config.resolve(relative), content);
  }

  private void edit(String relative, String from, String to) throws IOException {
    String content = Files.readString(config.resolve(relative));
    assertThat(content).contains(from);
    write(relative, content.replace(from, to));
  }

  private void delete(String relative) throws IOException {
    Files.delete(config.resolve(relative));
  }

  private static final String DESTINATION_RULE = """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata:
        name: reviews
        namespace: bookinfo
      spec:
        host: reviews.bookinfo.svc.cluster.local
        trafficPolicy:
          outlierDetection:
            consecutive5xxErrors: 1
            interval: 1s
            baseEjectionTime: 1m
          loadBalancer:
            simple: ROUND_ROBIN
            localityLbSetting:
              enabled: true
      """;

  /** A Service in mgmt-cluster's bookinfo namespace and its EndpointSlice with one ready endpoint. */
  private static String service(String name, String address) {
    return """
        apiVersion: v1
        kind: Service
        metadata:
          name: %1$s
          namespace: bookinfo
          labels:
            app: %1$s
        spec:
          ports:
          - name: http
            port: 9080
            protocol: TCP
            targetPort: 9080
          selector:
            app: %1$s
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        addressType: IPv4
        metadata:
          name: %1$s-abcde
          namespace: bookinfo
          labels:
            kubernetes.io/service-name: %1$s
        endpoints:
        - addresses:
          - %2$s
          conditions:
            ready: true
            serving: true
            terminating: false
          nodeName: mgmt-cluster-control-plane
        ports:
        - name: http
          port: 9080
          protocol: TCP
        """.formatted(name, address);
  }
}
