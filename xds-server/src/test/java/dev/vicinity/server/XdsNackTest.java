package dev.vicinity.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.Lists;
import dev.vicinity.inventory.files.ConfigDirectories;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A NACK (a request with {@code error_detail}) is never answered with the version it rejects: for every
 * type, state-of-the-world and delta, wildcard and by name, when the rejected response is the first one
 * of its type on the stream and when it follows a newly added name. The next change is sent. Without
 * this, a client that rejects what it is sent (a gRPC client given a bad port) and the server answer
 * each other thousands of times a second.
 */
class XdsNackTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** How long "nothing arrives" is watched for: a NACK loop answers within milliseconds. */
  private static final Duration QUIET = Duration.ofMillis(500);
  private static final Node EAST = AdsTestClient.grpcNode("productpage-1", "mgmt-cluster", "us-east-1", "us-east-1a");
  private static final String REVIEWS_GLOBAL = "outbound|9080||reviews.global";
  private static final String REVIEWS = "outbound|9080||reviews.bookinfo.svc.cluster.local";
  private static final String POLICY_FILE = "policies/bookinfo-global.yaml";
  private static final String REVIEWS_FILE = "clusters/mgmt-cluster/reviews.yaml";

  @TempDir Path temp;

  private Path config;
  private VicinityServer server;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    config = ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve("bookinfo"));
    server = VicinityServer.start(TestServerOptions.onFreePorts(config, Duration.ofMillis(50)));
    open.add(server);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : Lists.reverse(open)) {
      closeable.close();
    }
  }

  /** A subscription, and a change in the world that gives its resources a new version. */
  record Case(String description, String typeUrl, List<String> names, String changeFile, String from, String to) {
    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Arguments> subscriptions() {
    return Stream.of(
        new Case("CDS, wildcard", AdsTestClient.CLUSTER, List.of(), POLICY_FILE, "consecutiveErrors: 1", "consecutiveErrors: 2"),
        new Case("CDS, by name", AdsTestClient.CLUSTER, List.of(REVIEWS_GLOBAL), POLICY_FILE,
            "consecutiveErrors: 1", "consecutiveErrors: 2"),
        new Case("EDS, by name", AdsTestClient.ENDPOINT, List.of(REVIEWS_GLOBAL), REVIEWS_FILE, "ready: true", "ready: false"),
        // Moving reviews.global to another port takes its listener away and its virtual host out of route 9080.
        new Case("LDS, by name", AdsTestClient.LISTENER, List.of("reviews.global:9080"), POLICY_FILE,
            "number: 9080", "number: 9081"),
        new Case("RDS, by name", AdsTestClient.ROUTE, List.of("9080"), POLICY_FILE, "number: 9080", "number: 9081"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subscriptions")
  void aNackOfTheFirstStateOfTheWorldResponseIsNotAnsweredWithTheRejectedVersion(Case subscription) throws Exception {
    AdsTestClient client = register(new AdsTestClient(server.xdsPort()));
    client.request(EAST, subscription.typeUrl(), subscription.names(), "", "");
    DiscoveryResponse first = client.next(WAIT);

    // As Envoy and gRPC send it: no version accepted yet.
    client.nack(first, subscription.names(), "", "rejected by the test");

    assertThat(client.nothingWithin(QUIET)).as("answer to a NACK of the first response").isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subscriptions")
  void aStateOfTheWorldNackIsFollowedByTheNextChangeAndOnlyThat(Case subscription) throws Exception {
    AdsTestClient client = register(new AdsTestClient(server.xdsPort()));
    client.request(EAST, subscription.typeUrl(), subscription.names(), "", "");
    DiscoveryResponse first = client.next(WAIT);
    client.nack(first, subscription.names(), "", "rejected by the test");
    assertThat(client.nothingWithin(QUIET)).isTrue();

    edit(subscription.changeFile(), subscription.from(), subscription.to());

    DiscoveryResponse next = client.next(WAIT);
    assertThat(next.getTypeUrl()).isEqualTo(subscription.typeUrl());
    assertThat(next.getVersionInfo()).isNotEqualTo(first.getVersionInfo());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subscriptions")
  void aNackOfTheFirstDeltaResponseIsNotAnsweredWithTheRejectedResources(Case subscription) throws Exception {
    DeltaAdsTestClient client = register(DeltaAdsTestClient.aggregated(server.xdsPort()));
    client.subscribe(EAST, subscription.typeUrl(), subscription.names());
    DeltaDiscoveryResponse first = client.next(WAIT);

    client.nack(first, "rejected by the test");

    assertThat(client.nothingWithin(QUIET)).as("answer to a NACK of the first response").isTrue();
    edit(subscription.changeFile(), subscription.from(), subscription.to());
    DeltaDiscoveryResponse next = client.next(WAIT);
    assertThat(next.getTypeUrl()).isEqualTo(subscription.typeUrl());
    assertThat(next.getSystemVersionInfo()).isNotEqualTo(first.getSystemVersionInfo());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("aNameAdded")
  void aStateOfTheWorldNackRightAfterANameWasAddedIsNotAnsweredWithTheRejectedVersion(String typeUrl) throws Exception {
    AdsTestClient client = register(new AdsTestClient(server.xdsPort()));
    client.request(EAST, typeUrl, List.of(REVIEWS_GLOBAL), "", "");
    DiscoveryResponse first = client.next(WAIT);
    client.ack(first, List.of(REVIEWS_GLOBAL));
    client.ack(first, List.of(REVIEWS_GLOBAL, REVIEWS));
    DiscoveryResponse withTheNewName = client.next(WAIT);
    // Clusters come as the full set; load assignments only as what the new name adds.
    assertThat(withTheNewName.getResourcesCount()).isEqualTo(typeUrl.equals(AdsTestClient.CLUSTER) ? 2 : 1);

    client.nack(withTheNewName, List.of(REVIEWS_GLOBAL, REVIEWS), first.getVersionInfo(), "rejected by the test");

    assertThat(client.nothingWithin(QUIET)).as("answer to a NACK after a name was added").isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("aNameAdded")
  void aDeltaNackRightAfterANameWasAddedIsNotAnsweredWithTheRejectedResources(String typeUrl) throws Exception {
    DeltaAdsTestClient client = register(DeltaAdsTestClient.aggregated(server.xdsPort()));
    client.subscribe(EAST, typeUrl, List.of(REVIEWS_GLOBAL));
    client.ack(client.next(WAIT));
    client.subscribe(null, typeUrl, List.of(REVIEWS));
    DeltaDiscoveryResponse added = client.next(WAIT);

    client.nack(added, "rejected by the test");

    assertThat(client.nothingWithin(QUIET)).as("answer to a NACK after a name was added").isTrue();
  }

  static Stream<String> aNameAdded() {
    return Stream.of(AdsTestClient.CLUSTER, AdsTestClient.ENDPOINT);
  }

  private <T extends AutoCloseable> T register(T client) {
    open.add(client);
    return client;
  }

  /** Rewrites a file whole (by rename), so that the file source never reads half of it. */
  private void edit(String relative, String from, String to) throws IOException {
    Path target = config.resolve(relative);
    String content = Files.readString(target);
    assertThat(content).contains(from);
    ConfigDirectories.renameIntoPlace(target, content.replace(from, to));
  }
}
