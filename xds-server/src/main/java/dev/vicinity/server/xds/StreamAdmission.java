package dev.vicinity.server.xds;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how many xDS streams may be starting at once. A stream's first response carries the whole state
 * of the world for its proxy, which makes starts the expensive part of serving; when thousands of proxies
 * reconnect together (a replica went away), unbounded starts would make every one of them slow.
 *
 * <p>A stream is starting from the moment it is opened until the server has sent its first response on
 * it, it ends, or {@code startTimeout} passes (so that a stream asking for something that never comes
 * cannot hold its place for ever). Streams beyond the bound are not refused: their requests are simply
 * not read yet. gRPC's flow control keeps the first request in the transport's buffer until the stream's
 * turn comes, in the order streams arrived, and then it is delivered as usual. No thread ever waits.
 *
 * <p>Metrics: {@code vicinity.xds.stream.starts.waiting} and {@code .in.progress} (gauges),
 * {@code .admitted} and {@code .timed.out} (counters).
 */
public final class StreamAdmission implements ServerInterceptor, AutoCloseable {
  private final int maxStarting;
  private final Duration startTimeout;
  private final ScheduledThreadPoolExecutor timeouts;
  private final Counter admitted;
  private final Counter timedOut;

  // Guarded by this: a few field updates per stream start, never held while calling into gRPC.
  private final LinkedHashSet<Start> waiting = new LinkedHashSet<>();
  private int starting;

  public StreamAdmission(int maxStarting, Duration startTimeout, MeterRegistry registry) {
    if (maxStarting < 1) {
      throw new IllegalArgumentException("at least one stream must be allowed to start, got " + maxStarting);
    }
    this.maxStarting = maxStarting;
    this.startTimeout = startTimeout;
    this.timeouts = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = Executors.defaultThreadFactory().newThread(runnable);
      thread.setName("vicinity-stream-start-timeouts");
      thread.setDaemon(true);
      return thread;
    });
    timeouts.setRemoveOnCancelPolicy(true); // most timeouts are cancelled by a first response
    Gauge.builder("vicinity.xds.stream.starts.waiting", this, StreamAdmission::waiting)
        .description("xDS streams waiting for their turn to start")
        .register(registry);
    Gauge.builder("vicinity.xds.stream.starts.in.progress", this, StreamAdmission::inProgress)
        .description("xDS streams started and not yet sent their first response")
        .register(registry);
    this.admitted = Counter.builder("vicinity.xds.stream.starts.admitted")
        .description("xDS streams allowed to start")
        .register(registry);
    this.timedOut = Counter.builder("vicinity.xds.stream.starts.timed.out")
        .description("xDS streams that got no first response within the start timeout and gave their place up")
        .register(registry);
  }

  private enum State {
    /** Opened, not yet queued. */
    NEW,
    WAITING,
    /** Holds one of the {@code maxStarting} places. */
    STARTING,
    /** Started, timed out or ended: holds no place, and its requests go straight through. */
    DONE
  }

  /** Why a stream is no longer starting. */
  private enum Finish {
    ANSWERED,
    ENDED,
    /** It held its place for the whole start timeout without an answer. */
    TIMED_OUT
  }

  /** One stream's way through admission. */
  private static final class Start {
    private final ServerCall<?, ?> call;
    // Guarded by the admission.
    private State state = State.NEW;
    private int heldRequests;
    private ScheduledFuture<?> timeout;

    private Start(ServerCall<?, ?> call) {
      this.call = call;
    }
  }

  /** Messages to ask gRPC for on a call, once the admission's lock is released. */
  private record Release(ServerCall<?, ?> call, int requests) {
    void run() {
      if (requests > 0) {
        call.request(requests); // thread-safe in gRPC, and never blocks
      }
    }
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Start start = new Start(call);
    ServerCall<ReqT, RespT> gated = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void request(int messages) {
        requested(start, messages);
      }

      @Override
      public void sendMessage(RespT message) {
        super.sendMessage(message);
        finished(start, Finish.ANSWERED);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        super.close(status, trailers);
        finished(start, Finish.ENDED);
      }
    };
    ServerCall.Listener<ReqT> listener;
    try {
      listener = next.startCall(gated, headers);
    } catch (RuntimeException e) {
      finished(start, Finish.ENDED);
      throw e;
    }
    arrived(start);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        finished(start, Finish.ENDED);
        super.onCancel();
      }

      @Override
      public void onComplete() {
        finished(start, Finish.ENDED);
        super.onComplete();
      }
    };
  }

  private void requested(Start start, int messages) {
    synchronized (this) {
      if (start.state == State.NEW || start.state == State.WAITING) {
        start.heldRequests += messages;
        return;
      }
    }
    start.call.request(messages);
  }

  private void arrived(Start start) {
    Release release;
    synchronized (this) {
      if (start.state != State.NEW) {
        return; // ended (or answered) before it could queue
      }
      if (starting < maxStarting && waiting.isEmpty()) {
        release = admit(start);
      } else {
        start.state = State.WAITING;
        waiting.add(start);
        return;
      }
    }
    release.run();
  }

  /**
   * The stream is no longer starting. Gives its place, if it held one, to the streams waiting longest;
   * a stream that never held a place gives none back.
   */
  private void finished(Start start, Finish finish) {
    List<Release> releases = new ArrayList<>();
    synchronized (this) {
      switch (start.state) {
        case DONE -> {
          return;
        }
        case NEW, WAITING -> {
          waiting.remove(start);
          if (finish == Finish.ANSWERED) {
            releases.add(new Release(start.call, start.heldRequests)); // answered unasked: it reads on
          }
          start.heldRequests = 0;
        }
        case STARTING -> {
          starting--;
          if (start.timeout != null) {
            start.timeout.cancel(false);
          }
          if (finish == Finish.TIMED_OUT) {
            timedOut.increment();
          }
          for (Iterator<Start> next = waiting.iterator(); starting < maxStarting && next.hasNext(); ) {
            Start admittedNow = next.next();
            next.remove();
            releases.add(admit(admittedNow));
          }
        }
      }
      start.state = State.DONE;
    }
    releases.forEach(Release::run);
  }

  /** Under the lock: gives {@code start} a place; the caller asks gRPC for its held requests after. */
  private Release admit(Start start) {
    start.state = State.STARTING;
    starting++;
    admitted.increment();
    try {
      start.timeout = timeouts.schedule(() -> finished(start, Finish.TIMED_OUT), startTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      start.timeout = null; // shutting down: every stream is about to end anyway
    }
    Release release = new Release(start.call, start.heldRequests);
    start.heldRequests = 0;
    return release;
  }

  /** Streams waiting for their turn. */
  public synchronized int waiting() {
    return waiting.size();
  }

  /** Streams started and not yet answered. */
  public synchronized int inProgress() {
    return starting;
  }

  @Override
  public void close() {
    timeouts.shutdownNow();
  }
}
