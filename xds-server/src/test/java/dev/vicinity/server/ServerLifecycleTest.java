package dev.vicinity.server;

import dev.vicinity.inventory.files.ConfigDirectories;
import dev.vicinity.server.cli.VicinityCommand;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real server's connection lifecycle: admission metrics, connection age and graceful shutdown. */
class ServerLifecycleTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String LISTENER = "reviews.global:9080";

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private VicinityServer start(ConnectionOptions connections) throws IOException {
    ServerOptions options = TestServerOptions.onFreePorts(ConfigDirectories.bookinfoExample());
    VicinityServer server = VicinityServer.start(options.withConnections(connections));
    resources.add(server);
    return server;
  }

  private static ConnectionOptions defaults() throws IOException {
    return TestServerOptions.onFreePorts(ConfigDirectories.bookinfoExample()).connections();
  }

  private static Node node(String id) {
    return AdsTestClient.grpcNode(id, "mgmt-cluster", "us-east-1", "us-east-1a");
  }

  /** A stream that has asked for the VirtualDestination's listener and got it. */
  private static DiscoveryResponse subscribe(AdsTestClient client, String nodeId) throws Exception {
    client.request(node(nodeId), AdsTestClient.LISTENER, List.of(LISTENER), "", "");
    DiscoveryResponse response = client.next(WAIT);
    assertThat(response.getResources(0).unpack(Listener.class).getName()).isEqualTo(LISTENER);
    return response;
  }

  private AdsTestClient client(int port) {
    AdsTestClient client = new AdsTestClient(port);
    resources.add(client);
    return client;
  }

  private static String metrics(VicinityServer server) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.debugPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void streamStartsAreCountedOnTheMetricsEndpoint() throws Exception {
    VicinityServer server = start(defaults());
    subscribe(client(server.xdsPort()), "productpage-1");

    assertThat(metrics(server)).contains(
        "vicinity_xds_stream_starts_admitted_total 1.0",
        "vicinity_xds_stream_starts_waiting 0.0",
        "vicinity_xds_stream_starts_in_progress 0.0",
        "vicinity_xds_stream_starts_timed_out_total 0.0");
  }

  @Test
  void clientsOfAClosingReplicaAreToldUnavailableWithinTheDrainPeriodAndTheOtherReplicaServesThem() throws Exception {
    Duration drainPeriod = Duration.ofSeconds(1);
    VicinityServer closing = start(defaults().withDrainPeriod(drainPeriod));
    VicinityServer other = start(defaults());
    List<AdsTestClient> clients = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      AdsTestClient client = client(closing.xdsPort());
      subscribe(client, "productpage-" + i);
      clients.add(client);
    }

    long startNanos = System.nanoTime();
    closing.close();
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);

    for (AdsTestClient client : clients) {
      Status end = client.ended(WAIT);
      assertThat(end.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(end.getDescription()).isEqualTo("server shutting down");
    }
    // The drain period, the second connections get to close, and room for a slow machine.
    assertThat(took).isLessThan(drainPeriod.plusSeconds(1).plusSeconds(3));
    AdsTestClient reconnected = client(other.xdsPort());
    subscribe(reconnected, "productpage-0");
  }

  @Test
  void aConnectionOlderThanTheMaxConnectionAgeIsClosedAndItsClientIsServedAgain() throws Exception {
    VicinityServer server = start(defaults().withMaxConnectionAge(Duration.ofSeconds(1), Duration.ofMillis(500)));
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.xdsPort()).usePlaintext().build();
    resources.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    AdsTestClient first = AdsTestClient.on(channel);
    resources.add(first);
    subscribe(first, "productpage-1");

    Status end = first.ended(WAIT);

    assertThat(end.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    AdsTestClient again = AdsTestClient.on(channel);
    resources.add(again);
    subscribe(again, "productpage-1");
  }

  @Test
  void sigtermEndsTheStreamsOfVicinityServeWithUnavailableAndStopsIt() throws Exception {
    Process serve = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            VicinityCommand.class.getName(), "serve", "--config", ConfigDirectories.bookinfoExample().toString(),
            "--xds-port", "0", "--debug-port", "0")
        .redirectErrorStream(true)
        .start();
    resources.add(() -> serve.destroyForcibly().waitFor(5, TimeUnit.SECONDS));
    BlockingQueue<String> output = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))
        .lines().forEach(output::add), "serve-output");
    reader.setDaemon(true);
    reader.start();
    int port = xdsPort(output);
    AdsTestClient client = client(port);
    subscribe(client, "productpage-1");

    serve.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output

    Status end = client.ended(WAIT);
    assertThat(end.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(end.getDescription()).isEqualTo("server shutting down");
    assertThat(serve.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("vicinity serve stopped").isTrue();
    reader.join(WAIT.toMillis());
    assertThat(output).anySatisfy(line -> assertThat(line).contains("shutting down: ending 1 xDS stream(s)"));
  }

  /** The xDS port {@code vicinity serve} says it listens on. */
  private static int xdsPort(BlockingQueue<String> output) throws InterruptedException {
    Pattern listening = Pattern.compile("xDS \\(.*\\) listening on port (\\d+)");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      String line = output.poll(100, TimeUnit.MILLISECONDS);
      if (line != null) {
        seen.add(line);
        Matcher port = listening.matcher(line);
        if (port.find()) {
          return Integer.parseInt(port.group(1));
        }
      }
    }
    throw new AssertionError("vicinity serve did not say it was listening; it printed " + seen);
  }
}
