package dev.vicinity.server.xds;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Knows every open xDS stream, so that a server shutting down can end them with UNAVAILABLE, which makes
 * Envoy and gRPC clients reconnect (through their load balancer, to another replica). The streams are
 * ended one by one, evenly over a drain period, so that thousands of proxies do not land on the other
 * replica in the same millisecond. Once draining, new streams are refused the same way.
 */
public final class StreamDrain implements ServerInterceptor {
  public static final Status SHUTTING_DOWN = Status.UNAVAILABLE.withDescription("server shutting down");

  // Guarded by this. Insertion order: the oldest streams are ended first.
  private final LinkedHashSet<DrainableCall<?, ?>> open = new LinkedHashSet<>();
  private boolean draining;

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    DrainableCall<ReqT, RespT> drainable = new DrainableCall<>(call);
    synchronized (this) {
      if (!draining) {
        open.add(drainable);
      }
    }
    if (!opened(drainable)) {
      call.close(SHUTTING_DOWN, new Metadata());
      return new ServerCall.Listener<>() {};
    }
    ServerCall.Listener<ReqT> listener;
    try {
      listener = next.startCall(drainable, headers);
    } catch (RuntimeException e) {
      closed(drainable);
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        closed(drainable);
        super.onCancel();
      }

      @Override
      public void onComplete() {
        closed(drainable);
        super.onComplete();
      }
    };
  }

  private synchronized boolean opened(DrainableCall<?, ?> call) {
    return open.contains(call);
  }

  private synchronized void closed(DrainableCall<?, ?> call) {
    open.remove(call);
  }

  /** Streams open now. */
  public synchronized int openStreams() {
    return open.size();
  }

  /**
   * Refuses new streams from now on, and ends every open one with UNAVAILABLE ("server shutting down"):
   * of N streams, the i-th at {@code i * period / N}, so that the last is ended within the period.
   * Returns once all have been ended (sooner when they leave on their own). On interruption, ends the
   * rest at once.
   */
  public void drain(Duration period) {
    List<DrainableCall<?, ?>> streams;
    synchronized (this) {
      draining = true;
      streams = List.copyOf(open);
    }
    long startNanos = System.nanoTime();
    boolean interrupted = false;
    for (int i = 0; i < streams.size(); i++) {
      DrainableCall<?, ?> stream = streams.get(i);
      if (!opened(stream)) {
        continue; // left on its own: no need to wait for its turn
      }
      long dueNanos = startNanos + (long) ((double) period.toNanos() * i / streams.size());
      long waitNanos = dueNanos - System.nanoTime();
      if (waitNanos > 0 && !interrupted) {
        try {
          TimeUnit.NANOSECONDS.sleep(waitNanos);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      stream.end();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** A call the draining thread ends while its stream may be sending on it. */
  private static final class DrainableCall<ReqT, RespT> extends ClosableServerCall<ReqT, RespT> {
    private DrainableCall(ServerCall<ReqT, RespT> call) {
      super(call);
    }

    void end() {
      try {
        closeIfOpen(SHUTTING_DOWN);
      } catch (RuntimeException connectionGone) {
        // Its connection closed under it (the transport refuses the trailers): the stream is ending anyway.
      }
    }
  }
}
