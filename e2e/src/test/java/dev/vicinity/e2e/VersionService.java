package dev.vicinity.e2e;

import com.google.protobuf.Empty;
import com.google.protobuf.StringValue;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;

/**
 * The smallest gRPC service that says which backend answered: {@code vicinity.e2e.Reviews/Version}
 * returns the backend's version (v1, v2, v3), as bookinfo's reviews versions show different stars.
 * Built from well-known protobuf types, so no code generation is needed.
 */
final class VersionService {
  static final MethodDescriptor<Empty, StringValue> VERSION = MethodDescriptor.<Empty, StringValue>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName("vicinity.e2e.Reviews", "Version"))
      .setRequestMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
      .build();

  private VersionService() {}

  static ServerServiceDefinition answering(String version) {
    return ServerServiceDefinition.builder("vicinity.e2e.Reviews")
        .addMethod(VERSION, ServerCalls.asyncUnaryCall((request, response) -> {
          response.onNext(StringValue.of(version));
          response.onCompleted();
        }))
        .build();
  }
}
