package dev.vicinity.benchmarks;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Simulated proxies against one server on loopback, spread round-robin over K localities: client i is
 * in locality i mod K. Localities alternate between the example's two clusters and regions (even:
 * mgmt-cluster, us-east-1; odd: remote-cluster, us-east-2) and differ by zone, so that K localities are
 * K node groups. Each connection (a gRPC channel on the shared Netty event loops, callbacks run on the
 * event loop) carries {@code streamsPerConnection} clients' streams: 1 is what real proxies do.
 */
final class AdsFleet implements AutoCloseable {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final InetSocketAddress server;
  private final IntFunction<Node> nodes;
  private final int streamsPerConnection;
  private final List<SimulatedClient> clients = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private volatile Arrivals awaited;
  private int opened;

  AdsFleet(InetSocketAddress server, int localities, int streamsPerConnection) {
    this(server, i -> bookinfoNode(i, localities), streamsPerConnection);
  }

  /** A fleet whose client {@code i} says it is {@code nodes.apply(i)}. */
  AdsFleet(InetSocketAddress server, IntFunction<Node> nodes, int streamsPerConnection) {
    this.server = server;
    this.nodes = nodes;
    this.streamsPerConnection = streamsPerConnection;
  }

  int size() {
    return clients.size();
  }

  SimulatedClient client(int index) {
    return clients.get(index);
  }

  /** Adds {@code count} clients, not connected yet, and their idle channels; client 0 records what it receives. */
  void add(int count) {
    int first = clients.size();
    for (int i = first; i < first + count; i++) {
      clients.add(new SimulatedClient(i, nodes.apply(i), i == 0, this::acked));
    }
    prepareConnections();
  }

  /** Every client, from now on, follows the content of load assignment {@code name}. */
  void watch(String name) {
    clients.forEach(c -> c.watch(name));
  }

  /** The serialized size of every response the fleet's clients received so far. */
  long bytesReceived() {
    return clients.stream().mapToLong(SimulatedClient::bytesReceived).sum();
  }

  /** Opens the streams of the clients added since the last call, at once. */
  void openNew() {
    for (; opened < clients.size(); opened++) {
      clients.get(opened).open(channels.get(opened / streamsPerConnection));
    }
  }

  /**
   * Starts timing arrivals in the state {@code arrived}: call before the action whose effect is
   * awaited. Clients already there count as arriving now.
   */
  Arrivals expect(Predicate<SimulatedClient> arrived) {
    Arrivals arrivals = new Arrivals(clients.size(), arrived);
    awaited = arrivals;
    clients.forEach(arrivals::check); // after publishing it: every later ACK checks it too
    return arrivals;
  }

  /** Every client's stream and connection closed at once. */
  void closeAll() throws InterruptedException {
    clients.forEach(SimulatedClient::close);
    channels.forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel channel : channels) {
      if (!channel.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("a channel did not close within " + CLOSE_TIMEOUT);
      }
    }
    channels.clear();
  }

  /**
   * Builds the channels every client needs, idle: a channel connects on its first stream. Building one
   * costs the harness a few milliseconds, so it is done before any clock starts, and what is timed is
   * what a reconnecting proxy does: connect and open its stream.
   */
  void prepareConnections() {
    while (channels.size() * streamsPerConnection < clients.size()) {
      channels.add(NettyChannelBuilder.forAddress(server)
          .usePlaintext()
          .directExecutor() // ACK from the event loop: no thread hop per response
          .disableRetry()
          .maxInboundMessageSize(256 << 20)
          .build());
    }
  }

  /** Reopens every client's stream at once, on the connections of {@link #prepareConnections}. */
  void openAll() {
    for (SimulatedClient client : clients) {
      client.open(channels.get(client.index() / streamsPerConnection));
    }
  }

  /** Clients whose current stream failed, for the report of a failed wait. */
  long failed() {
    return clients.stream().filter(c -> c.error() != null).count();
  }

  @Override
  public void close() throws InterruptedException {
    closeAll();
  }

  private void acked(SimulatedClient client) {
    Arrivals arrivals = awaited;
    if (arrivals != null) {
      arrivals.check(client);
    }
  }


  /** Client {@code i}'s node: Envoy, in locality i mod K, saying its cluster the way Istio's proxies do. */
  private static Node bookinfoNode(int i, int localities) {
    int locality = i % localities;
    boolean mgmt = locality % 2 == 0;
    String region = mgmt ? "us-east-1" : "us-east-2";
    String zone = region + zoneSuffix(locality / 2);
    return Node.newBuilder()
        .setId("load-%05d".formatted(i))
        .setCluster("load-harness")
        .setUserAgentName("envoy")
        .setLocality(Locality.newBuilder().setRegion(region).setZone(zone))
        .setMetadata(Struct.newBuilder().putFields("CLUSTER_ID",
            Value.newBuilder().setStringValue(mgmt ? "mgmt-cluster" : "remote-cluster").build()))
        .build();
  }

  /** a, b, ..., z, aa, ab, ...: distinct for any number of zones. */
  static String zoneSuffix(int n) {
    String letter = String.valueOf((char) ('a' + n % 26));
    return n < 26 ? letter : zoneSuffix(n / 26 - 1) + letter;
  }
}
