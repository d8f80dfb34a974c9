package dev.vicinity.discovery;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.policy.Policy;
import dev.vicinity.api.policy.PolicyReader;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.World;
import dev.vicinity.api.yaml.ConfigError;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file inventory: the world of every file cluster (one without an API server) from
 * {@code clusters/<name>/*.yaml} and the policies from {@code policies/**}, re-read when a file changes. Changes are found by polling file
 * names, sizes and modification times, which works on every file system (inotify does not see through
 * ConfigMap symlink swaps or network mounts).
 */
public final class FileSource implements AutoCloseable {
  public static final String CLUSTERS_DIRECTORY = "clusters";
  public static final String POLICIES_DIRECTORY = "policies";

  private static final Logger log = LoggerFactory.getLogger(FileSource.class);

  private final Path root;
  private final VicinityConfig config;
  private final LastGood<Policy> policies = new LastGood<>(p -> p.kind() + "/" + p.ref());
  private final LastGood<Object> objects = new LastGood<>(FileSource::objectIdentity);
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "vicinity-file-source");
        thread.setDaemon(true);
        return thread;
      });
  private String fingerprint = "";
  private Set<String> reported = Set.of();

  public FileSource(Path root, VicinityConfig config) {
    this.root = root;
    this.config = config;
  }

  /** Reads everything now. Not thread-safe: call it before {@link #watch}, or let the poller call it. */
  public Inputs load() {
    fingerprint = fingerprint();
    List<ConfigError> errors = new ArrayList<>();
    Set<String> files = new HashSet<>();
    List<ClusterWorld> clusters = new ArrayList<>();
    for (ClusterConfig cluster : config.clusters()) {
      if (!cluster.live()) {
        clusters.add(loadCluster(cluster, errors, files));
      }
    }
    List<Policy> loaded = new ArrayList<>();
    Map<String, String> firstSource = new LinkedHashMap<>();
    for (Path file : yamlFiles(root.resolve(POLICIES_DIRECTORY))) {
      String source = display(file);
      files.add(source);
      PolicyReader.Result result = PolicyReader.read(source, readString(file));
      errors.addAll(result.errors());
      for (Policy policy : policies.update(source, result.policies(), !result.errors().isEmpty())) {
        String id = policy.kind().kindName() + " " + policy.ref();
        String first = firstSource.putIfAbsent(id, source);
        if (first == null) {
          loaded.add(policy);
        } else {
          errors.add(new ConfigError(source, 0, "metadata.name",
              id + " is defined more than once; the one in " + first + " is used"));
        }
      }
    }
    policies.retain(files);
    objects.retain(files);
    logNewErrors(errors);
    return new Inputs(World.of(clusters), PolicySet.of(loaded), errors);
  }

  private ClusterWorld loadCluster(ClusterConfig cluster, List<ConfigError> errors, Set<String> files) {
    Path directory = root.resolve(CLUSTERS_DIRECTORY).resolve(cluster.name());
    if (!Files.isDirectory(directory)) {
      errors.add(new ConfigError(display(directory), 0, "",
          "cluster '" + cluster.name() + "' has no directory of Node, Service and EndpointSlice files;"
              + " it stays unsynced (and the server not ready) until the directory exists"));
      return ClusterWorld.pending(cluster.id(), cluster.network());
    }
    List<Object> all = new ArrayList<>();
    for (Path file : yamlFiles(directory)) {
      String source = display(file);
      files.add(source);
      ClusterFileReader.Result result = ClusterFileReader.read(source, readString(file));
      errors.addAll(result.errors());
      all.addAll(objects.update(source, result.objects().all().toList(), !result.errors().isEmpty()));
    }
    return KubernetesWorldMapper.toClusterWorld(cluster,
        all.stream().filter(io.fabric8.kubernetes.api.model.Node.class::isInstance)
            .map(io.fabric8.kubernetes.api.model.Node.class::cast).toList(),
        all.stream().filter(io.fabric8.kubernetes.api.model.Service.class::isInstance)
            .map(io.fabric8.kubernetes.api.model.Service.class::cast).toList(),
        all.stream().filter(io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class::isInstance)
            .map(io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class::cast).toList());
  }

  /**
   * Polls for changes every {@code interval} and hands freshly read inputs to {@code onChange}. The
   * first poll happens after one interval: call {@link #load} for the initial state.
   */
  public void watch(Duration interval, Consumer<Inputs> onChange) {
    poller.scheduleWithFixedDelay(() -> {
      try {
        if (!fingerprint().equals(fingerprint)) {
          onChange.accept(load());
        }
      } catch (RuntimeException e) {
        log.error("reading {} failed; the last good configuration keeps serving", root, e);
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }

  private void logNewErrors(List<ConfigError> errors) {
    Set<String> now = new HashSet<>();
    errors.forEach(e -> now.add(e.toString()));
    errors.stream().map(ConfigError::toString).filter(e -> !reported.contains(e)).sorted()
        .forEach(e -> log.warn("{}", e));
    reported = now;
  }

  /** Names, sizes and modification times of every input file: cheap to compute, changes with any edit. */
  private String fingerprint() {
    StringBuilder print = new StringBuilder();
    for (String directory : List.of(CLUSTERS_DIRECTORY, POLICIES_DIRECTORY)) {
      for (Path file : yamlFiles(root.resolve(directory))) {
        try {
          print.append(file).append(':').append(Files.size(file)).append(':')
              .append(Files.getLastModifiedTime(file).toMillis()).append('\n');
        } catch (IOException e) {
          print.append(file).append(":gone\n"); // removed while listing: the next poll sees it settled
        }
      }
    }
    return print.toString();
  }

  private static List<Path> yamlFiles(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile)
          .filter(f -> {
            String name = f.getFileName().toString();
            return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
          })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }

  private String display(Path file) {
    return root.relativize(file).toString();
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return ""; // removed between listing and reading: the next poll sees the settled directory
    }
  }

  private static String objectIdentity(Object object) {
    HasMetadata resource = (HasMetadata) object;
    return resource.getKind() + "/" + resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }
}
