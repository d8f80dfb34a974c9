package dev.vicinity.server.xds;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

/** Where a stream's responses go: gRPC's observer, in the stream's protocol, with its flow control. */
interface ResponseSink {
  /** Whether gRPC can take a message without buffering it beyond its transport window. */
  boolean isReady();

  /** Sends the plan as one response; returns its size in bytes. */
  int send(Plan plan, String nonce);

  void close(Status status);

  void complete();

  static ResponseSink stateOfTheWorld(ServerCallStreamObserver<DiscoveryResponse> observer) {
    return new ResponseSink() {
      @Override
      public boolean isReady() {
        return observer.isReady();
      }

      @Override
      public int send(Plan plan, String nonce) {
        DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder()
            .setTypeUrl(plan.type().typeUrl())
            .setVersionInfo(plan.version())
            .setNonce(nonce);
        plan.resources().forEach(resource -> response.addResources(resource.packed()));
        DiscoveryResponse built = response.build();
        observer.onNext(built);
        return built.getSerializedSize();
      }

      @Override
      public void close(Status status) {
        observer.onError(status.asRuntimeException());
      }

      @Override
      public void complete() {
        observer.onCompleted();
      }
    };
  }

  static ResponseSink delta(ServerCallStreamObserver<DeltaDiscoveryResponse> observer) {
    return new ResponseSink() {
      @Override
      public boolean isReady() {
        return observer.isReady();
      }

      @Override
      public int send(Plan plan, String nonce) {
        DeltaDiscoveryResponse.Builder response = DeltaDiscoveryResponse.newBuilder()
            .setTypeUrl(plan.type().typeUrl())
            .setSystemVersionInfo(plan.version())
            .setNonce(nonce)
            .addAllRemovedResources(plan.removed());
        plan.resources().forEach(resource -> response.addResources(resource.delta()));
        DeltaDiscoveryResponse built = response.build();
        observer.onNext(built);
        return built.getSerializedSize();
      }

      @Override
      public void close(Status status) {
        observer.onError(status.asRuntimeException());
      }

      @Override
      public void complete() {
        observer.onCompleted();
      }
    };
  }
}
