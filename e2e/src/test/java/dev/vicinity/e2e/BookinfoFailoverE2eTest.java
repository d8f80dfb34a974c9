package dev.vicinity.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vicinity.server.VicinityServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Gloo Mesh "Routing Based On Locality" walkthrough, end to end: the server runs on the bundled
 * bookinfo example, real gRPC backends stand in for reviews-v1/v2 (mgmt-cluster, us-east-1a) and
 * reviews-v3 (remote-cluster, us-east-2b), and real grpc-xds clients call {@code reviews.global:9080}.
 * The steps run in order, as in the guide: local first, remote when local stops, local again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BookinfoFailoverE2eTest {
  private static final Set<String> LOCAL = Set.of("v1", "v2");
  private static final Duration FAILOVER_WITHIN = Duration.ofSeconds(30);
  /** gRPC reconnects with exponential backoff (1s, 1.6x...): recovery may take a few attempts. */
  private static final Duration RECOVERY_WITHIN = Duration.ofSeconds(60);

  @TempDir static Path temp;

  static Backend v1;
  static Backend v2;
  static Backend v3;
  static VicinityServer server;
  static XdsClient eastClient;
  static XdsClient eastServiceClient;

  @BeforeAll
  static void start() throws IOException {
    int port = Examples.freePort("127.0.0.11");
    v1 = new Backend("v1", new InetSocketAddress("127.0.0.11", port)).start();
    v2 = new Backend("v2", new InetSocketAddress("127.0.0.12", port)).start();
    v3 = new Backend("v3", new InetSocketAddress("127.0.0.13", port)).start();
    server = Examples.serve(Examples.copyWithBackendPort("bookinfo", temp.resolve("bookinfo"), port));
    eastClient = XdsClient.connect("reviews.global:9080", server.xdsPort(), "productpage-east", "mgmt-cluster", "us-east-1", "us-east-1a");
    eastServiceClient = XdsClient.connect(
        "reviews.bookinfo.svc.cluster.local:9080", server.xdsPort(), "productpage-east-svc", "mgmt-cluster", "us-east-1", "us-east-1a");
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {eastClient, eastServiceClient, server, v1, v2, v3}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  @Order(1)
  void usEast1aClientIsServedByTheLocalV1AndV2() {
    await().atMost(Duration.ofSeconds(30)).until(() -> eastClient.call().isPresent());

    List<String> answers = eastClient.calls(40);

    assertThat(answers).allMatch(LOCAL::contains);
    assertThat(answers).contains("v1", "v2");
  }

  @Test
  @Order(2)
  void trafficPolicyShiftsTheReviewsServiceOfMgmtClusterOntoTheVirtualDestination() {
    await().atMost(Duration.ofSeconds(30)).until(() -> eastServiceClient.call().isPresent());

    // Without the shift, reviews.bookinfo would be served by all three versions (namespace sameness).
    assertThat(eastServiceClient.calls(40)).allMatch(LOCAL::contains);
  }

  @Test
  @Order(3)
  void whenV1AndV2StopListeningCallsFailOverToV3() {
    v1.stop();
    v2.stop();

    await().atMost(FAILOVER_WITHIN).untilAsserted(() -> assertThat(eastClient.calls(10)).containsOnly("v3"));
    await().atMost(FAILOVER_WITHIN).untilAsserted(() -> assertThat(eastServiceClient.calls(10)).containsOnly("v3"));
  }

  @Test
  @Order(4)
  void whenV1AndV2ListenAgainCallsComeBackToThem() {
    v1.start();
    v2.start();

    await().atMost(RECOVERY_WITHIN).untilAsserted(() -> assertThat(eastClient.calls(10)).allMatch(LOCAL::contains));
  }

  @Test
  @Order(5)
  void usEast2bClientIsServedByV3WhileItIsHealthy() {
    try (XdsClient westClient = XdsClient.connect(
        "reviews.global:9080", server.xdsPort(), "productpage-remote", "remote-cluster", "us-east-2", "us-east-2b")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> westClient.call().isPresent());

      assertThat(westClient.calls(20)).containsOnly("v3");
    }
  }
}
