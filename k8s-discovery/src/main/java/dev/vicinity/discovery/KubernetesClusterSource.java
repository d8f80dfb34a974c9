package dev.vicinity.discovery;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.SyncState;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live Kubernetes cluster: fabric8 informers on Services, {@code discovery.k8s.io/v1}
 * EndpointSlices and Nodes. Their callbacks only signal; {@link #current()} builds the cluster's world
 * from the informers' caches with the same pure mapper the file inventory uses.
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
  /** Unchanged informer objects are not checked and mapped again at every look. */
  private final MappingMemo memo = new MappingMemo();
  /**
   * Informer events so far. A handler runs after its informer's cache has changed and bumps this before the
   * reconciler is told, so a look that reads it before mapping and finds it as the previous look left it has
   * nothing new to see; an event during a mapping leaves it changed for the next look.
   */
  private final AtomicLong events = new AtomicLong();
  /** The previous look, reused while no event has come; read and written on the reconciler's thread. */
  private Look previous;
  private final ClusterWorld pending;
  private final ClusterWorld failed;

  /** What a look saw: the event count it mapped at, the mapper's world and the world served. */
  private record Look(long events, ClusterWorld mapped, ClusterWorld served) {}

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
    ResourceEventHandler<Object> signal = new Signal(() -> {
      events.incrementAndGet();
      onChange.run();
    });
    nodes = started(client.nodes().runnableInformer(RESYNC_MILLIS), signal);
    if (cluster.namespaces().isEmpty()) {
      services.add(started(client.services().inAnyNamespace().runnableInformer(RESYNC_MILLIS), signal));
      slices.add(started(client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(RESYNC_MILLIS), signal));
    } else {
      for (String namespace : cluster.namespaces()) {
        services.add(started(client.services().inNamespace(namespace).runnableInformer(RESYNC_MILLIS), signal));
        slices.add(started(client.discovery().v1().endpointSlices().inNamespace(namespace).runnableInformer(RESYNC_MILLIS), signal));
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
    long seen = events.get(); // before mapping: an event from now on is seen by the next look
    ClusterWorld mapped = previous != null && previous.events() == seen ? previous.mapped() : map();
    ClusterWorld served = previous != null && previous.mapped() == mapped && previous.served().syncState() == state
        ? previous.served()
        : mapped.withSyncState(state);
    previous = new Look(seen, mapped, served);
    return served;
  }

  /** The informers' caches mapped; the same instance as before when nothing in them changed the world. */
  private ClusterWorld map() {
    KubernetesWorldMapper.Mapped mapped =
        KubernetesWorldMapper.map(cluster, nodes.getStore().list(), all(services), all(slices), memo);
    logNewRejections(mapped.rejected());
    return mapped.world();
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

  private static <T> List<T> all(Collection<SharedIndexInformer<T>> informers) {
    List<T> items = new ArrayList<>();
    informers.forEach(informer -> items.addAll(informer.getStore().list()));
    return items;
  }

  /**
   * Starts an informer without waiting for it: an API server that is down at start-up must not stop
   * Vicinity from serving the other clusters. Every failure is retried (fabric8 backs off), before
   * the first list as well as after.
   */
  private <T> SharedIndexInformer<T> started(SharedIndexInformer<T> informer, ResourceEventHandler<Object> signal) {
    informer.addEventHandler(signal);
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

  /** Records nothing itself: the caches hold the state; the reconciler is told to look. */
  private record Signal(Runnable onChange) implements ResourceEventHandler<Object> {
    @Override
    public void onAdd(Object object) {
      onChange.run();
    }

    @Override
    public void onUpdate(Object before, Object after) {
      onChange.run();
    }

    @Override
    public void onDelete(Object object, boolean deletedFinalStateUnknown) {
      onChange.run();
    }
  }
}
