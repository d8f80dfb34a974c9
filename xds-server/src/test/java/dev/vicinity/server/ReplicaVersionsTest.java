package dev.vicinity.server;

import dev.vicinity.inventory.files.ConfigDirectories;
import dev.vicinity.server.xds.Versions;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two server instances on the same configuration, as a restarted server or a second replica: a proxy
 * moving from one to the other is sent nothing it already has, in state-of-the-world and in delta.
 */
class ReplicaVersionsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofSeconds(1);
  private static final Node EAST = AdsTestClient.grpcNode("productpage-1", "mgmt-cluster", "us-east-1", "us-east-1a");

  private final List<AutoCloseable> open = new ArrayList<>();
  private VicinityServer first;
  private VicinityServer second;

  @BeforeEach
  void startTwo() throws IOException {
    first = start();
    second = start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : com.google.common.collect.Lists.reverse(open)) {
      closeable.close();
    }
  }

  private VicinityServer start() throws IOException {
    VicinityServer server = VicinityServer.start(TestServerOptions.onFreePorts(ConfigDirectories.bookinfoExample()));
    open.add(server);
    return server;
  }

  @Test
  void aStateOfTheWorldProxyReconnectingToAnotherReplicaIsSentNothingItHas() throws Exception {
    AdsTestClient before = new AdsTestClient(first.xdsPort());
    open.add(before);
    before.request(EAST, AdsTestClient.CLUSTER, List.of(), "", "");
    DiscoveryResponse clusters = before.next(WAIT);

    AdsTestClient after = new AdsTestClient(second.xdsPort());
    open.add(after);
    after.request(EAST, AdsTestClient.CLUSTER, List.of(), clusters.getVersionInfo(), "");
    assertThat(after.nothingWithin(QUIET)).isTrue();

    // The same request without a version is answered at once, with the version the first replica sent.
    AdsTestClient fresh = new AdsTestClient(second.xdsPort());
    open.add(fresh);
    fresh.request(EAST, AdsTestClient.CLUSTER, List.of(), "", "");
    assertThat(fresh.next(WAIT).getVersionInfo()).isEqualTo(clusters.getVersionInfo());
  }

  @Test
  void aDeltaProxyReconnectingWithItsVersionsGetsOnlyWhatDiffers() throws Exception {
    DeltaAdsTestClient before = delta(first, Map.of());
    DeltaDiscoveryResponse all = before.next(WAIT);
    Map<String, String> held = new HashMap<>();
    for (Resource resource : all.getResourcesList()) {
      // A hash of the content, not of the JVM's hashCode(): any process gives the same resource the same version.
      Cluster cluster = resource.getResource().unpack(Cluster.class);
      assertThat(resource.getVersion()).isEqualTo(Versions.of(List.of(cluster)));
      held.put(resource.getName(), resource.getVersion());
    }
    assertThat(held).containsKey("outbound|9080||reviews.global");

    DeltaAdsTestClient same = delta(second, held);
    assertThat(same.nothingWithin(QUIET)).isTrue();

    Map<String, String> partlyStale = new HashMap<>(held);
    partlyStale.put("outbound|9080||reviews.global", "0000000000000000");
    partlyStale.put("outbound|80||gone.example", "0000000000000000");
    DeltaAdsTestClient stale = delta(second, partlyStale);
    DeltaDiscoveryResponse update = stale.next(WAIT);
    assertThat(update.getResourcesList()).extracting(Resource::getName).containsExactly("outbound|9080||reviews.global");
    assertThat(update.getResources(0).getVersion()).isEqualTo(held.get("outbound|9080||reviews.global"));
    assertThat(update.getRemovedResourcesList()).containsExactly("outbound|80||gone.example");
  }

  private DeltaAdsTestClient delta(VicinityServer server, Map<String, String> initialVersions) {
    DeltaAdsTestClient client = DeltaAdsTestClient.aggregated(server.xdsPort());
    open.add(client);
    client.subscribe(EAST, AdsTestClient.CLUSTER, List.of(), initialVersions);
    return client;
  }
}
