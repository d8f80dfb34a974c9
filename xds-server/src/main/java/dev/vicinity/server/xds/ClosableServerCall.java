package dev.vicinity.server.xds;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * A server call that the drain may close from one thread while its stream sends on it from another:
 * sending and closing are serialised, and whatever comes after the close is dropped instead of failing
 * the sender.
 */
class ClosableServerCall<ReqT, RespT> extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
  // Guarded by this.
  private boolean closed;

  ClosableServerCall(ServerCall<ReqT, RespT> call) {
    super(call);
  }

  @Override
  public synchronized void sendHeaders(Metadata headers) {
    if (!closed) {
      super.sendHeaders(headers);
    }
  }

  @Override
  public synchronized void sendMessage(RespT message) {
    if (!closed) {
      super.sendMessage(message);
    }
  }

  @Override
  public synchronized void close(Status status, Metadata trailers) {
    if (!closed) {
      closed = true;
      super.close(status, trailers);
    }
  }

  /** Closes the call with {@code status} unless it is closed already. */
  void closeIfOpen(Status status) {
    close(status, new Metadata());
  }
}
