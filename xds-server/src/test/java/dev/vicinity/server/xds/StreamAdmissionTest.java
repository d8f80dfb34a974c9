package dev.vicinity.server.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamAdmission} in front of a stand-in ADS service that answers only when the test says so, on
 * a real gRPC server on loopback. How many streams are starting is measured by a probe between the
 * admission and the service: streams whose first request the service has received and not yet answered.
 */
class StreamAdmissionTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration LONG_START_TIMEOUT = Duration.ofMinutes(5);

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final BlockingQueue<Delivered> delivered = new LinkedBlockingQueue<>();
  private final StartingProbe probe = new StartingProbe();
  private StreamAdmission admission;
  private Server server;
  private ManagedChannel channel;

  /** A first request as the service received it, and where to answer it. */
  private record Delivered(String nodeId, StreamObserver<DiscoveryResponse> responses) {
    void answer() {
      responses.onNext(DiscoveryResponse.newBuilder().setVersionInfo("1").setNonce(nodeId).build());
    }
  }

  /** A client's stream: its request side, and its first response. */
  private record Client(String nodeId, ClientCallStreamObserver<DiscoveryRequest> requests,
      CompletableFuture<DiscoveryResponse> firstResponse) {}

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

  private void start(int maxStarting, Duration startTimeout) throws IOException {
    admission = new StreamAdmission(maxStarting, startTimeout, registry);
    AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase service =
        new AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase() {
          @Override
          public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> responses) {
            return new StreamObserver<>() {
              private boolean first = true;

              @Override
              public void onNext(DiscoveryRequest request) {
                if (first) {
                  first = false;
                  delivered.add(new Delivered(request.getNode().getId(), responses));
                }
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                responses.onCompleted();
              }
            };
          }
        };
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(service, probe, admission))
        .build()
        .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  /** Opens a stream and sends its first request at once, as Envoy and gRPC clients do. */
  private Client connect(String nodeId) {
    CompletableFuture<DiscoveryResponse> firstResponse = new CompletableFuture<>();
    ClientCallStreamObserver<DiscoveryRequest> requests = (ClientCallStreamObserver<DiscoveryRequest>)
        AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryResponse response) {
            firstResponse.complete(response);
          }

          @Override
          public void onError(Throwable t) {
            firstResponse.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    requests.onNext(DiscoveryRequest.newBuilder()
        .setNode(Node.newBuilder().setId(nodeId))
        .setTypeUrl(XdsType.LISTENER.typeUrl())
        .build());
    return new Client(nodeId, requests, firstResponse);
  }

  private Delivered nextDelivered() throws InterruptedException {
    Delivered next = delivered.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(next).as("a first request delivered to the service within %s", WAIT).isNotNull();
    return next;
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  private double counter(String name) {
    return registry.get(name).counter().count();
  }

  @Test
  void aReconnectStormIsServedWhollyWithNeverMoreThanTheBoundStartingAtOnce() throws Exception {
    start(2, LONG_START_TIMEOUT);
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      clients.add(connect("proxy-" + i));
    }

    await().atMost(WAIT).until(() -> probe.starting() == 2 && admission.waiting() == 18);
    assertThat(gauge("vicinity.xds.stream.starts.waiting")).isEqualTo(18.0);
    assertThat(gauge("vicinity.xds.stream.starts.in.progress")).isEqualTo(2.0);

    for (int answered = 0; answered < clients.size(); answered++) {
      nextDelivered().answer();
    }

    for (Client client : clients) {
      assertThat(client.firstResponse().get(WAIT.toMillis(), TimeUnit.MILLISECONDS).getNonce()).isEqualTo(client.nodeId());
    }
    assertThat(probe.peak()).isEqualTo(2);
    assertThat(counter("vicinity.xds.stream.starts.admitted")).isEqualTo(20.0);
    assertThat(gauge("vicinity.xds.stream.starts.waiting")).isZero();
    assertThat(gauge("vicinity.xds.stream.starts.in.progress")).isZero();
    assertThat(counter("vicinity.xds.stream.starts.timed.out")).isZero();
  }

  @Test
  void waitingStreamsStartInTheOrderTheyArrived() throws Exception {
    start(1, LONG_START_TIMEOUT);
    List<String> arrivals = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String nodeId = "proxy-" + i;
      connect(nodeId);
      arrivals.add(nodeId);
      int arrived = i + 1; // one starting, the others waiting: none is answered yet
      await().atMost(WAIT).until(() -> admission.inProgress() + admission.waiting() == arrived);
    }

    List<String> served = new ArrayList<>();
    for (int i = 0; i < arrivals.size(); i++) {
      Delivered next = nextDelivered();
      served.add(next.nodeId());
      next.answer();
    }

    assertThat(served).isEqualTo(arrivals);
  }

  @Test
  void aStreamCancelledWhileWaitingGivesBackNoPlaceItDidNotHold() throws Exception {
    start(1, LONG_START_TIMEOUT);
    connect("first");
    Delivered first = nextDelivered();
    Client cancelled = connect("cancelled");
    await().atMost(WAIT).until(() -> admission.waiting() == 1);

    cancelled.requests().cancel("gone while waiting", null);
    await().atMost(WAIT).until(() -> admission.waiting() == 0);
    Client later = connect("later");

    // Had the cancelled stream given back a place, "later" would start at once beside "first".
    await().atMost(WAIT).until(() -> admission.waiting() == 1);
    assertThat(admission.inProgress()).isEqualTo(1);
    assertThat(probe.starting()).isEqualTo(1);

    first.answer();
    Delivered next = nextDelivered();
    assertThat(next.nodeId()).isEqualTo("later");
    next.answer();
    assertThat(later.firstResponse().get(WAIT.toMillis(), TimeUnit.MILLISECONDS).getNonce()).isEqualTo("later");
    assertThat(delivered).isEmpty();
    assertThat(counter("vicinity.xds.stream.starts.admitted")).isEqualTo(2.0);
    assertThat(admission.inProgress()).isZero();
  }

  @Test
  void aStreamWithoutAnAnswerGivesItsPlaceUpAfterTheStartTimeoutAndStaysOpen() throws Exception {
    start(1, Duration.ofMillis(200));
    Client silent = connect("never-answered");
    Delivered unanswered = nextDelivered();
    Client next = connect("next");

    Delivered afterTimeout = nextDelivered();

    assertThat(afterTimeout.nodeId()).isEqualTo("next");
    assertThat(counter("vicinity.xds.stream.starts.timed.out")).isEqualTo(1.0);
    afterTimeout.answer();
    unanswered.answer();
    assertThat(next.firstResponse().get(WAIT.toMillis(), TimeUnit.MILLISECONDS).getNonce()).isEqualTo("next");
    assertThat(silent.firstResponse().get(WAIT.toMillis(), TimeUnit.MILLISECONDS).getNonce()).isEqualTo("never-answered");
  }

  @Test
  void aStreamEndedByTheServerBeforeAnsweringGivesItsPlaceBack() throws Exception {
    start(1, LONG_START_TIMEOUT);
    Client failed = connect("failed");
    Delivered first = nextDelivered();
    connect("next");
    await().atMost(WAIT).until(() -> admission.waiting() == 1);

    first.responses().onError(Status.INTERNAL.withDescription("no snapshot").asRuntimeException());

    assertThat(nextDelivered().nodeId()).isEqualTo("next");
    assertThat(failed.firstResponse()).failsWithin(WAIT);
  }

  /**
   * Counts streams whose first request has reached the service and which have not answered or ended
   * since: the streams actually starting, whatever the admission believes.
   */
  private static final class StartingProbe implements ServerInterceptor {
    private final AtomicInteger starting = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    int starting() {
      return starting.get();
    }

    int peak() {
      return peak.get();
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      AtomicBoolean received = new AtomicBoolean();
      AtomicBoolean finished = new AtomicBoolean();
      Runnable finish = () -> {
        if (received.get() && finished.compareAndSet(false, true)) {
          starting.decrementAndGet();
        }
      };
      ServerCall<ReqT, RespT> observed = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
        @Override
        public void sendMessage(RespT message) {
          finish.run();
          super.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
          finish.run();
          super.close(status, trailers);
        }
      };
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(observed, headers)) {
        @Override
        public void onMessage(ReqT message) {
          if (received.compareAndSet(false, true)) {
            peak.accumulateAndGet(starting.incrementAndGet(), Math::max);
          }
          super.onMessage(message);
        }

        @Override
        public void onCancel() {
          finish.run();
          super.onCancel();
        }
      };
    }
  }
}
