package dev.vicinity.inventory.files;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operating system's file events (inotify on Linux) for the directories of the configuration tree.
 * An event names the paths to look at again; a lost event ({@code OVERFLOW}) asks for a look at every file
 * (names, sizes, times and identities), so it costs nothing but that look. A directory that cannot be
 * watched is left to the poll, and said once.
 */
final class DirectoryEvents implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DirectoryEvents.class);
  private static final WatchEvent.Kind<?>[] KINDS = {StandardWatchEventKinds.ENTRY_CREATE,
      StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY};

  private final Optional<WatchService> service;
  private final Consumer<Touched> lookNeeded;
  private final Duration pollInterval;
  /** Touched only by the thread that looks (through {@link #watchOnly}). */
  private final Map<Path, WatchKey> registrations = new HashMap<>();
  private final Set<Path> reportedUnwatchable = new HashSet<>();
  private final AtomicLong overflows = new AtomicLong();
  private volatile boolean closed;
  private final Thread thread;

  /** What a batch of events touched: these paths, or (events were lost) anything. */
  record Touched(Set<Path> paths, boolean anything) {
    static final Touched ANYTHING = new Touched(Set.of(), true);

    Touched {
      paths = Set.copyOf(paths);
    }
  }

  private DirectoryEvents(Optional<WatchService> service, Consumer<Touched> lookNeeded, Duration pollInterval) {
    this.service = service;
    this.lookNeeded = lookNeeded;
    this.pollInterval = pollInterval;
    this.thread = new Thread(this::deliver, "vicinity-file-events");
    thread.setDaemon(true);
  }

  /**
   * Starts a thread that calls {@code lookNeeded} with every batch of events in a watched directory;
   * without a watch service (none left, or none on this file system), everything is left to the poll.
   */
  static DirectoryEvents start(FileSystem fileSystem, Consumer<Touched> lookNeeded, Duration pollInterval) {
    Optional<WatchService> service;
    try {
      service = Optional.of(fileSystem.newWatchService());
    } catch (IOException | UnsupportedOperationException e) {
      log.warn("file events are not available ({}); configuration changes are found by the poll every {}",
          e.getMessage(), pollInterval);
      service = Optional.empty();
    }
    DirectoryEvents events = new DirectoryEvents(service, lookNeeded, pollInterval);
    if (service.isPresent()) {
      events.thread.start();
    }
    return events;
  }

  /**
   * Watches exactly {@code directories} from now on. True if one of them is newly watched: what happened
   * in it before is for the caller's next look to find.
   *
   * <p>Every directory is registered again each time: that is idempotent for a directory already watched
   * (the same key comes back), and the only sure way to notice one removed and created again, which may
   * get the same inode number before the old key is known to be dead.
   */
  boolean watchOnly(Set<Path> directories) {
    if (service.isEmpty()) {
      return false;
    }
    registrations.entrySet().removeIf(entry -> {
      boolean gone = !directories.contains(entry.getKey());
      if (gone) {
        entry.getValue().cancel();
      }
      return gone;
    });
    boolean added = false;
    for (Path directory : directories) {
      if (!Files.isDirectory(directory)) {
        continue;
      }
      try {
        WatchKey key = directory.register(service.get(), KINDS);
        added |= registrations.put(directory, key) != key;
        reportedUnwatchable.remove(directory);
      } catch (ClosedWatchServiceException e) {
        return false;
      } catch (IOException | UnsupportedOperationException e) {
        registrations.remove(directory);
        if (reportedUnwatchable.add(directory)) {
          log.warn("cannot watch {} for changes ({}); changes there are found by the poll every {}",
              directory, e instanceof IOException io ? ConfigTree.reason(io) : "not supported here", pollInterval);
        }
      }
    }
    return added;
  }

  /**
   * True while every directory last given to {@link #watchOnly} is watched: then only what events cannot
   * see is left to the poll. Called by the thread that looks.
   */
  boolean watchesEverything() {
    return service.isPresent() && !closed && reportedUnwatchable.isEmpty();
  }

  /** How many times events were lost ({@code OVERFLOW}) and a whole look stood in for them. */
  long overflows() {
    return overflows.get();
  }

  @Override
  public void close() {
    closed = true;
    service.ifPresent(watchService -> {
      try {
        watchService.close();
      } catch (IOException e) {
        log.debug("closing the file watch service failed", e);
      }
    });
  }

  private void deliver() {
    WatchService watchService = service.orElseThrow();
    try {
      while (true) {
        WatchKey key = watchService.take();
        boolean lost = false;
        Set<Path> paths = new HashSet<>();
        for (WatchEvent<?> event : key.pollEvents()) {
          lost |= event.kind() == StandardWatchEventKinds.OVERFLOW;
          if (event.context() instanceof Path name && key.watchable() instanceof Path directory) {
            paths.add(directory.resolve(name));
          }
        }
        key.reset(); // false once the directory is gone: the next look registers it again if it comes back
        if (lost && overflows.getAndIncrement() == 0) {
          log.warn("file events for {} were lost (too many at once); the whole directory is looked at instead, and"
              + " the poll every {} stays as a backstop", key.watchable(), pollInterval);
        }
        lookNeeded.accept(lost ? Touched.ANYTHING : new Touched(paths, false));
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closed: the source is shutting down
    } catch (RuntimeException e) {
      log.warn("file events stopped; configuration changes are found by the poll every {}", pollInterval, e);
    }
  }

}
