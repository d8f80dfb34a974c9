package dev.vicinity.inventory.files;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.policy.Policy;
import dev.vicinity.api.policy.PolicyReader;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.world.ClusterId;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.world.Inputs;
import dev.vicinity.api.world.SyncState;
import dev.vicinity.api.world.World;
import dev.vicinity.api.yaml.ConfigError;
import dev.vicinity.api.yaml.YamlLimits;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file inventory: the world of every file cluster (one without an API server) from
 * {@code clusters/<name>/**}, and the policies from {@code policies/**}. Changes are found by a look at
 * file names, sizes, modification times and identities: within milliseconds of a file event in a watched
 * directory, at the files the events named (or at every file, when an event says the directory itself
 * changed or events were lost), and at every file by a poll that works on every file system (file events
 * miss writes on network mounts and edits of link targets outside the tree): every poll interval while
 * some directory has no events, {@link #BACKSTOP_POLLS} intervals apart while all have. Only changed files are read
 * again, so an event and the poll that find the same change read it once, and a cluster (or the policies)
 * whose files did not change is not gone through again.
 *
 * <p>What a bad file cannot take away: a file that cannot be read or decoded, or a document that breaks,
 * keeps its last good objects serving; an object defined twice is taken from the first file in path
 * order; a file still being written (it changed since the previous look) is read only once it stands
 * still, unless it was renamed into place, which is atomic; a cluster whose directory disappears turns
 * STALE and keeps its last endpoints.
 */
public final class FileSource implements AutoCloseable {
  public static final String CLUSTERS_DIRECTORY = "clusters";
  public static final String POLICIES_DIRECTORY = "policies";

  private static final Logger log = LoggerFactory.getLogger(FileSource.class);

  /**
   * How soon a file found changing is looked at again: it is applied once it stood still that long. Short,
   * because the look follows an event; files renamed into place do not wait at all.
   */
  static final Duration SECOND_LOOK = Duration.ofMillis(30);

  /**
   * While file events cover every directory, the poll looks at every file only this many poll intervals
   * apart: it is a backstop for what events cannot see (writes from other machines on a network file
   * system, edits of a link's target outside the tree), and a look at every file costs a stat of each.
   */
  static final int BACKSTOP_POLLS = 10;

  /** Reads a file's text: the one place file contents are read, so that tests can count reads. */
  @FunctionalInterface
  interface ContentReader {
    ConfigFileText read(Path file, String source, YamlLimits limits);
  }

  /** Whether a changed file is read at once or only once it has stopped changing. */
  private enum Reading { AS_FOUND, SETTLED_ONLY }

  /** What a directory's files gave, read at the stamps of one look, and its errors. */
  private record DirectoryRead<T>(T result, List<ConfigError> errors) {
    DirectoryRead {
      errors = List.copyOf(errors);
    }

    /** The result, its errors added to the look's. */
    T addTo(List<ConfigError> allErrors) {
      allErrors.addAll(errors);
      return result;
    }
  }

  private final Path root;
  private final VicinityConfig config;
  private final YamlLimits limits = YamlLimits.DEFAULT;
  private final ContentReader contents;
  private final LastGood<Policy> policies = new LastGood<>(p -> p.kind() + "/" + p.ref());
  private final LastGood<Object> objects = new LastGood<>(object -> FileClusterObjects.identity((HasMetadata) object));
  private final Map<Path, ReadFile<Policy>> policyFiles = new HashMap<>();
  private final Map<Path, ReadFile<Object>> clusterFiles = new HashMap<>();
  /** The last world read from each cluster's directory: what keeps serving when the directory goes. */
  private final Map<ClusterId, ClusterWorld> lastWorlds = new HashMap<>();
  /**
   * Per cluster, its objects file by file, mapped object by object: a file read again costs its objects, and
   * objects equal to those read before keep their instances (and so their mapping).
   */
  private final Map<ClusterId, FileClusterObjects> clusterObjects = new HashMap<>();
  /** What each cluster's files gave at the last look that read them all at their current stamps. */
  private final Map<ClusterId, DirectoryRead<ClusterWorld>> clusterReads = new HashMap<>();
  /** Clusters whose objects still include those of files found gone, until a second look finds them still gone. */
  private final Set<ClusterId> keepingGoneFiles = new HashSet<>();
  /** Clusters whose directory appeared and has not yet been found standing still. */
  private final Set<ClusterId> filling = new HashSet<>();
  /** The same for the policies. */
  private DirectoryRead<List<Policy>> policyRead;
  /** Paths file events named since a look last took them, and whether an event asked for a look at every file. */
  private final Set<Path> touched = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean lookEverywhere = new AtomicBoolean(true);
  private final AtomicLong fullLooks = new AtomicLong();
  /** When a look last went over every file; read and written on the looking thread. */
  private long lastFullLookNanos = System.nanoTime();
  /** Files found changing by the last look: the next one stats them again, events or not. */
  private final Set<Path> unsettled = new HashSet<>();
  /** Files the last look could not read: the next one tries them again. */
  private final Set<Path> unreadable = new HashSet<>();
  private ScheduledExecutorService looker;
  private DirectoryEvents events;
  private Consumer<Inputs> onChange;
  /** A look is queued that has not started: later events are covered by it. */
  private final AtomicBoolean lookQueued = new AtomicBoolean();
  private ScheduledFuture<?> secondLook;
  private Look previousLook = Look.NOTHING;
  /**
   * How many changed files or new cluster directories the current look found waiting for a second look (to
   * be read once they stand still), and how many files it could not read (tried again at every look).
   * Counts, so that a pass over one directory tells what it found by comparing them before and after.
   */
  private int unsettledFound;
  private int unreadableFound;
  private Inputs delivered;
  private Set<String> reported = Set.of();

  public FileSource(Path root, VicinityConfig config) {
    this(root, config, ConfigFileText::read);
  }

  FileSource(Path root, VicinityConfig config, ContentReader contents) {
    this.root = root;
    this.config = config;
    this.contents = contents;
  }

  /**
   * Reads the configuration directory once, as it is, and logs nothing: for {@code validate} and other
   * one-shot readers, which print the errors themselves.
   */
  public static Inputs readOnce(Path root, VicinityConfig config) {
    try (FileSource source = new FileSource(root, config)) {
      return source.read(Reading.AS_FOUND);
    }
  }

  /**
   * Reads everything now, as it is, and logs new errors. Not thread-safe: call it before {@link #watch}.
   */
  public Inputs load() {
    Inputs inputs = read(Reading.AS_FOUND);
    logNewErrors(inputs.errors());
    return inputs;
  }

  /**
   * One look at the files: the inputs, if a change could be applied. A file that changed since the
   * previous look is applied at the next look that finds it unchanged (or at once, if it was renamed into
   * place). {@link #watch} calls this on file events, {@link #SECOND_LOOK} after a look that found a file
   * changing, and periodically; tests call it by hand.
   */
  Optional<Inputs> poll() {
    lookEverywhere.set(true);
    return lookAtChanges();
  }

  /** A look at what file events named since the last look (at every file, if they asked for that). */
  private Optional<Inputs> lookAtChanges() {
    Look before = previousLook;
    Set<Path> paths = new HashSet<>(unsettled);
    for (Path path : touched) {
      touched.remove(path);
      paths.add(path);
    }
    boolean everywhere = lookEverywhere.getAndSet(false) || before == Look.NOTHING;
    Optional<Look.Restat> restat = everywhere ? Optional.empty() : before.restat(paths);
    Look now = restat.map(Look.Restat::look).orElseGet(this::look);
    // A look at named files changed nothing unless some stamp changed; a full one is compared.
    boolean unchanged = restat.isPresent() ? restat.get().restamped().isEmpty() : now.equals(before);
    if (unchanged && unsettledFound == 0 && unreadableFound == 0) {
      return Optional.empty();
    }
    // After a look at named files, only those that changed and those the previous look could not read yet can
    // differ from what was read; after a full look, any file can.
    Optional<Set<Path>> suspects = restat.map(r -> {
      Set<Path> files = new HashSet<>(r.restamped());
      files.addAll(unsettled);
      files.addAll(unreadable);
      return files;
    });
    Inputs inputs = assemble(now, before, Reading.SETTLED_ONLY, suspects);
    previousLook = now;
    if (inputs.equals(delivered)) {
      return Optional.empty();
    }
    delivered = inputs;
    logNewErrors(inputs.errors());
    return Optional.of(inputs);
  }

  /**
   * Hands freshly read inputs to {@code onChange} whenever the files change: looks within milliseconds of
   * a file event in a watched directory (the root, {@code clusters/<name>/**} and {@code policies/**},
   * new directories included), and every {@code pollInterval} for what events miss. Call {@link #load}
   * for the initial state first; this returns once the directories are watched and looked at again. All
   * looks run on one thread, one after the other.
   */
  public synchronized void watch(Duration pollInterval, Consumer<Inputs> onChange) {
    if (looker != null) {
      throw new IllegalStateException("already watching " + root);
    }
    this.onChange = onChange;
    looker = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "vicinity-file-source");
      thread.setDaemon(true);
      return thread;
    });
    events = DirectoryEvents.start(root.getFileSystem(), this::touched, pollInterval);
    // Watch what load() saw, then look: a change made in between is found by that look, later ones by events.
    Future<?> first = looker.submit(() -> {
      events.watchOnly(watchedDirectories());
      lookAndDeliver();
    });
    awaitFirstLook(first);
    long backstopNanos = pollInterval.toNanos() * BACKSTOP_POLLS;
    looker.scheduleWithFixedDelay(() -> {
      if (!events.watchesEverything() || System.nanoTime() - lastFullLookNanos >= backstopNanos) {
        lookEverywhere.set(true); // what events missed
        lookUnlessSettling();
      }
    }, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Returns once the directories are watched and looked at: every later change raises an event. */
  private void awaitFirstLook(Future<?> first) {
    try {
      first.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      log.error("watching {} failed; changes are found by the poll", root, e.getCause());
    }
  }

  /**
   * Stops file events as a failed or exhausted watch service would: from now on only the poll finds
   * changes. For tests of that backstop.
   */
  synchronized void loseEvents() {
    events.close();
  }

  @Override
  public synchronized void close() {
    if (looker != null) {
      looker.shutdownNow();
      events.close();
    }
  }

  private void touched(DirectoryEvents.Touched touched) {
    if (touched.anything()) {
      lookEverywhere.set(true);
    } else {
      this.touched.addAll(touched.paths());
    }
    queueLook();
  }

  private void queueLook() {
    if (lookQueued.compareAndSet(false, true)) {
      try {
        looker.execute(this::lookUnlessSettling);
      } catch (RejectedExecutionException e) {
        // closed: nothing more to look at
      }
    }
  }

  /**
   * A look for an event or the poll, unless a second look is due: then that one covers it, so that looks
   * at a file being written are {@link #SECOND_LOOK} apart and "unchanged since the previous look" means
   * it stood still that long.
   */
  private void lookUnlessSettling() {
    lookQueued.set(false);
    if (secondLook == null) {
      lookAndDeliver();
    }
  }

  private void secondLook() {
    secondLook = null;
    lookAndDeliver();
  }

  private void lookAndDeliver() {
    try {
      lookAtChanges().ifPresent(onChange);
    } catch (RuntimeException e) {
      log.error("reading {} failed; the last good configuration keeps serving", root, e);
    }
    if (events.watchOnly(watchedDirectories())) {
      lookEverywhere.set(true); // what happened in a new directory before it was watched
      queueLook();
    }
    if (unsettledFound > 0 && secondLook == null) {
      secondLook = looker.schedule(this::secondLook, SECOND_LOOK.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * The root (where {@code clusters/} and {@code policies/} appear), {@code clusters/} (where cluster
   * directories appear) and every directory the previous look walked.
   */
  private Set<Path> watchedDirectories() {
    Set<Path> directories = new HashSet<>();
    directories.add(root);
    Path clusters = root.resolve(CLUSTERS_DIRECTORY);
    if (Files.isDirectory(clusters)) {
      directories.add(clusters);
    }
    previousLook.listings().values().forEach(listing -> directories.addAll(listing.directories()));
    return directories;
  }

  private Inputs read(Reading reading) {
    Look now = look();
    Inputs inputs = assemble(now, previousLook, reading, Optional.empty());
    previousLook = now;
    delivered = inputs;
    return inputs;
  }

  /** How many looks went over every file (the others stat'ed only what file events named); for tests. */
  long fullLooks() {
    return fullLooks.get();
  }

  /** What the directories hold now, without reading any file. */
  private Look look() {
    fullLooks.incrementAndGet();
    lastFullLookNanos = System.nanoTime();
    Map<Path, ConfigTree.Listing> listings = new HashMap<>();
    List<Path> directories = new ArrayList<>();
    directories.add(root.resolve(POLICIES_DIRECTORY));
    config.clusters().stream().filter(c -> !c.live())
        .forEach(c -> directories.add(root.resolve(CLUSTERS_DIRECTORY).resolve(c.name())));
    Map<Path, FileStamp> stamps = new HashMap<>();
    for (Path directory : directories) {
      if (Files.isDirectory(directory)) {
        ConfigTree.Listing listing = ConfigTree.list(directory, this::display,
            (file, attributes) -> FileStamp.of(attributes).ifPresent(stamp -> stamps.put(file, stamp)));
        listings.put(directory, listing);
      }
    }
    return new Look(Map.copyOf(listings), Collections.unmodifiableMap(stamps));
  }

  /**
   * The inputs of every file cluster and the policies at look {@code now}; {@code suspects}, if known, are
   * the only files that may not have been read at their stamps in {@code now}.
   */
  private Inputs assemble(Look now, Look before, Reading reading, Optional<Set<Path>> suspects) {
    unsettledFound = 0;
    unreadableFound = 0;
    unsettled.clear();
    unreadable.clear();
    List<ConfigError> errors = new ArrayList<>();
    List<ClusterWorld> clusters = new ArrayList<>();
    for (ClusterConfig cluster : config.clusters()) {
      if (!cluster.live()) {
        clusters.add(loadCluster(cluster, new LookPair(now, before, suspects), reading, errors));
      }
    }
    List<Policy> loaded = loadPolicies(new LookPair(now, before, suspects), reading, errors);
    now.listings().values().forEach(listing -> errors.addAll(listing.errors()));
    return new Inputs(World.of(clusters), PolicySet.of(loaded), errors);
  }

  /** The policies of {@code policies/**}: what the last look gave, if none of their files changed since. */
  private List<Policy> loadPolicies(LookPair looks, Reading reading, List<ConfigError> errors) {
    Look now = looks.now();
    Look before = looks.before();
    Path policyDirectory = root.resolve(POLICIES_DIRECTORY);
    if (reusable(policyRead, policyDirectory, looks, reading)) {
      return policyRead.addTo(errors);
    }
    int foundBefore = unsettledFound + unreadableFound;
    List<Policy> loaded = new ArrayList<>();
    List<ConfigError> directoryErrors = new ArrayList<>();
    Map<String, String> firstSource = new LinkedHashMap<>();
    Set<Path> vanishingPolicies = vanishing(policyDirectory, now, before, reading, policyFiles);
    for (Path file : filesOf(policyDirectory, now, policyFiles, vanishingPolicies)) {
      Optional<ReadFile<Policy>> read = current(file, policyDirectory, now, before, reading, policyFiles,
          vanishingPolicies, this::readPolicies);
      if (read.isEmpty()) {
        continue;
      }
      String source = display(file);
      directoryErrors.addAll(read.get().errors());
      Map<String, Integer> seenInFile = new HashMap<>();
      for (Policy policy : policies.update(source, read.get().items(), !read.get().errors().isEmpty())) {
        String id = policy.kind().kindName() + " " + policy.ref();
        int occurrence = seenInFile.merge(id, 1, Integer::sum) - 1;
        String first = firstSource.putIfAbsent(id, source);
        if (first == null) {
          loaded.add(policy);
        } else {
          directoryErrors.add(new ConfigError(source,
              nameLine(file, source, policy.kind().kindName(), policy.ref().namespace(), policy.ref().name(), occurrence),
              "metadata.name", id + " is defined more than once; the one in " + first + " is used"));
        }
      }
    }
    forgetFilesNotIn(now, policyFiles, policies, policyDirectory, vanishingPolicies);
    DirectoryRead<List<Policy>> read = new DirectoryRead<>(List.copyOf(loaded), directoryErrors);
    policyRead = unsettledFound + unreadableFound == foundBefore ? read : null;
    return read.addTo(errors);
  }

  /** True if {@code last} was read at stamps that every file of {@code directory} still has. */
  private static boolean reusable(DirectoryRead<?> last, Path directory, LookPair looks, Reading reading) {
    return last != null && reading == Reading.SETTLED_ONLY && looks.unchanged(directory);
  }

  /**
   * Two successive looks, and the files that may differ between them if that is known (the second looked at
   * named files only).
   */
  private record LookPair(Look now, Look before, Optional<Set<Path>> suspects) {
    /**
     * True if {@code directory} was listed alike by both looks and each of its files has the stamp it had: a
     * read of it at the earlier look that was current then is current now.
     */
    boolean unchanged(Path directory) {
      ConfigTree.Listing listing = now.listings().get(directory);
      if (listing == null || !listing.equals(before.listings().get(directory))) {
        return false;
      }
      if (suspects.isPresent()) {
        return suspects.get().stream().noneMatch(file -> file.startsWith(directory));
      }
      for (Path file : listing.files()) {
        if (!Objects.equals(now.stamps().get(file), before.stamps().get(file))) {
          return false;
        }
      }
      return true;
    }
  }

  private ClusterWorld loadCluster(ClusterConfig cluster, LookPair looks, Reading reading, List<ConfigError> errors) {
    Look now = looks.now();
    Look before = looks.before();
    Path directory = root.resolve(CLUSTERS_DIRECTORY).resolve(cluster.name());
    // A directory that has just appeared may still be filling: it counts from a later look that finds every
    // file in it standing still, so that a cluster never syncs (or comes back) half read.
    boolean appearing = reading == Reading.SETTLED_ONLY && now.listings().containsKey(directory)
        && !before.listings().containsKey(directory);
    if (appearing) {
      unsettledFound++;
      filling.add(cluster.id());
      lookEverywhere.set(true); // its files are looked at again, all of them
    }
    if (!now.listings().containsKey(directory) || appearing) {
      forgetFilesNotIn(now, clusterFiles, objects, directory, Set.of());
      clusterReads.remove(cluster.id()); // when it is back, its files are read as new
      clusterObjects.remove(cluster.id());
      keepingGoneFiles.remove(cluster.id());
      return withoutDirectory(cluster, directory, errors);
    }
    DirectoryRead<ClusterWorld> last = clusterReads.get(cluster.id());
    if (reusable(last, directory, looks, reading)) {
      return last.addTo(errors);
    }
    int unsettledBefore = unsettledFound;
    int foundBefore = unsettledFound + unreadableFound;
    FileClusterObjects held = clusterObjects.get(cluster.id());
    // Listed alike since the previous look, which left every file's objects held: only files whose stamp is not
    // the one they were read at need a look. Otherwise every file does (some may be gone or hidden now).
    boolean listedAlike = held != null && reading == Reading.SETTLED_ONLY && !keepingGoneFiles.contains(cluster.id())
        && now.listings().get(directory).equals(before.listings().get(directory));
    if (held == null) {
      held = new FileClusterObjects(cluster);
      clusterObjects.put(cluster.id(), held);
    }
    Set<Path> vanishing = listedAlike ? Set.of() : vanishing(directory, now, before, reading, clusterFiles);
    if (vanishing.isEmpty()) {
      keepingGoneFiles.remove(cluster.id());
    } else {
      keepingGoneFiles.add(cluster.id()); // the next look must find them still gone, and forget them
    }
    Collection<Path> toRead = listedAlike ? notReadAtTheirStamps(directory, looks)
        : filesOf(directory, now, clusterFiles, vanishing);
    for (Path file : toRead) {
      Optional<ReadFile<Object>> read = current(file, directory, now, before, reading, clusterFiles, vanishing,
          this::readClusterFile);
      if (read.isPresent()) {
        ReadFile<Object> content = read.get();
        held.put(file, objects.update(display(file), content.items(), !content.errors().isEmpty()), content.errors());
      }
    }
    if (!listedAlike) {
      forgetFilesNotIn(now, clusterFiles, objects, directory, vanishing);
      FileClusterObjects holding = held;
      List.copyOf(held.files()).stream().filter(file -> !clusterFiles.containsKey(file)).forEach(holding::remove);
    }
    if (unsettledFound > unsettledBefore && filling.contains(cluster.id())) {
      return withoutDirectory(cluster, directory, errors); // still filling: some file came or changed since
    }
    filling.remove(cluster.id());
    ClusterWorld world = held.world();
    lastWorlds.put(cluster.id(), world);
    List<ConfigError> directoryErrors = held.errors(duplicate -> duplicateError(cluster, duplicate));
    DirectoryRead<ClusterWorld> read = new DirectoryRead<>(world, directoryErrors);
    if (unsettledFound + unreadableFound == foundBefore) {
      clusterReads.put(cluster.id(), read);
    } else {
      clusterReads.remove(cluster.id()); // some file is not read at its current stamp: go through them again
    }
    return read.addTo(errors);
  }

  /** The listed files of {@code directory} not read at the stamp they have now (or not read at all, or unreadable). */
  private List<Path> notReadAtTheirStamps(Path directory, LookPair looks) {
    Look now = looks.now();
    List<Path> files = new ArrayList<>();
    Collection<Path> candidates = looks.suspects()
        .<Collection<Path>>map(suspects -> suspects.stream()
            .filter(file -> file.startsWith(directory) && now.stamps().containsKey(file)).toList())
        .orElseGet(() -> now.listings().get(directory).files());
    for (Path file : candidates) {
      ReadFile<Object> cached = clusterFiles.get(file);
      if (cached == null || cached.ioFailure().isPresent() || !Objects.equals(cached.stamp(), now.stamps().get(file))) {
        files.add(file);
      }
    }
    return files;
  }

  private ConfigError duplicateError(ClusterConfig cluster, FileClusterObjects.Duplicate duplicate) {
    HasMetadata resource = duplicate.object();
    String source = display(duplicate.file());
    String namespace = resource.getMetadata().getNamespace();
    String name = (namespace == null ? "" : namespace + "/") + resource.getMetadata().getName();
    return new ConfigError(source,
        nameLine(duplicate.file(), source, resource.getKind(), namespace, resource.getMetadata().getName(),
            duplicate.occurrence()),
        "metadata.name", resource.getKind() + " " + name + " is defined more than once in cluster '"
            + cluster.name() + "'; the one in " + display(duplicate.usedFrom()) + " is used");
  }

  /**
   * A file cluster whose directory is not there (or not yet whole): STALE with its last endpoints if it was
   * read before, else unsynced.
   */
  private ClusterWorld withoutDirectory(ClusterConfig cluster, Path directory, List<ConfigError> errors) {
    ClusterWorld last = lastWorlds.get(cluster.id());
    if (last != null) {
      // As a live cluster whose API server went away: synced once, so its last endpoints keep serving.
      errors.add(new ConfigError(display(directory), 0, "", "the directory of cluster '" + cluster.name()
          + "' is gone; the cluster is STALE and its last endpoints keep serving until the directory is back"));
      return last.withSyncState(SyncState.STALE);
    }
    errors.add(new ConfigError(display(directory), 0, "",
        "cluster '" + cluster.name() + "' has no directory of Node, Service and EndpointSlice files;"
            + " it stays unsynced (and the server not ready) until the directory exists"));
    return ClusterWorld.pending(cluster.id(), cluster.network());
  }

  /**
   * The files of {@code directory} now, with those last read below a directory that cannot be listed and
   * those {@link #vanishing}.
   */
  private static <T> List<Path> filesOf(Path directory, Look now, Map<Path, ReadFile<T>> cache, Set<Path> vanishing) {
    ConfigTree.Listing listing = now.listings().get(directory);
    if (listing == null) {
      return List.of();
    }
    TreeSet<Path> files = new TreeSet<>(listing.files());
    cache.keySet().stream().filter(file -> file.startsWith(directory) && listing.hides(file)).forEach(files::add);
    files.addAll(vanishing);
    return List.copyOf(files);
  }

  /**
   * Files read before that are gone since the previous look: they keep serving until a second look finds
   * them still gone, because a deletion may be half done ({@code rm -r} of a cluster's directory removes
   * its files before the directory, and the cluster must turn STALE with its endpoints, not empty).
   */
  private static <T> Set<Path> vanishing(Path directory, Look now, Look before, Reading reading,
      Map<Path, ReadFile<T>> cache) {
    ConfigTree.Listing listing = now.listings().get(directory);
    if (reading != Reading.SETTLED_ONLY || listing == null) {
      return Set.of();
    }
    Set<Path> listed = new HashSet<>(listing.files());
    Set<Path> vanishing = new HashSet<>();
    for (Path file : cache.keySet()) {
      if (file.startsWith(directory) && before.stamps().containsKey(file) && !listed.contains(file)
          && !listing.hides(file)) {
        vanishing.add(file);
      }
    }
    return vanishing;
  }

  /** Forgets what was read from the files of {@code directory} that are gone (and not {@link #vanishing}). */
  private <T> void forgetFilesNotIn(Look now, Map<Path, ReadFile<T>> cache, LastGood<T> lastGood, Path directory,
      Set<Path> vanishing) {
    ConfigTree.Listing listing = now.listings().get(directory);
    // A set, once per call: the listing is a list, and a cluster directory can hold thousands of files.
    Set<Path> listed = listing == null ? Set.of() : new HashSet<>(listing.files());
    cache.keySet().removeIf(file -> {
      boolean gone = file.startsWith(directory) && !vanishing.contains(file)
          && (listing == null || (!listed.contains(file) && !listing.hides(file)));
      if (gone) {
        lastGood.forget(display(file));
      }
      return gone;
    });
  }

  /**
   * The file's content to use now: what was read before if the file is unchanged (or changing still,
   * vanishing, or hidden behind an unreadable directory); else read afresh. Empty for a new file still
   * being written.
   */
  private <T> Optional<ReadFile<T>> current(Path file, Path directory, Look now, Look before, Reading reading,
      Map<Path, ReadFile<T>> cache, Set<Path> vanishing, BiFunction<Path, FileStamp, ReadFile<T>> reader) {
    ReadFile<T> cached = cache.get(file);
    FileStamp stamp = now.stamps().get(file);
    if (vanishing.contains(file)) {
      unsettledFound++;
      lookEverywhere.set(true); // to find it still gone, or back
      return Optional.of(cached);
    }
    boolean hidden = cached != null && now.listings().get(directory).hides(file);
    if (hidden || (cached != null && stamp != null && stamp.equals(cached.stamp()) && cached.ioFailure().isEmpty())) {
      return Optional.of(cached);
    }
    if (reading == Reading.SETTLED_ONLY && stamp != null && !settled(file, stamp, before, cached)) {
      unsettledFound++;
      unsettled.add(file);
      return Optional.ofNullable(cached);
    }
    ReadFile<T> read = reader.apply(file, stamp);
    if (cached != null) {
      read = read.keepingEqualItemsOf(cached);
    }
    if (read.ioFailure().isPresent()) {
      unreadableFound++; // permissions may be fixed without the file's size or time changing
      unreadable.add(file);
    }
    cache.put(file, read);
    return Optional.of(read);
  }

  /** Unchanged since the previous look, or renamed into place (which is atomic): safe to read. */
  private static <T> boolean settled(Path file, FileStamp stamp, Look before, ReadFile<T> cached) {
    return stamp.equals(before.stamps().get(file))
        || (cached != null && cached.stamp() != null && stamp.replaced(cached.stamp()));
  }

  private ReadFile<Policy> readPolicies(Path file, FileStamp stamp) {
    return readFile(file, stamp, (source, text) -> {
      PolicyReader.Result result = PolicyReader.read(source, text);
      return new Parsed<>(result.policies(), result.errors());
    });
  }

  private ReadFile<Object> readClusterFile(Path file, FileStamp stamp) {
    return readFile(file, stamp, (source, text) -> {
      ClusterFileReader.Result result = ClusterFileReader.read(source, text);
      return new Parsed<>(result.objects().all().toList(), result.errors());
    });
  }

  /** What a reader made of one file's text. */
  private record Parsed<T>(List<T> items, List<ConfigError> errors) {}

  private <T> ReadFile<T> readFile(Path file, FileStamp stamp, BiFunction<String, String, Parsed<T>> reader) {
    String source = display(file);
    ConfigFileText text = contents.read(file, source, limits);
    if (text.text().isEmpty()) {
      return ReadFile.failed(stamp, text);
    }
    try {
      Parsed<T> parsed = reader.apply(source, text.text().get());
      return new ReadFile<>(stamp, parsed.items(), parsed.errors(), Optional.empty());
    } catch (RuntimeException e) {
      return internalError(stamp, source, e);
    }
  }

  /** A reader's bug stays with the file that triggered it: the other files still apply. */
  private static <T> ReadFile<T> internalError(FileStamp stamp, String source, RuntimeException e) {
    log.error("reading {} failed unexpectedly; what was last read from it keeps serving", source, e);
    return new ReadFile<>(stamp, List.of(), List.of(new ConfigError(source, 0, "",
        "could not be read because of an internal error (see the server log); what was last read from it keeps serving")),
        Optional.empty());
  }

  /** The line of the {@code occurrence}-th definition of an object in a file, or 0 if it cannot be told. */
  private int nameLine(Path file, String source, String kind, String namespace, String name, int occurrence) {
    ConfigFileText text = ConfigFileText.read(file, source, limits);
    if (text.text().isEmpty()) {
      return 0;
    }
    List<Integer> lines = NameLines.of(source, text.text().get(), kind, namespace, name);
    return occurrence < lines.size() ? lines.get(occurrence) : 0;
  }

  private void logNewErrors(List<ConfigError> errors) {
    Set<String> now = new HashSet<>();
    errors.forEach(e -> now.add(e.toString()));
    errors.stream().map(ConfigError::toString).filter(e -> !reported.contains(e)).sorted()
        .forEach(e -> log.warn("{}", e));
    reported = now;
  }

  private String display(Path file) {
    return root.relativize(file).toString();
  }

  /**
   * Every listed directory and the stamp of every file in it: equal looks mean nothing changed. Both maps are
   * unmodifiable; the stamps are a hash map, which compares a path's hash before the path (thousands of
   * look-ups per look).
   */
  private record Look(Map<Path, ConfigTree.Listing> listings, Map<Path, FileStamp> stamps) {
    static final Look NOTHING = new Look(Map.of(), Map.of());

    /**
     * This look with {@code paths}, which file events named, looked at again: the listed files among them
     * stat'ed afresh; files no listing takes (not YAML, or hidden, such as a writer's temporary file before it
     * is renamed into place) passed over. Empty when the listings may have changed (a listed file gone, a new
     * YAML file, a directory, a hidden link such as the {@code ..data} of a ConfigMap volume): then every file
     * must be looked at.
     */
    Optional<Restat> restat(Set<Path> paths) {
      Map<Path, FileStamp> changed = new HashMap<>();
      for (Path path : paths) {
        FileStamp before = stamps.get(path);
        if (before != null) {
          Optional<FileStamp> stamp = FileStamp.of(path);
          if (stamp.isEmpty()) {
            return Optional.empty();
          }
          if (!stamp.get().equals(before)) {
            changed.put(path, stamp.get());
          }
        } else if (mayChangeListings(path)) {
          return Optional.empty();
        }
      }
      if (changed.isEmpty()) {
        return Optional.of(new Restat(this, Set.of()));
      }
      Map<Path, FileStamp> restamped = new HashMap<>(stamps);
      restamped.putAll(changed);
      return Optional.of(new Restat(new Look(listings, Collections.unmodifiableMap(restamped)), changed.keySet()));
    }

    /** A look at named files: the look it gives, and the files whose stamps changed. */
    record Restat(Look look, Set<Path> restamped) {}

    private boolean mayChangeListings(Path path) {
      String name = path.getFileName() == null ? "" : path.getFileName().toString();
      boolean hidden = name.startsWith(".");
      return Files.isDirectory(path) || (hidden && Files.isSymbolicLink(path)) || (!hidden && ConfigTree.isYaml(name))
          || listings.values().stream().anyMatch(listing -> listing.directories().contains(path));
    }
  }

  /** What one file yielded when it had {@code stamp}; an I/O failure is tried again at the next poll. */
  private record ReadFile<T>(FileStamp stamp, List<T> items, List<ConfigError> errors, Optional<ConfigError> ioFailure) {
    ReadFile {
      items = List.copyOf(items);
      errors = List.copyOf(errors);
    }

    /**
     * This read with each item equal to one read before replaced by that earlier instance: an edit of one
     * object in a file of many leaves the others the objects they were, which are then not mapped again.
     */
    ReadFile<T> keepingEqualItemsOf(ReadFile<T> before) {
      if (before.items().isEmpty() || items.isEmpty()) {
        return this;
      }
      Map<T, T> earlier = new HashMap<>();
      before.items().forEach(item -> earlier.putIfAbsent(item, item));
      return new ReadFile<>(stamp, items.stream().map(item -> earlier.getOrDefault(item, item)).toList(), errors,
          ioFailure);
    }

    static <T> ReadFile<T> failed(FileStamp stamp, ConfigFileText text) {
      ConfigError error = text.ioFailure().or(text::invalid).orElseThrow();
      return new ReadFile<>(stamp, List.of(), List.of(error), text.ioFailure());
    }
  }
}
