package dev.vicinity.discovery;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.world.World;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every source of the world and the policies: the file inventory and one informer set per live
 * cluster. Sources only signal; {@link #current()} assembles the inputs when the reconciler asks.
 */
public final class Discovery implements AutoCloseable {
  private final FileSource files;
  private final List<KubernetesClusterSource> live = new ArrayList<>();
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

  /** Starts watching files and clusters; {@code onChange} only signals that {@link #current()} moved. */
  public void start(Duration filePollInterval, Runnable onChange) {
    files.watch(filePollInterval, inputs -> {
      fromFiles = inputs;
      onChange.run();
    });
    live.forEach(source -> source.start(onChange));
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
    files.close();
    live.forEach(KubernetesClusterSource::close);
  }
}
