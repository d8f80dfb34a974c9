package dev.vicinity.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vicinity.server.VicinityServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio's "Configure failover behavior in multicluster" guide, end to end: helloworld-v1 in cluster1,
 * helloworld-v2 in cluster2, and the guide's DestinationRule, unchanged, with
 * {@code failoverPriority: [topology.istio.io/cluster]}. Each client stays in its own cluster; when v1
 * goes away, cluster1's client fails over to cluster2.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelloworldFailoverE2eTest {
  private static final String TARGET = "helloworld.sample.svc.cluster.local:5000";
  private static final Duration WITHIN = Duration.ofSeconds(30);

  @TempDir static Path temp;

  static Backend v1;
  static Backend v2;
  static VicinityServer server;
  static XdsClient cluster1Client;
  static XdsClient cluster2Client;

  @BeforeAll
  static void start() throws IOException {
    int port = Examples.freePort("127.0.0.21");
    v1 = new Backend("v1", new InetSocketAddress("127.0.0.21", port)).start();
    v2 = new Backend("v2", new InetSocketAddress("127.0.0.22", port)).start();
    server = Examples.serve(Examples.copyWithBackendPort("helloworld", temp.resolve("helloworld"), port));
    cluster1Client = XdsClient.connect(TARGET, server.xdsPort(), "curl-cluster1", "cluster1", "us-east-1", "us-east-1a");
    cluster2Client = XdsClient.connect(TARGET, server.xdsPort(), "curl-cluster2", "cluster2", "us-west-2", "us-west-2a");
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable closeable : new AutoCloseable[] {cluster1Client, cluster2Client, server, v1, v2}) {
      if (closeable != null) {
        closeable.close();
      }
    }
  }

  @Test
  @Order(1)
  void cluster1ClientIsServedByHelloworldV1Only() {
    await().atMost(WITHIN).until(() -> cluster1Client.call().isPresent());

    assertThat(cluster1Client.calls(30)).containsOnly("v1");
  }

  @Test
  @Order(2)
  void cluster2ClientIsServedByHelloworldV2Only() {
    await().atMost(WITHIN).until(() -> cluster2Client.call().isPresent());

    assertThat(cluster2Client.calls(30)).containsOnly("v2");
  }

  @Test
  @Order(3)
  void whenV1GoesAwayCluster1ClientFailsOverToCluster2() {
    v1.stop();

    await().atMost(WITHIN).untilAsserted(() -> assertThat(cluster1Client.calls(10)).containsOnly("v2"));
  }

  @Test
  @Order(4)
  void whenV1ComesBackCluster1ClientReturnsToIt() {
    v1.start();

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(cluster1Client.calls(10)).containsOnly("v1"));
  }
}
