package dev.vicinity.api.world;

/**
 * The conditions of an EndpointSlice endpoint, with Kubernetes' defaults already applied (a missing
 * {@code ready} means ready; a missing {@code serving} follows {@code ready}).
 */
public record EndpointConditions(boolean ready, boolean serving, boolean terminating) {
  public static final EndpointConditions READY = new EndpointConditions(true, true, false);
  public static final EndpointConditions NOT_READY = new EndpointConditions(false, false, false);

  /** Whether this endpoint should take new traffic. */
  public boolean healthy() {
    return ready && !terminating;
  }

  /** Still serving while shutting down: finish in-flight work, take no new requests. */
  public boolean draining() {
    return terminating && serving;
  }
}
