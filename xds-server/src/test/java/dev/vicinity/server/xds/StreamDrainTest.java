package dev.vicinity.server.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamDrain} (behind {@link StreamAdmission}, as in the server) in front of a stand-in ADS service
 * that keeps every stream open, on a real gRPC server on loopback.
 */
class StreamDrainTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final StreamDrain drain = new StreamDrain();
  private StreamAdmission admission;
  private Server server;
  private ManagedChannel channel;

  /** How a client's stream ended, and when (System.nanoTime). */
  private record End(Status status, long atNanos) {}

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (admission != null) {
      admission.close();
    }
  }

  private void start(int maxStarting, AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase service)
      throws IOException {
    admission = new StreamAdmission(maxStarting, Duration.ofMinutes(5), new SimpleMeterRegistry());
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(service, drain, admission))
        .build()
        .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  /** Answers every request at once and keeps the stream open. */
  private static AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase answering() {
    return new AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase() {
      @Override
      public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> responses) {
        return new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryRequest request) {
            responses.onNext(DiscoveryResponse.newBuilder().setNonce(request.getNode().getId()).build());
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        };
      }
    };
  }

  /** Never answers, as for a proxy whose snapshot is not ready. */
  private static AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase silent() {
    return new AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase() {
      @Override
      public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> responses) {
        return new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryRequest request) {}

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        };
      }
    };
  }

  /** Opens a stream and sends its first request; the future completes when the stream ends. */
  private CompletableFuture<End> connect(String nodeId) {
    CompletableFuture<End> end = new CompletableFuture<>();
    StreamObserver<DiscoveryRequest> requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryResponse response) {}

          @Override
          public void onError(Throwable t) {
            end.complete(new End(Status.fromThrowable(t), System.nanoTime()));
          }

          @Override
          public void onCompleted() {
            end.complete(new End(Status.OK, System.nanoTime()));
          }
        });
    requests.onNext(DiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId(nodeId)).build());
    return end;
  }

  private static End ended(CompletableFuture<End> end) throws Exception {
    return end.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void assertShuttingDown(End end) {
    assertThat(end.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(end.status().getDescription()).isEqualTo("server shutting down");
  }

  @Test
  void openStreamsAreEndedWithUnavailableOneByOneWithinTheDrainPeriod() throws Exception {
    start(64, answering());
    List<CompletableFuture<End>> clients = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      clients.add(connect("proxy-" + i));
    }
    await().atMost(WAIT).until(() -> drain.openStreams() == 3);

    long startNanos = System.nanoTime();
    drain.drain(Duration.ofSeconds(1));
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);

    List<End> ends = new ArrayList<>();
    for (CompletableFuture<End> client : clients) {
      ends.add(ended(client));
    }
    ends.forEach(StreamDrainTest::assertShuttingDown);
    assertThat(took).isLessThan(Duration.ofSeconds(4));
    // Ended at 0, 1/3 and 2/3 of the period: not all at once.
    long firstNanos = ends.stream().mapToLong(End::atNanos).min().orElseThrow();
    long lastNanos = ends.stream().mapToLong(End::atNanos).max().orElseThrow();
    assertThat(Duration.ofNanos(lastNanos - firstNanos)).isGreaterThan(Duration.ofMillis(300));
    assertThat(drain.openStreams()).isZero();
  }

  @Test
  void oneOpenStreamIsEndedAtOnce() throws Exception {
    start(64, answering());
    CompletableFuture<End> client = connect("proxy");
    await().atMost(WAIT).until(() -> drain.openStreams() == 1);

    long startNanos = System.nanoTime();
    drain.drain(Duration.ofMinutes(10));

    assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(Duration.ofSeconds(5));
    assertShuttingDown(ended(client));
  }

  @Test
  void onceDrainingNewStreamsAreRefusedWithUnavailable() throws Exception {
    start(64, answering());
    drain.drain(Duration.ofSeconds(1));

    assertShuttingDown(ended(connect("late")));
    assertThat(drain.openStreams()).isZero();
  }

  @Test
  void aStreamStillWaitingForAdmissionIsEndedTooAndNothingIsHeldAfterwards() throws Exception {
    start(1, silent());
    CompletableFuture<End> starting = connect("starting");
    await().atMost(WAIT).until(() -> admission.inProgress() == 1);
    CompletableFuture<End> waiting = connect("waiting");
    await().atMost(WAIT).until(() -> admission.waiting() == 1);

    drain.drain(Duration.ofMillis(200));

    assertShuttingDown(ended(starting));
    assertShuttingDown(ended(waiting));
    assertThat(admission.inProgress()).isZero();
    assertThat(admission.waiting()).isZero();
  }
}
