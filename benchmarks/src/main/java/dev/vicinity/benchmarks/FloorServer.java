package dev.vicinity.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import dev.vicinity.server.xds.WriteBudget;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The floor for the fan-out: a bare gRPC server (same gRPC-Java and Netty as Vicinity, same ADS method)
 * that holds pre-serialized DiscoveryResponse bytes, Vicinity's own CDS and EDS responses as a client
 * received them, and does nothing else. A stream's first request for a type is answered with that
 * type's bytes (EDS: the first response, every load assignment); an ACK frees that type to send again.
 * {@code POST /push} on the control port offers the next recorded change (as Vicinity sends them: only
 * the load assignment that changed) to every open stream, then answers; the harness times from
 * the moment it sends that request to the last client's ACK, as it times Vicinity from the API call.
 *
 * <p>It keeps to the rules the real server keeps, so that it is a fair floor with bounded memory: a
 * stream writes only while gRPC says it is ready (flow control), has at most one unacknowledged response
 * per type, and holds back only the newest response per type (a newer push replaces an older unsent one).
 * Across streams, what is written and not yet sent stays within a {@link WriteBudget}.
 *
 * <p>Usage: {@code FloorServer <xds port> <control port> <cds file> <initial eds file> <eds change file>...}.
 */
public final class FloorServer {
  private static final String CLUSTER_TYPE = SimulatedClient.CLUSTER_TYPE;
  private static final String ENDPOINT_TYPE = SimulatedClient.ENDPOINT_TYPE;

  static final MethodDescriptor<DiscoveryRequest, byte[]> ADS = MethodDescriptor.<DiscoveryRequest, byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
      .setFullMethodName(MethodDescriptor.generateFullMethodName(
          "envoy.service.discovery.v3.AggregatedDiscoveryService", "StreamAggregatedResources"))
      .setRequestMarshaller(ProtoUtils.marshaller(DiscoveryRequest.getDefaultInstance()))
      .setResponseMarshaller(new Bytes())
      .build();

  /**
   * Written and not yet taken by the socket, all streams together: a quarter of the smallest direct
   * memory the harnesses give the floor (-Xmx1g), room for 16 of the largest (16 MiB) EDS responses.
   */
  private static final long WRITE_BUDGET_BYTES = 256L << 20;

  private final byte[] clusters;
  /** Every load assignment: the answer to a first EDS request. */
  private final byte[] initialEndpoints;
  /** The changes a push sends in turn: each carries only the load assignment that changed, as Vicinity's do. */
  private final List<byte[]> endpointChanges;
  private final WriteBudget budget = new WriteBudget(WRITE_BUDGET_BYTES);
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private volatile int current;

