package dev.vicinity.discovery.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import java.net.HttpURLConnection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8's Lease lock, which says once, in the operator's terms, why the Lease cannot be read, created or
 * renewed (no such namespace, no RBAC for leases, an API server out of reach), and again only after it has
 * worked in between. fabric8 retries every failure itself, and would log each one with a stack trace
 * (its election logger is quiet in {@code simplelogger.properties}). A conflict is no failure: another
 * replica got there first.
 */
final class ReportedLeaseLock implements Lock {
  private static final Logger log = LoggerFactory.getLogger(ReportedLeaseLock.class);

  private final String cluster;
  private final LeaseCandidate candidate;
  private final LeaseLock lease;
  private final AtomicBoolean failing = new AtomicBoolean();

  ReportedLeaseLock(String cluster, LeaseCandidate candidate) {
    this.cluster = cluster;
    this.candidate = candidate;
    this.lease = new LeaseLock(candidate.namespace(), candidate.leaseName(), candidate.identity());
  }

  @Override
  public LeaderElectionRecord get(KubernetesClient client) {
    return reported("read", () -> lease.get(client));
  }

  @Override
  public void create(KubernetesClient client, LeaderElectionRecord record) {
    reported("create", () -> {
      lease.create(client, record);
      return null;
    });
  }

  @Override
  public void update(KubernetesClient client, LeaderElectionRecord record) {
    reported("renew", () -> {
      lease.update(client, record);
      return null;
    });
  }

  @Override
  public String identity() {
    return lease.identity();
  }

  @Override
  public String describe() {
    return lease.describe();
  }

  private <T> T reported(String action, Supplier<T> call) {
    try {
      T result = call.get();
      if (failing.getAndSet(false)) {
        log.info("cluster {}: Lease {} can be reached again", cluster, candidate.lease());
      }
      return result;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT && !failing.getAndSet(true)) {
        log.warn("cluster {}: cannot {} Lease {}: {}; without the Lease this replica cannot lead (write policy status)."
            + " Retrying.",
            cluster, action, candidate.lease(), explain(e));
      }
      throw e;
    }
  }

  private String explain(KubernetesClientException e) {
    if (e.getCode() <= 0) {
      return "the API server did not answer (" + rootMessage(e) + ")";
    }
    String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : rootMessage(e);
    return "HTTP " + e.getCode() + " (" + message + "): check that namespace " + candidate.namespace()
        + " exists and that Vicinity may get, create and patch leases.coordination.k8s.io in it (deploy/kubernetes/rbac.yaml)";
  }

  /** The innermost message: "Connection refused" rather than the wrappers around it. */
  private static String rootMessage(Throwable failure) {
    String message = failure.getClass().getSimpleName();
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
        message = cause.getMessage();
      }
    }
    return message;
  }
}
