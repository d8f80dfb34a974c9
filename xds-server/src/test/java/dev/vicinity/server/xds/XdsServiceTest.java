package dev.vicinity.server.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vicinity.translator.ClientProfile;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The xDS service on a real gRPC server, fed snapshots directly: flow control, fan-out, Envoy's warming. */
class XdsServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(300);
  private static final String EDS = XdsType.ENDPOINT.typeUrl();
  private static final String CDS = XdsType.CLUSTER.typeUrl();
  private static final Node GRPC = TestNodes.grpcNode("grpc", "c1", "r", "z");
  private static final Node ENVOY = Node.newBuilder().setId("envoy").setUserAgentName("envoy")
      .setLocality(GRPC.getLocality()).setMetadata(GRPC.getMetadata()).build();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SnapshotStore store = new SnapshotStore();
  private final SharedResources shared = new SharedResources();
  private final Proxies proxies = new Proxies(registry, 10);
  private final List<ManagedChannel> channels = new ArrayList<>();
  private XdsService service;
  private Server server;

  @BeforeEach
  void start() throws IOException {
    start(XdsService.defaultWriteBudgetBytes());
  }

  private void start(long writeBudgetBytes) throws IOException {
    if (server != null) {
      server.shutdownNow();
      service.close();
    }
    service = new XdsService(store, proxies, Clock.systemUTC(), group -> {}, () -> {}, writeBudgetBytes, registry);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
    service.services().forEach(builder::addService);
    server = builder.build().start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channels.forEach(ManagedChannel::shutdownNow);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    service.close();
  }

  /** One cluster "big" whose load assignment has {@code endpoints} endpoints on port {@code port}. */
  private XdsSnapshot snapshot(int endpoints, int port, String lbPolicyName) {
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
    for (int i = 0; i < endpoints; i++) {
      locality.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder()
          .setSocketAddress(SocketAddress.newBuilder().setAddress("10.0." + (i / 250) + "." + (i % 250)).setPortValue(port)))));
    }
    Cluster cluster = Cluster.newBuilder().setName("big").setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setServiceName("big"))
        .setAltStatName(lbPolicyName).build();
    return XdsSnapshot.of(Map.of(
        XdsType.CLUSTER, List.of(cluster),
        XdsType.ENDPOINT, List.of(ClusterLoadAssignment.newBuilder().setClusterName("big").addEndpoints(locality).build())),
        shared);
  }

  /** A raw ADS client; {@code reading} false makes it take no message until {@link #resume}. */
  private final class Client {
    private final BlockingQueue<DiscoveryResponse> received = new LinkedBlockingQueue<>();
    private final StreamObserver<DiscoveryRequest> requests;
    private ClientCallStreamObserver<DiscoveryRequest> call;

    Client(boolean reading) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
          // A small window, so that an unread response soon stops the server's transport.
          .flowControlWindow(64 * 1024).build();
      channels.add(channel);
      requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(
          new ClientResponseObserver<DiscoveryRequest, DiscoveryResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<DiscoveryRequest> stream) {
              call = stream;
              if (!reading) {
                stream.disableAutoRequestWithInitial(0);
              }
            }

            @Override
            public void onNext(DiscoveryResponse response) {
              received.add(response);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
          });
    }

    void request(Node node, String typeUrl, List<String> names, DiscoveryResponse answered) {
      DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder().setTypeUrl(typeUrl).addAllResourceNames(names);
      if (node != null) {
        request.setNode(node);
      }
      if (answered != null) {
        request.setVersionInfo(answered.getVersionInfo()).setResponseNonce(answered.getNonce());
      }
      requests.onNext(request.build());
    }

    DiscoveryResponse next() throws InterruptedException {
      DiscoveryResponse response = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(response).as("a response within " + WAIT).isNotNull();
      return response;
    }

    boolean nothingWithin(Duration period) throws InterruptedException {
      return received.poll(period.toMillis(), TimeUnit.MILLISECONDS) == null;
    }

    void resume() {
      call.request(Integer.MAX_VALUE);
    }
  }

  private static ClusterLoadAssignment assignment(DiscoveryResponse response) throws Exception {
    return response.getResources(0).unpack(ClusterLoadAssignment.class);
  }

  private double pushes(String type) {
    return registry.get("vicinity.xds.pushes").tag("type", type).counter().count();
  }

  @Test
  void aStalledClientHoldsOneResponseGetsTheNewestWhenItReadsAgainAndDelaysNobody() throws Exception {
    ClientProfile group = ClientProfiles.of(GRPC);
    store.set(group, snapshot(2_000, 1, "")); // ~60 KB per load assignment
    Client stalled = new Client(false);
    Client healthy = new Client(true);
    stalled.request(GRPC, EDS, List.of("big"), null);
    healthy.request(GRPC, EDS, List.of("big"), null);
    DiscoveryResponse first = healthy.next();
    healthy.request(null, EDS, List.of("big"), first);
    await().atMost(WAIT).until(() -> pushes("eds") == 2.0);

    // Fifty changes: the healthy client gets and ACKs each; the stalled one is sent nothing more.
    int changes = 50;
    for (int port = 2; port < 2 + changes; port++) {
      store.set(group, snapshot(2_000, port, ""));
      DiscoveryResponse change = healthy.next();
      assertThat(assignment(change).getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress()
          .getPortValue()).isEqualTo(port);
      healthy.request(null, EDS, List.of("big"), change);
    }
    // The counter moves just after a send, so the last one may still be on its way when the client has it.
    await().atMost(WAIT).until(() -> pushes("eds") >= 2.0 + changes);
    assertThat(pushes("eds")).as("one response to the stalled client, however many changes").isEqualTo(2.0 + changes);

    // Reading again, it ACKs what it got and is sent the newest state, nothing in between.
    stalled.resume();
    DiscoveryResponse held = stalled.next();
    assertThat(assignment(held).getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress()
        .getPortValue()).isEqualTo(1);
    stalled.request(null, EDS, List.of("big"), held);
    DiscoveryResponse newest = stalled.next();
    assertThat(assignment(newest).getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress()
        .getPortValue()).isEqualTo(1 + changes);
    stalled.request(null, EDS, List.of("big"), newest);
    assertThat(stalled.nothingWithin(QUIET)).isTrue();
  }

  @Test
  void aClientThatReadsNothingIsNotWrittenPastItsTransportWindow() throws Exception {
    ClientProfile group = ClientProfiles.of(GRPC);
    store.set(group, snapshot(8_000, 1, "")); // ~250 KB: more than the client's window
    Client stalled = new Client(false);
    stalled.request(GRPC, EDS, List.of("big"), null);
    await().atMost(WAIT).until(() -> pushes("eds") == 1.0);

    // A type asked for later waits until the transport can take it, instead of queueing behind the first.
    stalled.request(null, CDS, List.of(), null);
    assertThat(stalled.nothingWithin(QUIET)).isTrue();
    assertThat(pushes("cds")).isZero();

    stalled.resume();
    List<String> types = List.of(stalled.next().getTypeUrl(), stalled.next().getTypeUrl());
    assertThat(types).containsExactly(EDS, CDS);
  }

  @Test
  void streamsTogetherWriteNoMoreThanTheBudgetAndTheNextGoesWhenTheFirstHasBeenTaken() throws Exception {
    start(100 * 1024);
    ClientProfile group = ClientProfiles.of(GRPC);
    store.set(group, snapshot(8_000, 1, "")); // ~250 KB: more than the budget, so one at a time
    Client first = new Client(false);
    first.request(GRPC, EDS, List.of("big"), null);
    await().atMost(WAIT).until(() -> pushes("eds") == 1.0);
    Client second = new Client(false);
    second.request(GRPC, EDS, List.of("big"), null);
    second.resume();
    assertThat(second.nothingWithin(QUIET)).as("waits while the first response is not taken").isTrue();
    assertThat(pushes("eds")).isEqualTo(1.0);

    first.resume();

    assertThat(first.next().getTypeUrl()).isEqualTo(EDS);
    assertThat(second.next().getTypeUrl()).isEqualTo(EDS);
  }

  @Test
  void envoyIsSentTheLoadAssignmentOfAChangedClusterAgainWhenItAsksAfterTheCluster() throws Exception {
    ClientProfile group = ClientProfiles.of(ENVOY);
    store.set(group, snapshot(3, 1, "one"));
    Client envoy = new Client(true);
    envoy.request(ENVOY, CDS, List.of(), null);
    DiscoveryResponse clusters = envoy.next();
    envoy.request(null, CDS, List.of(), clusters);
    envoy.request(null, EDS, List.of("big"), null);
    DiscoveryResponse endpoints = envoy.next();
    envoy.request(null, EDS, List.of("big"), endpoints);
    assertThat(envoy.nothingWithin(QUIET)).isTrue();

    // The cluster changes, its load assignment does not.
    store.set(group, snapshot(3, 1, "two"));
    DiscoveryResponse changed = envoy.next();
    assertThat(changed.getTypeUrl()).isEqualTo(CDS);
    assertThat(envoy.nothingWithin(QUIET)).as("the load assignment is unchanged").isTrue();

    // Envoy warms the new cluster: it ACKs the clusters and asks for the same load assignment again.
    envoy.request(null, CDS, List.of(), changed);
    envoy.request(null, EDS, List.of("big"), endpoints);
    DiscoveryResponse again = envoy.next();
    assertThat(again.getTypeUrl()).isEqualTo(EDS);
    assertThat(again.getResourcesList()).isEqualTo(endpoints.getResourcesList());
    envoy.request(null, EDS, List.of("big"), again);
    assertThat(envoy.nothingWithin(QUIET)).as("once").isTrue();
  }

  @Test
  void aGrpcClientIsNotSentAnUnchangedLoadAssignmentWhenItsClusterChanges() throws Exception {
    ClientProfile group = ClientProfiles.of(GRPC);
    store.set(group, snapshot(3, 1, "one"));
    Client grpc = new Client(true);
    grpc.request(GRPC, CDS, List.of(), null);
    DiscoveryResponse clusters = grpc.next();
    grpc.request(null, CDS, List.of(), clusters);
    grpc.request(null, EDS, List.of("big"), null);
    DiscoveryResponse endpoints = grpc.next();
    grpc.request(null, EDS, List.of("big"), endpoints);

    store.set(group, snapshot(3, 1, "two"));
    DiscoveryResponse changed = grpc.next();
    grpc.request(null, CDS, List.of(), changed);

    assertThat(grpc.nothingWithin(QUIET)).isTrue();
  }
}
