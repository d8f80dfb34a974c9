package dev.vicinity.discovery;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.policy.Policy;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.policy.PolicyStatus;
import dev.vicinity.api.world.Inputs;
import dev.vicinity.api.world.World;
import dev.vicinity.api.yaml.ConfigError;
import dev.vicinity.discovery.leader.LeaseCandidate;
import dev.vicinity.discovery.leader.StatusLeadership;
import dev.vicinity.inventory.files.FileSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every source of the world and the policies: the file inventory and one informer set per live
 * cluster. Sources only signal; {@link #current()} assembles the inputs when the reconciler asks.
 */
public final class Discovery implements AutoCloseable {
  private final FileSource files;
  /**
   * How often live clusters are looked at without an event: a lost watch or a passed sync timeout
   * changes a cluster's state, but sends no informer event.
   */
  public static final Duration LIVE_CHECK_INTERVAL = Duration.ofSeconds(5);

  private final List<KubernetesClusterSource> live = new ArrayList<>();
  private final List<PolicyResourceSource> policySources = new ArrayList<>();
  /** Present when there is a policy source to write status to; absent in a file-only deployment. */
  private final Optional<StatusLeadership> leadership;
  private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "vicinity-live-cluster-check");
    thread.setDaemon(true);
    return thread;
  });
  private volatile Inputs fromFiles;

  /**
   * @param clients how to reach a live cluster's API server (tests pass mock servers' clients)
   */
  public Discovery(Path root, VicinityConfig config, Function<ClusterConfig, KubernetesClient> clients) {
    this.files = new FileSource(root, config);
    this.fromFiles = files.load();
    Map<ClusterConfig, KubernetesClient> policyClients = new LinkedHashMap<>();
    for (ClusterConfig cluster : config.clusters()) {
      if (cluster.live()) {
        KubernetesClient client = clients.apply(cluster);
        live.add(new KubernetesClusterSource(cluster, client, config.server().clusterSyncTimeout(), Clock.systemUTC()));
        if (cluster.policySource()) {
          policySources.add(new PolicyResourceSource(cluster, client, this::leading));
          policyClients.put(cluster, client);
        }
      }
    }
    // The Lease lives where status is written: the first policy source's API server.
    this.leadership = config.statusCluster().map(cluster -> new StatusLeadership(cluster, policyClients.get(cluster),
        config.leaderElection(), LeaseCandidate.fromEnvironment(config.leaderElection()), this::writeEverywhere));
  }

  /**
   * Starts watching files and clusters; {@code onChange} only signals that {@link #current()} may have
   * moved, and is also called every {@code liveCheckInterval} while there are live clusters.
   */
  public void start(Duration filePollInterval, Duration liveCheckInterval, Runnable onChange) {
    files.watch(filePollInterval, inputs -> {
      fromFiles = inputs;
      onChange.run();
    });
    live.forEach(source -> source.start(onChange));
    policySources.forEach(source -> source.start(onChange));
    leadership.ifPresent(StatusLeadership::start);
    if (!live.isEmpty()) {
      checks.scheduleWithFixedDelay(onChange, liveCheckInterval.toMillis(), liveCheckInterval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * The world of every cluster, file and live, and the policies from files and from custom resources
   * (a policy in both is taken from its file), with every error.
   */
  public Inputs current() {
    Inputs files = fromFiles;
    World world = files.world();
    for (KubernetesClusterSource source : live) {
      world = world.with(source.current());
    }
    if (policySources.isEmpty()) {
      return new Inputs(world, files.policies(), files.errors());
    }
    List<Policy> policies = new ArrayList<>(files.policies().virtualDestinations());
    policies.addAll(files.policies().trafficPolicies());
    policies.addAll(files.policies().destinationRules());
    Set<String> known = new HashSet<>();
    policies.forEach(p -> known.add(p.kind() + " " + p.ref()));
    List<ConfigError> errors = new ArrayList<>(files.errors());
    for (PolicyResourceSource source : policySources) {
      PolicyResourceSource.Read read = source.current();
      errors.addAll(read.errors());
      read.policies().stream().filter(p -> known.add(p.kind() + " " + p.ref())).forEach(policies::add);
    }
    return new Inputs(world, PolicySet.of(policies), errors);
  }

  /**
   * Writes policy statuses back to the custom resources they came from (files have no status), if this
   * replica holds the leader Lease; else they are kept for when it does.
   */
  public void writeStatuses(List<PolicyStatus> statuses) {
    leadership.ifPresent(elected -> elected.offer(statuses));
  }

  private void writeEverywhere(List<PolicyStatus> statuses) {
    policySources.forEach(source -> source.writeStatuses(statuses));
  }

  private boolean leading() {
    return leadership.map(StatusLeadership::leading).orElse(false);
  }

  /** The election for writing status; absent when there is no policy source, so nothing to write. */
  public Optional<StatusLeadership> leadership() {
    return leadership;
  }

  @Override
  public void close() {
    leadership.ifPresent(StatusLeadership::close); // first: the Lease is handed back while the client still works
    checks.shutdownNow();
    files.close();
    policySources.forEach(PolicyResourceSource::close);
    live.forEach(KubernetesClusterSource::close);
  }
}
