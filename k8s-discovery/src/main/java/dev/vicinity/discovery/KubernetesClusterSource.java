package dev.vicinity.discovery;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.SyncState;
import dev.vicinity.inventory.mapping.KubernetesWorldMapper;
import dev.vicinity.inventory.mapping.LiveClusterMapping;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live Kubernetes cluster: fabric8 informers on Services, {@code discovery.k8s.io/v1}
 * EndpointSlices and Nodes. Their callbacks note which object changed and signal; {@link #current()} maps
 * the objects that changed since the last look into the cluster's world ({@link LiveClusterMapping}), with
 * the same rules the file inventory uses, so that a look costs what changed, not what the cluster holds.
 */
public final class KubernetesClusterSource implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubernetesClusterSource.class);
  /** Informers re-list this often, so a missed event cannot leave the cache wrong for long. */
  private static final long RESYNC_MILLIS = 5 * 60 * 1000L;

  private final ClusterConfig cluster;
  private final KubernetesClient client;
  private final Duration syncTimeout;
  private final Clock clock;
  private final List<SharedIndexInformer<Service>> services = new ArrayList<>();
  private final List<SharedIndexInformer<EndpointSlice>> slices = new ArrayList<>();
  private SharedIndexInformer<Node> nodes;
  private volatile Instant syncDeadline;
  // Only for logging transitions once; read and written on the reconciler's thread.
  private boolean wasWatching = true;
  private boolean reportedFailure;
  private final OnceReported rejectionsReported = new OnceReported();
  /**
   * Each changed object's latest state by key (empty: deleted), from the informers' threads, until a look
   * takes it. A key taken before it changes again is noted again, so no change is missed or seen twice.
   */
  private final Map<String, Optional<Node>> changedNodes = new ConcurrentHashMap<>();
  private final Map<String, Optional<Service>> changedServices = new ConcurrentHashMap<>();
  private final Map<String, Optional<EndpointSlice>> changedSlices = new ConcurrentHashMap<>();
  /** The world of the objects seen so far; read and written on the reconciler's thread. */
  private final LiveClusterMapping mapping;
  /** The world served at the last look, and the mapped world it was made from. */
  private ClusterWorld served;
  private ClusterWorld servedFrom;
  private final ClusterWorld pending;
  private final ClusterWorld failed;

  /**
   * @param syncTimeout how long the first sync may take before the cluster is marked FAILED
   * @param clock the time source for that deadline
   */
  public KubernetesClusterSource(ClusterConfig cluster, KubernetesClient client, Duration syncTimeout, Clock clock) {
    this.cluster = cluster;
    this.client = client;
    this.syncTimeout = syncTimeout;
    this.clock = clock;
    this.pending = ClusterWorld.pending(cluster.id(), cluster.network());
    this.failed = pending.withSyncState(SyncState.FAILED);
    this.mapping = new LiveClusterMapping(cluster);
  }

  /** A client for the cluster's kubeconfig context, or for the pod's own service account. */
  public static KubernetesClient clientFor(ClusterConfig cluster) {
    Config config;
    if (cluster.inCluster()) {
      config = Config.autoConfigure(null);
    } else {
      Path file = Path.of(cluster.kubeconfig());
      try {
        config = Config.fromKubeconfig(cluster.context().isEmpty() ? null : cluster.context(),
            Files.readString(file, StandardCharsets.UTF_8), file.toString());
      } catch (IOException e) {
        throw new IllegalArgumentException("cluster " + cluster.name() + ": cannot read kubeconfig " + file + ": " + e.getMessage(), e);
      }
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Starts the informers, which tell {@code onChange} of every event; returns at once (they sync in the background). */
  public void start(Runnable onChange) {
    syncDeadline = clock.instant().plus(syncTimeout);
    nodes = started(client.nodes().runnableInformer(RESYNC_MILLIS), new Noted<>(changedNodes, onChange));
    Noted<Service> serviceChanges = new Noted<>(changedServices, onChange);
    Noted<EndpointSlice> sliceChanges = new Noted<>(changedSlices, onChange);
    if (cluster.namespaces().isEmpty()) {
      services.add(started(client.services().inAnyNamespace().runnableInformer(RESYNC_MILLIS), serviceChanges));
      slices.add(started(client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(RESYNC_MILLIS),
          sliceChanges));
    } else {
      for (String namespace : cluster.namespaces()) {
        services.add(started(client.services().inNamespace(namespace).runnableInformer(RESYNC_MILLIS), serviceChanges));
        slices.add(started(client.discovery().v1().endpointSlices().inNamespace(namespace).runnableInformer(RESYNC_MILLIS),
            sliceChanges));
      }
    }
    log.info("cluster {}: watching {} at {}", cluster.name(),
        cluster.namespaces().isEmpty() ? "all namespaces" : cluster.namespaces(), client.getMasterUrl());
  }

  /**
   * The cluster's world now: PENDING until every informer has listed once (FAILED once the sync
   * timeout has passed without that); STALE, with the last known endpoints kept, while any informer's
   * watch is down (fabric8 reconnects with a bounded backoff and re-lists). The same instance as the
   * previous look's while nothing changed, so that what is built from it can tell by identity.
   */
  public ClusterWorld current() {
    List<SharedIndexInformer<?>> informers = informers();
    boolean synced = !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
    if (!synced) {
      boolean late = syncDeadline != null && clock.instant().isAfter(syncDeadline);
      if (late && !reportedFailure) {
        reportedFailure = true;
        log.error("cluster {}: not synced within {} at {}; it is marked FAILED and serves nothing until it syncs",
            cluster.name(), syncTimeout, client.getMasterUrl());
      }
      return late ? failed : pending;
    }
    boolean watching = informers.stream().allMatch(SharedIndexInformer::isWatching);
    if (watching != wasWatching) {
      wasWatching = watching;
      if (watching) {
        log.info("cluster {}: watching again at {}", cluster.name(), client.getMasterUrl());
      } else {
        log.warn("cluster {}: lost its watch on {}; its last known endpoints keep serving (stale)",
            cluster.name(), client.getMasterUrl());
      }
    }
    SyncState state = watching ? SyncState.SYNCED : SyncState.STALE;
    boolean changed = take(changedNodes, mapping::node) | take(changedServices, mapping::service)
        | take(changedSlices, mapping::slice);
    ClusterWorld mapped = mapping.world();
    if (changed) {
      logNewRejections(mapping.rejected());
    }
    if (servedFrom != mapped || served.syncState() != state) {
      served = mapped.withSyncState(state);
      servedFrom = mapped;
    }
    return served;
  }

  /** Hands each noted change to {@code apply}; true if there was any. */
  private static <T> boolean take(Map<String, Optional<T>> changes, BiConsumer<String, T> apply) {
    boolean any = false;
    for (String key : changes.keySet()) {
      Optional<T> latest = changes.remove(key);
      if (latest != null) {
        apply.accept(key, latest.orElse(null));
        any = true;
      }
    }
    return any;
  }

  /** Each invalid object is logged once, not on every look; again only if it is fixed and then broken anew. */
  private void logNewRejections(List<KubernetesWorldMapper.Rejected> rejected) {
    for (String object : rejectionsReported.fresh(rejected.stream().map(KubernetesWorldMapper.Rejected::toString).toList())) {
      log.warn("cluster {}: left out, as the Kubernetes API server would refuse it: {}", cluster.name(), object);
    }
  }

  private List<SharedIndexInformer<?>> informers() {
    List<SharedIndexInformer<?>> all = new ArrayList<>();
    if (nodes != null) {
      all.add(nodes);
    }
    all.addAll(services);
    all.addAll(slices);
    return all;
  }

  /**
   * Starts an informer without waiting for it: an API server that is down at start-up must not stop
   * Vicinity from serving the other clusters. Every failure is retried (fabric8 backs off), before
   * the first list as well as after.
   */
  private <T> SharedIndexInformer<T> started(SharedIndexInformer<T> informer, ResourceEventHandler<T> handler) {
    informer.addEventHandler(handler);
    informer.exceptionHandler((isStarted, failure) -> {
      log.debug("cluster {}: {} failed, retrying", cluster.name(), isStarted ? "watch" : "initial list", failure);
      return true;
    });
    informer.start();
    return informer;
  }

  @Override
  public void close() {
    if (nodes != null) {
      nodes.close();
    }
    services.forEach(SharedIndexInformer::close);
    slices.forEach(SharedIndexInformer::close);
    client.close();
  }

  /** Notes an object's latest state under its namespace/name, then tells the reconciler to look. */
  private record Noted<T extends HasMetadata>(Map<String, Optional<T>> changes, Runnable onChange)
      implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T object) {
      note(object, Optional.of(object));
    }

    @Override
    public void onUpdate(T before, T after) {
      note(after, Optional.of(after));
    }

    @Override
    public void onDelete(T object, boolean deletedFinalStateUnknown) {
      note(object, Optional.empty());
    }

    private void note(T object, Optional<T> latest) {
      changes.put(Cache.metaNamespaceKeyFunc(object), latest);
      onChange.run();
    }
  }
}
