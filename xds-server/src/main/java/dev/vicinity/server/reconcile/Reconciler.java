package dev.vicinity.server.reconcile;

import dev.vicinity.api.world.Inputs;
import dev.vicinity.server.xds.Proxies;
import dev.vicinity.server.xds.SharedResources;
import dev.vicinity.server.xds.SnapshotStore;
import dev.vicinity.server.xds.XdsSnapshot;
import dev.vicinity.server.xds.XdsType;
import dev.vicinity.api.config.MeshTopology;
import dev.vicinity.api.policy.PolicyStatus;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.translator.Destination;
import dev.vicinity.translator.TranslationOptions;
import dev.vicinity.translator.Translator;
import dev.vicinity.translator.acceptance.ClientAcceptance;
import dev.vicinity.translator.catalog.Catalog;
import dev.vicinity.translator.catalog.IncrementalCatalog;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one serial writer of snapshots. Sources and streams only record what changed and signal; signals
 * arriving within the coalescing window become one pass, which translates for every node group with
 * connected proxies and publishes the snapshots whose content changed. A group whose last proxy has
 * left loses its snapshot.
 */
public final class Reconciler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final SnapshotStore store;
  private final SharedResources shared = new SharedResources();
  private final Duration window;
  private final MeshTopology meshes;
  private final TranslationOptions options;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "vicinity-reconciler");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** When the first signal of the pass now scheduled came: the start of what its pushes answer. */
  private volatile long firstSignalNanos;
  private final Set<ClientProfile> groups = ConcurrentHashMap.newKeySet();
  private final Supplier<Inputs> source;
  private final Consumer<List<PolicyStatus>> statusSink;
  private final Proxies proxies;
  private final SnapshotAcceptance acceptance;
  private final Timer translation;
  private final ChangeTimes changeTimes;
  private volatile Inputs inputs;
  private volatile boolean ready;
  private volatile List<PolicyStatus> statuses = List.of();

  // Touched only on the reconciler thread.
  private Inputs translated;
  /** The catalog and what it was built from: each pass builds the next from what changed. */
  private IncrementalCatalog built;
  /** Written on the reconciler thread only; read by the explain page. */
  private volatile Catalog catalog;
  /** Groups whose snapshot was translated from the current catalog. */
  private final Set<ClientProfile> upToDate = new HashSet<>();
  /** Groups whose snapshot was refused in this pass: translated in full at the next one, never patched. */
  private final Set<ClientProfile> heldBack = new HashSet<>();

  public Reconciler(
      SnapshotStore store,
      Duration window,
      MeshTopology meshes,
      TranslationOptions options,
      Supplier<Inputs> source,
      Consumer<List<PolicyStatus>> statusSink,
      Proxies proxies,
      MeterRegistry registry) {
    this.store = store;
    this.window = window;
    this.meshes = meshes;
    this.options = options;
    this.source = source;
    this.statusSink = statusSink;
    this.proxies = proxies;
    this.acceptance = new SnapshotAcceptance(registry, Clock.systemUTC(), ClientAcceptance::check);
    this.changeTimes = new ChangeTimes(registry, Clock.systemUTC());
    this.translation = Timer.builder("vicinity.translation")
        .description("Time to translate the world into every connected node group's resources, per pass that changed something")
        .register(registry);
    this.inputs = source.get();
    this.built = IncrementalCatalog.empty(meshes);
  }

  /** Something changed in a source: look again, within the coalescing window. */
  public void onChange() {
    signal();
  }

  /** A stream of this group has said who it is; build its snapshot if it is the first. */
  public void onClient(ClientProfile group) {
    if (groups.add(group)) {
      log.info("new node group {}", group);
      signal();
    }
  }

  public Inputs inputs() {
    return inputs;
  }

  public MeshTopology meshes() {
    return meshes;
  }

  /** The catalog the snapshots served were translated from; empty before the first translation. */
  public Optional<Catalog> catalog() {
    return Optional.ofNullable(catalog);
  }

  /** What became of each policy in the latest translation (empty before the first). */
  public List<PolicyStatus> statuses() {
    return statuses;
  }

  /** The groups whose latest snapshot was not published because their clients would refuse it. */
  public List<SnapshotAcceptance.Refusal> refusals() {
    return acceptance.refusals();
  }

  /** True once every cluster has synced and snapshots are being served. */
  public boolean ready() {
    return ready;
  }

  private void signal() {
    long now = System.nanoTime();
    if (scheduled.compareAndSet(false, true)) {
      firstSignalNanos = now;
      changeTimes.signalled();
      try {
        executor.schedule(this::reconcile, window.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // Closed: streams ending during shutdown still signal, and there is nothing left to publish.
      }
    }
  }

  private void reconcile() {
    long startNanos = firstSignalNanos;
    changeTimes.passBegins();
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
      dropGroupsWithoutProxies();
      upToDate.removeAll(heldBack);
      heldBack.clear();
      long began = System.nanoTime();
      int translatedGroups = 0;
      if (!current.equals(translated)) {
        built = built.update(current.world(), current.policies());
        Catalog next = built.catalog();
        Optional<List<Destination>> endpointOnly = catalog == null ? Optional.empty() : built.endpointOnlyChangesSince(catalog);
        catalog = next;
        translated = current;
        statuses = catalog.statuses();
        statusSink.accept(statuses);
        if (endpointOnly.isPresent()) {
          for (ClientProfile group : List.copyOf(upToDate)) {
            publishLoadAssignments(group, endpointOnly.get(), startNanos);
            translatedGroups++;
          }
        } else {
          upToDate.clear();
        }
      }
      for (ClientProfile group : groups) {
        if (upToDate.add(group)) {
          publish(group, startNanos);
          translatedGroups++;
        }
      }
      if (translatedGroups > 0) {
        translation.record(Duration.ofNanos(System.nanoTime() - began));
      }
      ready = true;
    } catch (RuntimeException e) {
      log.error("translation failed; the previous snapshots keep serving", e);
      // Some groups may lag the catalog now: the next pass translates every group in full.
      translated = null;
      upToDate.clear();
    }
  }

  /** Forgets the groups whose last proxy has left; one that comes back is translated afresh. */
  private void dropGroupsWithoutProxies() {
    for (ClientProfile group : List.copyOf(groups)) {
      if (!proxies.hasProxies(group) && store.clear(group)) {
        groups.remove(group);
        upToDate.remove(group);
        acceptance.forget(group);
        log.info("node group {} has no proxies left; its snapshot is dropped", group);
      }
    }
  }

  private void publish(ClientProfile group, long startNanos) {
    XdsSnapshot snapshot;
    try {
      snapshot = Snapshots.of(Translator.translate(catalog, group, options), shared);
    } catch (SnapshotConsistencyException e) {
      log.error("inconsistent snapshot for {} not published: {}", group, e.getMessage());
      // Not up to date: translated in full again at the next pass, never patched.
      upToDate.remove(group);
      return;
    }
    publishIfChanged(group, snapshot, startNanos);
  }

  /**
   * An endpoint-only change: the group's Clusters, Listeners and Routes stay as they are (same
   * objects, same versions), and only the load assignments of the changed clusters are built again.
   */
  private void publishLoadAssignments(ClientProfile group, List<Destination> changed, long startNanos) {
    XdsSnapshot current = store.get(group);
    if (current == null) {
      upToDate.remove(group);
      return;
    }
    List<ClusterLoadAssignment> rebuilt = Translator.loadAssignments(catalog, group, changed);
    if (!rebuilt.isEmpty()) {
      publishIfChanged(group, current.withLoadAssignments(rebuilt, shared), startNanos);
    }
  }

  private void publishIfChanged(ClientProfile group, XdsSnapshot snapshot, long startNanos) {
    XdsSnapshot previous = store.get(group);
    Map<XdsType, String> changed = previous == null ? Map.of() : previous.changedVersions(snapshot);
    if (previous != null && changed.isEmpty()) {
      acceptance.forget(group); // what is served is current: nothing is held back any more
      return;
    }
    if (!acceptance.accepts(group, previous, snapshot)) {
      heldBack.add(group); // the last good snapshot keeps serving
      return;
    }
    // Told before the push, so that no ACK can come before the change is awaited.
    if (!changed.isEmpty()) {
      proxies.published(group, changed, startNanos);
    }
    store.set(group, snapshot);
    changeTimes.published();
    log.debug("published {} for {}", snapshot.version(XdsType.ENDPOINT), group);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
