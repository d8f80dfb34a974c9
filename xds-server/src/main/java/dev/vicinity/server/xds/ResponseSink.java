package dev.vicinity.server.xds;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.function.BiFunction;

/** Where a stream's responses go: gRPC's observer, in the stream's protocol, with its flow control. */
final class ResponseSink<R extends Message> {
  private final ServerCallStreamObserver<R> observer;
  /** A plan and its nonce, as the protocol's response. */
  private final BiFunction<Plan, String, R> responses;

  private ResponseSink(ServerCallStreamObserver<R> observer, BiFunction<Plan, String, R> responses) {
    this.observer = observer;
    this.responses = responses;
  }

  static ResponseSink<DiscoveryResponse> stateOfTheWorld(ServerCallStreamObserver<DiscoveryResponse> observer) {
    return new ResponseSink<>(observer, (plan, nonce) -> {
      DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder()
          .setTypeUrl(plan.type().typeUrl())
          .setVersionInfo(plan.version())
          .setNonce(nonce);
      plan.resources().forEach(resource -> response.addResources(resource.packed()));
      return response.build();
    });
  }

  static ResponseSink<DeltaDiscoveryResponse> delta(ServerCallStreamObserver<DeltaDiscoveryResponse> observer) {
    return new ResponseSink<>(observer, (plan, nonce) -> {
      DeltaDiscoveryResponse.Builder response = DeltaDiscoveryResponse.newBuilder()
          .setTypeUrl(plan.type().typeUrl())
          .setSystemVersionInfo(plan.version())
          .setNonce(nonce)
          .addAllRemovedResources(plan.removed());
      plan.resources().forEach(resource -> response.addResources(resource.delta()));
      return response.build();
    });
  }

  /** Whether gRPC can take a message without buffering it beyond its transport window. */
  boolean isReady() {
    return observer.isReady();
  }

  /** Sends the plan as one response; returns its size in bytes. */
  int send(Plan plan, String nonce) {
    R response = responses.apply(plan, nonce);
    observer.onNext(response);
    return response.getSerializedSize();
  }

  void close(Status status) {
    observer.onError(status.asRuntimeException());
  }

  void complete() {
    observer.onCompleted();
  }
}
