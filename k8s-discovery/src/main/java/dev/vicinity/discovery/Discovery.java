package dev.vicinity.discovery;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.world.World;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

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
  private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "vicinity-live-cluster-check");
    thread.setDaemon(true);
    return thread;
  });
  private volatile Inputs fromFiles;

  /**
   * @param clients how to reach a live cluster's API server (tests pass mock servers' clients)
   */
  public Discovery(Path root, VicinityConfig config,
      Function<ClusterConfig, io.fabric8.kubernetes.client.KubernetesClient> clients) {
    this.files = new FileSource(root, config);
    this.fromFiles = files.load();
    for (ClusterConfig cluster : config.clusters()) {
      if (cluster.live()) {
        live.add(new KubernetesClusterSource(cluster, clients.apply(cluster), config.server().clusterSyncTimeout(), Clock.systemUTC()));
      }
    }
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
    if (!live.isEmpty()) {
      checks.scheduleWithFixedDelay(onChange, liveCheckInterval.toMillis(), liveCheckInterval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The world of every cluster, file and live, with the file policies and their errors. */
  public Inputs current() {
    Inputs files = fromFiles;
    World world = files.world();
    for (KubernetesClusterSource source : live) {
      world = world.with(source.current());
    }
    return new Inputs(world, files.policies(), files.errors());
  }

  @Override
  public void close() {
    checks.shutdownNow();
    files.close();
    live.forEach(KubernetesClusterSource::close);
  }
}