  private FloorServer(byte[] clusters, byte[] initialEndpoints, List<byte[]> endpointChanges) {
    this.clusters = clusters;
    this.initialEndpoints = initialEndpoints;
    this.endpointChanges = endpointChanges;
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    int xdsPort = Integer.parseInt(args[0]);
    int controlPort = Integer.parseInt(args[1]);
    byte[] clusters = Files.readAllBytes(Path.of(args[2]));
    byte[] initialEndpoints = Files.readAllBytes(Path.of(args[3]));
    List<byte[]> changes = new ArrayList<>();
    for (int i = 4; i < args.length; i++) {
      changes.add(Files.readAllBytes(Path.of(args[i])));
    }
    FloorServer floor = new FloorServer(clusters, initialEndpoints, List.copyOf(changes));
    Server grpc = NettyServerBuilder.forAddress(new InetSocketAddress(xdsPort))
        .addService(ServerServiceDefinition.builder(ADS.getServiceName())
            .addMethod(ADS, ServerCalls.asyncBidiStreamingCall(floor::open))
            .build())
        .build().start();
    HttpServer control = HttpServer.create(new InetSocketAddress("127.0.0.1", controlPort), 0);
    control.setExecutor(Executors.newSingleThreadExecutor());
    control.createContext("/readyz", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    control.createContext("/push", exchange -> {
      floor.push();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    control.start();
    grpc.awaitTermination();
  }

  private StreamObserver<DiscoveryRequest> open(StreamObserver<byte[]> responses) {
    Stream stream = new Stream((ServerCallStreamObserver<byte[]>) responses);
    streams.add(stream);
    return stream;
  }

  /** The next EDS change, offered to every open stream. */
  private void push() {
    current = (current + 1) % endpointChanges.size();
    byte[] bytes = endpointChanges.get(current);
    for (Stream stream : streams) {
      stream.push(bytes);
    }
  }

  /**
   * One client's stream. Its requests, the pushes and gRPC's "ready" run one at a time, in order, in the
   * stream's own {@link SynchronizationContext} (on whichever thread brings the event), so its state needs
   * no locks and a slow stream holds up no other.
   */
  private final class Stream implements StreamObserver<DiscoveryRequest> {
    private final ServerCallStreamObserver<byte[]> responses;
    private final SynchronizationContext events;
    private final Outbox clusterOutbox = new Outbox();
    private final Outbox endpointOutbox = new Outbox();
    /** Written in this order: a Cluster before its load assignment. */
    private final List<Outbox> outboxes = List.of(clusterOutbox, endpointOutbox);
    private final Runnable retry;
    /** Of the budget: written by this stream and not yet sent (gRPC not ready since the write). */
    private long heldBytes;
    private boolean ended;

    Stream(ServerCallStreamObserver<byte[]> responses) {
      this.responses = responses;
      this.events = new SynchronizationContext((thread, failure) -> fail(failure));
      this.retry = () -> events.execute(this::write);
      responses.setOnReadyHandler(() -> events.execute(() -> {
        budget.giveBack(heldBytes); // ready again: what was written has gone to the socket
        heldBytes = 0;
        write();
      }));
      responses.setOnCancelHandler(() -> events.execute(this::end));
    }

    void push(byte[] endpoints) {
      events.execute(() -> {
        endpointOutbox.offer(endpoints);
        write();
      });
    }

    @Override
    public void onNext(DiscoveryRequest request) {
      events.execute(() -> {
        switch (request.getTypeUrl()) {
          case CLUSTER_TYPE -> received(request, clusterOutbox, clusters);
          case ENDPOINT_TYPE -> received(request, endpointOutbox, initialEndpoints);
          default -> { } // nothing else is served
        }
        write();
      });
    }

    /**
     * A request without a nonce subscribes and is answered; one with a nonce answers the type's one
     * unacknowledged response (there is never more than one, so no older nonce can come), ACK or NACK.
     */
    private void received(DiscoveryRequest request, Outbox outbox, byte[] currentBytes) {
      if (request.getResponseNonce().isEmpty()) {
        outbox.subscribe(currentBytes);
      } else {
        outbox.acknowledged();
      }
    }

    /** Writes what may be written now, while gRPC can take more and the budget has room. */
    private void write() {
      for (Outbox outbox : outboxes) {
        if (ended || responses.isCancelled() || !responses.isReady()) {
          return; // the ready handler comes back when the transport drained
        }
        byte[] next = outbox.next();
        if (next == null) {
          continue;
        }
        if (!budget.take(next.length, retry)) {
          return; // the budget calls retry when another stream gives bytes back
        }
        outbox.written();
        heldBytes += next.length; // before the write: a write that throws still gives its bytes back
        responses.onNext(next);
        if (responses.isReady()) {
          budget.giveBack(heldBytes); // under gRPC's ready threshold (32 KiB): as good as sent
          heldBytes = 0;
        }
      }
    }

    /** Cancelled, completed or failed: the stream's share of the budget goes back. */
    private void end() {
      ended = true;
      streams.remove(this);
      budget.forget(retry);
      budget.giveBack(heldBytes);
      heldBytes = 0;
    }

    /** A write that threw (e.g. out of direct memory): the stream ends with the reason in the floor's log. */
    private void fail(Throwable failure) {
      end();
      System.err.println("floor: stream closed after a failed write: " + failure);
      try {
        responses.onError(Status.INTERNAL.withDescription("floor: " + failure).asRuntimeException());
      } catch (RuntimeException alreadyClosed) {
        // the call ended meanwhile: nothing left to tell the client
      }
    }

    @Override
    public void onError(Throwable t) {
      events.execute(this::end);
    }

    @Override
    public void onCompleted() {
      events.execute(() -> {
        end();
        responses.onCompleted();
      });
    }
  }

  /**
   * One type's responses on one stream, confined to the stream's context: the one written and not yet
   * acknowledged, and the newest waiting to be written. Holds references to the shared bytes, never copies.
   */
  private static final class Outbox {
    private boolean subscribed;
    private boolean unacknowledged;
    private byte[] lastWritten;
    private byte[] waiting;

    /** The client asks for the type: answered with {@code bytes} even if it was sent before. */
    void subscribe(byte[] bytes) {
      subscribed = true;
      waiting = bytes;
    }

    /** A newer version: replaces any unsent one; nothing to send if it is what was last written. */
    void offer(byte[] bytes) {
      if (subscribed) {
        waiting = bytes == lastWritten ? null : bytes;
      }
    }

    void acknowledged() {
      unacknowledged = false;
    }

    /** The response to write next, or null while one is unacknowledged or none is waiting. */
    byte[] next() {
      return unacknowledged ? null : waiting;
    }

    /** The response {@link #next} gave is written. */
    void written() {
      lastWritten = waiting;
      waiting = null;
      unacknowledged = true;
    }
  }

  /** Responses are bytes already: no serialization per stream beyond gRPC's copy into its buffers. */
  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
