package dev.vicinity.e2e.conformance;

import com.google.protobuf.Empty;
import com.google.protobuf.StringValue;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC-Java conformance client, run as its own process (the test JVM's java and class path): the
 * same loop as the Python and Node agents. Calls {@code vicinity.e2e.Reviews/Version} on an
 * {@code xds:///} target over and over and prints one line per call, {@code ok <version>} or
 * {@code error <STATUS> <details>}. The xDS bootstrap comes from {@code GRPC_XDS_BOOTSTRAP}. Ends when its
 * stdin closes.
 */
public final class JavaXdsAgent {
  /** The client's own view of the method, as a separately built client would declare it. */
  private static final MethodDescriptor<Empty, StringValue> VERSION = MethodDescriptor.<Empty, StringValue>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName("vicinity.e2e.Reviews/Version")
      .setRequestMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
      .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
      .build();
  private static final long PAUSE_MILLIS = 50;
  private static final long DEADLINE_MILLIS = 1000;

  private JavaXdsAgent() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: JavaXdsAgent xds:///host:port (bootstrap in GRPC_XDS_BOOTSTRAP)");
      System.exit(2);
    }
    Thread parentWatch = new Thread(JavaXdsAgent::exitWhenStdinCloses, "stdin-watch");
    parentWatch.setDaemon(true);
    parentWatch.start();
    ManagedChannel channel = Grpc.newChannelBuilder(args[0], InsecureChannelCredentials.create()).build();
    System.out.println("started grpc-java " + Grpc.class.getPackage().getImplementationVersion());
    while (!Thread.currentThread().isInterrupted()) {
      try {
        StringValue answer = ClientCalls.blockingUnaryCall(
            channel, VERSION, CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS), Empty.getDefaultInstance());
        System.out.println("ok " + answer.getValue());
      } catch (StatusRuntimeException e) {
        String details = e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription().replace('\n', ' ');
        System.out.println("error " + e.getStatus().getCode() + " " + details);
      }
      System.out.flush();
      Thread.sleep(PAUSE_MILLIS); // the pace of a steady client, not a wait for a condition
    }
  }

  /** The test holds this process's stdin: when the test JVM ends, even killed, stop too instead of calling forever. */
  private static void exitWhenStdinCloses() {
    try {
      System.in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // closed either way
    }
    System.exit(0);
  }
}
