package dev.vicinity.translator.acceptance;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;

/**
 * LbEndpoints already found to pass Envoy's rules, by instance, so that a check of a load assignment skips
 * them: the translator shares one LbEndpoint per world endpoint among every node group's assignments, and
 * Envoy's rules for an LbEndpoint look at nothing outside it, so its verdict is the same in every
 * assignment. Only passes are remembered: an LbEndpoint that breaks a rule is walked each time, so that
 * its violations carry the field path of the assignment at hand. Held weakly (an entry goes with its
 * LbEndpoint); thread-safe. The caller owns one for as long as it checks resources, e.g. a server's life.
 */
public final class PassedParts {
  private static final PassedParts NONE = new PassedParts(null);

  /** Weak keys compare by identity: a memo of these very instances, never of equal ones. Null: remembers nothing. */
  private final Cache<LbEndpoint, Boolean> lbEndpoints;

  private PassedParts(Cache<LbEndpoint, Boolean> lbEndpoints) {
    this.lbEndpoints = lbEndpoints;
  }

  /** An empty memo, to be kept and passed to every check. */
  public static PassedParts remembering() {
    return new PassedParts(CacheBuilder.newBuilder().weakKeys().build());
  }

  /** Remembers nothing: every part is checked. */
  public static PassedParts none() {
    return NONE;
  }

  boolean passed(LbEndpoint endpoint) {
    return lbEndpoints != null && lbEndpoints.getIfPresent(endpoint) != null;
  }

  void pass(LbEndpoint endpoint) {
    if (lbEndpoints != null) {
      lbEndpoints.put(endpoint, Boolean.TRUE);
    }
  }
}
