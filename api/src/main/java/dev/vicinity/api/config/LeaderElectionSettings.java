package dev.vicinity.api.config;

import java.time.Duration;

/**
 * {@code leaderElection} in {@code vicinity.yaml}: the {@code coordination.k8s.io/v1} Lease that elects the one
 * replica writing policy status. The Lease lives in the (first) cluster marked {@code policySource}; without such
 * a cluster nothing is written and nothing is elected. The durations mean what they mean for Kubernetes' own
 * controllers, and default to theirs.
 *
 * @param namespace where the Lease is; empty: the pod's own namespace (see {@link #DEFAULT_NAMESPACE})
 * @param name the Lease's name
 * @param leaseDuration how long a leader that stopped renewing keeps the Lease before another may take it
 * @param renewDeadline how long the leader keeps trying to renew before it stops leading
 * @param retryPeriod how often candidates try to take the Lease, and the leader renews it
 */
public record LeaderElectionSettings(
    String namespace, String name, Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
  /** The Lease's namespace when neither the file, nor {@code POD_NAMESPACE}, nor the pod's service account names one. */
  public static final String DEFAULT_NAMESPACE = "vicinity-system";
  public static final String DEFAULT_NAME = "vicinity-leader";
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
  public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);

  public static final LeaderElectionSettings DEFAULTS = new LeaderElectionSettings(null, null, null, null, null);

  public LeaderElectionSettings {
    namespace = namespace == null ? "" : namespace;
    name = name == null || name.isEmpty() ? DEFAULT_NAME : name;
    leaseDuration = leaseDuration == null ? DEFAULT_LEASE_DURATION : leaseDuration;
    renewDeadline = renewDeadline == null ? DEFAULT_RENEW_DEADLINE : renewDeadline;
    retryPeriod = retryPeriod == null ? DEFAULT_RETRY_PERIOD : retryPeriod;
  }
}
