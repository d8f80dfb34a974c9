package dev.vicinity.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
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
 * type's bytes; ACKs are read and dropped. {@code POST /push} on the control port switches EDS to the
 * next recorded version and writes it to every open stream, then answers; the harness times from the
 * moment it sends that request to the last client's ACK, as it times Vicinity from the API call.
 *
 * <p>Usage: {@code FloorServer <xds port> <control port> <cds file> <eds file>...}.
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

  private final byte[] clusters;
  private final List<byte[]> endpointVersions;
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private volatile int current;

  private FloorServer(byte[] clusters, List<byte[]> endpointVersions) {
    this.clusters = clusters;
    this.endpointVersions = endpointVersions;
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    int xdsPort = Integer.parseInt(args[0]);
    int controlPort = Integer.parseInt(args[1]);
    byte[] clusters = Files.readAllBytes(Path.of(args[2]));
    List<byte[]> endpoints = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      endpoints.add(Files.readAllBytes(Path.of(args[i])));
    }
    FloorServer floor = new FloorServer(clusters, List.copyOf(endpoints));
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

  /** The next EDS version, to every open stream. */
  private void push() {
    current = (current + 1) % endpointVersions.size();
    byte[] bytes = endpointVersions.get(current);
    for (Stream stream : streams) {
      stream.send(bytes);
    }
  }

  private final class Stream implements StreamObserver<DiscoveryRequest> {
    private final ServerCallStreamObserver<byte[]> responses;

    Stream(ServerCallStreamObserver<byte[]> responses) {
      this.responses = responses;
    }

    /** From the stream's own thread (first requests) and the push thread: one at a time. */
    synchronized void send(byte[] bytes) {
      if (!responses.isCancelled()) {
        responses.onNext(bytes);
      }
    }

    @Override
    public void onNext(DiscoveryRequest request) {
      if (!request.getResponseNonce().isEmpty()) {
        return; // an ACK
      }
      switch (request.getTypeUrl()) {
        case CLUSTER_TYPE -> send(clusters);
        case ENDPOINT_TYPE -> send(endpointVersions.get(current));
        default -> { } // nothing else is served
      }
    }

    @Override
    public void onError(Throwable t) {
      streams.remove(this);
    }

    @Override
    public void onCompleted() {
      streams.remove(this);
      synchronized (this) {
        responses.onCompleted();
      }
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
