package dev.vicinity.discovery.leader;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.config.LeaderElectionSettings;
import dev.vicinity.api.policy.PolicyStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multi-read, single-write: every replica computes policy statuses, and only the holder of a
 * {@code coordination.k8s.io/v1} Lease (fabric8's leader election) hands them to the writer. It keeps the
 * newest statuses it was offered, so that a replica that becomes leader writes at once whatever is out of
 * date; one that loses the Lease stops handing them on at once, and {@link #leading()} tells a write
 * already under way to stop too. An election that ends (the Lease lost, or not renewed in time) is
 * started again, so a replica that lost the Lease stays a candidate.
 */
public final class StatusLeadership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusLeadership.class);

  /** What the debug page shows: the Lease, who holds it as last seen, and whether this replica does. */
  public record State(String cluster, String lease, String identity, Optional<String> holder, boolean leading) {}

  private final ClusterConfig cluster;
  private final KubernetesClient client;
  private final LeaderElectionSettings settings;
  private final LeaseCandidate candidate;
  private final Consumer<List<PolicyStatus>> writer;
  private final AtomicReference<List<PolicyStatus>> newest = new AtomicReference<>();
  private volatile boolean leading;
  private volatile String holder;
  // Guarded by this.
  private CompletableFuture<?> election;
  private boolean closed;

  /**
   * @param client the API server of {@code cluster}, which holds the Lease; the caller owns and closes it
   * @param writer writes statuses to the custom resources, comparing them with what those show
   */
  public StatusLeadership(ClusterConfig cluster, KubernetesClient client, LeaderElectionSettings settings,
      LeaseCandidate candidate, Consumer<List<PolicyStatus>> writer) {
    this.cluster = cluster;
    this.client = client;
    this.settings = settings;
    this.candidate = candidate;
    this.writer = writer;
  }

  /** Becomes a candidate; returns at once (the election runs on the client's threads). */
  public synchronized void start() {
    if (closed || election != null) {
      return;
    }
    log.info("cluster {}: competing for Lease {} as {} to write policy status", cluster.name(), candidate.lease(),
        candidate.identity());
    elect();
  }

  private synchronized void elect() {
    if (closed) {
      return;
    }
    CompletableFuture<?> round = client.leaderElector()
        .withConfig(new LeaderElectionConfigBuilder()
            .withName("vicinity-status")
            .withLock(new ReportedLeaseLock(cluster.name(), candidate))
            .withLeaseDuration(settings.leaseDuration())
            .withRenewDeadline(settings.renewDeadline())
            .withRetryPeriod(settings.retryPeriod())
            // On shutdown the Lease is handed back, so that another replica takes over at its next retry.
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newHolder))
            .build())
        .build()
        .start();
    election = round;
    round.whenComplete((ignored, failure) -> {
      leading = false; // however the round ended, this replica no longer renews the Lease
      synchronized (this) {
        if (!closed && election == round) {
          log.info("cluster {}: no longer holding Lease {}; competing for it again", cluster.name(), candidate.lease());
          elect();
        }
      }
    });
  }

  /** Hands the statuses on to be written if this replica leads; else only keeps them for when it does. */
  public void offer(List<PolicyStatus> statuses) {
    newest.set(List.copyOf(statuses));
    if (leading) {
      writer.accept(statuses);
    }
  }

  /** Whether this replica holds the Lease now: only then may status be written. */
  public boolean leading() {
    return leading;
  }

  public State state() {
    return new State(cluster.name(), candidate.lease(), candidate.identity(), Optional.ofNullable(holder), leading);
  }

  private void startedLeading() {
    leading = true;
    log.info("cluster {}: this replica ({}) now holds Lease {} and writes policy status", cluster.name(),
        candidate.identity(), candidate.lease());
    // Whatever changed while another replica led, or nobody did, is written now.
    List<PolicyStatus> statuses = newest.get();
    if (statuses != null) {
      writer.accept(statuses);
    }
  }

  private void stoppedLeading() {
    if (leading) {
      log.info("cluster {}: this replica ({}) lost Lease {} and stops writing policy status", cluster.name(),
          candidate.identity(), candidate.lease());
    }
    leading = false;
  }

  private void newHolder(String identity) {
    holder = identity == null || identity.isEmpty() ? null : identity;
  }

  /** Stops competing; a leader hands the Lease back first, so that another replica takes over without waiting it out. */
  @Override
  public void close() {
    CompletableFuture<?> round;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      round = election;
    }
    leading = false;
    if (round != null) {
      round.cancel(true); // fabric8 releases the Lease on this thread before returning
    }
  }
}
