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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
  private final List<SharedIndexInformer<Service>> services = new ArrayList<>();
  private final List<SharedIndexInformer<EndpointSlice>> slices = new ArrayList<>();
  private SharedIndexInformer<Node> nodes;

  public KubernetesClusterSource(ClusterConfig cluster, KubernetesClient client) {
    this.cluster = cluster;
    this.client = client;
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
    ResourceEventHandler<Object> signal = new Signal(onChange);
    nodes = client.nodes().inform(handler(signal), RESYNC_MILLIS);
    if (cluster.namespaces().isEmpty()) {
      services.add(client.services().inAnyNamespace().inform(handler(signal), RESYNC_MILLIS));
      slices.add(client.discovery().v1().endpointSlices().inAnyNamespace().inform(handler(signal), RESYNC_MILLIS));
    } else {
      for (String namespace : cluster.namespaces()) {
        services.add(client.services().inNamespace(namespace).inform(handler(signal), RESYNC_MILLIS));
        slices.add(client.discovery().v1().endpointSlices().inNamespace(namespace).inform(handler(signal), RESYNC_MILLIS));
      }
    }
    log.info("cluster {}: watching {} at {}", cluster.name(),
        cluster.namespaces().isEmpty() ? "all namespaces" : cluster.namespaces(), client.getMasterUrl());
  }

  /** The cluster's world now: PENDING until every informer has listed once. */
  public ClusterWorld current() {
    boolean synced = nodes != null && nodes.hasSynced()
        && services.stream().allMatch(SharedIndexInformer::hasSynced)
        && slices.stream().allMatch(SharedIndexInformer::hasSynced);
    if (!synced) {
      return ClusterWorld.pending(cluster.id(), cluster.network());
    }
    return KubernetesWorldMapper.toClusterWorld(cluster, nodes.getStore().list(), all(services), all(slices))
        .withSyncState(SyncState.SYNCED);
  }

  private static <T> List<T> all(Collection<SharedIndexInformer<T>> informers) {
    List<T> items = new ArrayList<>();
    informers.forEach(informer -> items.addAll(informer.getStore().list()));
    return items;
  }

  @SuppressWarnings("unchecked")
  private static <T> ResourceEventHandler<T> handler(ResourceEventHandler<Object> signal) {
    return (ResourceEventHandler<T>) signal;
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
