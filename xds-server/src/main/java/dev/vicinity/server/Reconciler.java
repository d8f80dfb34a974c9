package dev.vicinity.server;

import dev.vicinity.api.config.MeshTopology;
import dev.vicinity.discovery.Inputs;
import dev.vicinity.translator.Catalog;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.api.policy.PolicyStatus;
import dev.vicinity.translator.TranslationOptions;
import dev.vicinity.translator.Translator;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.SnapshotConsistencyException;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one serial writer of snapshots. Sources and streams only record what changed and signal; signals
 * arriving within the coalescing window become one pass, which translates for every node group with
 * clients and publishes the snapshots whose content changed.
 */
final class Reconciler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final SimpleCache<ClientProfile> cache;
  private final Duration window;
  private final MeshTopology meshes;
  private final TranslationOptions options;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "vicinity-reconciler");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Set<ClientProfile> groups = ConcurrentHashMap.newKeySet();
  private final Supplier<Inputs> source;
  private final Consumer<List<PolicyStatus>> statusSink;
  private volatile Inputs inputs;
  private volatile boolean ready;
  private volatile List<PolicyStatus> statuses = List.of();

  // Touched only on the reconciler thread.
  private Inputs translated;
  private Catalog catalog;

  Reconciler(
      SimpleCache<ClientProfile> cache,
      Duration window,
      MeshTopology meshes,
      TranslationOptions options,
      Supplier<Inputs> source,
      Consumer<List<PolicyStatus>> statusSink) {
    this.cache = cache;
    this.window = window;
    this.meshes = meshes;
    this.options = options;
    this.source = source;
    this.statusSink = statusSink;
    this.inputs = source.get();
  }

  /** Something changed in a source: look again, within the coalescing window. */
  void onChange() {
    signal();
  }

  /** A stream of this group has said who it is; build its snapshot if it is the first. */
  void onClient(ClientProfile group) {
    if (groups.add(group)) {
      log.info("new node group {}", group);
      signal();
    }
  }

  Inputs inputs() {
    return inputs;
  }

  MeshTopology meshes() {
    return meshes;
  }

  /** What became of each policy in the latest translation (empty before the first). */
  List<PolicyStatus> statuses() {
    return statuses;
  }

  /** True once every cluster has synced and snapshots are being served. */
  boolean ready() {
    return ready;
  }

  private void signal() {
    if (scheduled.compareAndSet(false, true)) {
      executor.schedule(this::reconcile, window.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void reconcile() {
    scheduled.set(false);
    Inputs current;
    try {
      current = source.get();
    } catch (RuntimeException e) {
      log.error("reading the sources failed; the previous snapshots keep serving", e);
      return;
    }
    inputs = current;
    try {
      if (!current.world().allSynced()) {
        // An empty load assignment would black-hole traffic: serve nothing until every cluster synced.
        return;
      }
      if (!current.equals(translated)) {
        catalog = Catalog.build(current.world(), current.policies(), meshes);
        translated = current;
        statuses = catalog.statuses();
        statusSink.accept(statuses);
      }
      for (ClientProfile group : groups) {
        publish(group);
      }
      ready = true;
    } catch (RuntimeException e) {
      log.error("translation failed; the previous snapshots keep serving", e);
    }
  }

  private void publish(ClientProfile group) {
    Snapshot snapshot;
    try {
      snapshot = Snapshots.of(Translator.translate(catalog, group, options));
    } catch (SnapshotConsistencyException e) {
      log.error("inconsistent snapshot for {} not published: {}", group, e.getMessage());
      return;
    }
    Snapshot previous = cache.getSnapshot(group);
    if (previous == null || !sameVersions(previous, snapshot)) {
      cache.setSnapshot(group, snapshot);
      log.debug("published {} for {}", snapshot.version(Resources.ResourceType.ENDPOINT), group);
    }
  }

  private static boolean sameVersions(Snapshot a, Snapshot b) {
    for (Resources.ResourceType type : Resources.ResourceType.values()) {
      if (!a.version(type).equals(b.version(type))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
