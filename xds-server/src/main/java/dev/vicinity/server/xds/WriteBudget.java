package dev.vicinity.server.xds;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The bytes all streams of a server may have written and not yet handed to the socket. Flow control
 * bounds each stream to about one response, but many streams each holding a 16 MiB response at once
 * still exhaust direct memory (200 Envoy clients of a 2,000-service world ask for their first EDS
 * response together). A write that does not fit waits; its stream is asked to try again, in the order
 * the streams came, when bytes are given back. A response larger than the whole budget is let through
 * alone, so that nothing waits forever. A stream's bytes count until gRPC says it is ready again.
 */
public final class WriteBudget {
  private final long limitBytes;
  private final Set<Runnable> waiting = new LinkedHashSet<>();
  private long inFlightBytes;

  public WriteBudget(long limitBytes) {
    this.limitBytes = limitBytes;
  }

  /** Counts {@code bytes} in and says yes if they fit now; otherwise {@code retry} runs when bytes are given back. */
  public synchronized boolean take(long bytes, Runnable retry) {
    if (inFlightBytes > 0 && inFlightBytes + bytes > limitBytes) {
      waiting.add(retry);
      return false;
    }
    inFlightBytes += bytes;
    waiting.remove(retry);
    return true;
  }

  /** Counts {@code bytes} out and lets every waiting stream try again, outside the lock (they take() again). */
  public void giveBack(long bytes) {
    if (bytes == 0) {
      return;
    }
    List<Runnable> retries;
    synchronized (this) {
      inFlightBytes -= bytes;
      retries = List.copyOf(waiting);
    }
    retries.forEach(Runnable::run);
  }

  /** A stream that ended waits no longer. */
  public synchronized void forget(Runnable retry) {
    waiting.remove(retry);
  }
}
