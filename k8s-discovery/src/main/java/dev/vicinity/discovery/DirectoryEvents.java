package dev.vicinity.discovery;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operating system's file events (inotify on Linux) for the directories of the configuration tree.
 * An event only asks for a look: the look (names, sizes, times and identities of every file) finds what
 * changed, so a lost event ({@code OVERFLOW}) costs nothing but one look. A directory that cannot be
 * watched is left to the poll, and said once.
 */
final class DirectoryEvents implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DirectoryEvents.class);
  private static final WatchEvent.Kind<?>[] KINDS = {StandardWatchEventKinds.ENTRY_CREATE,
      StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY};

  private final Optional<WatchService> service;
  private final Runnable lookNeeded;
  private final Duration pollInterval;
  /** Touched only by the thread that looks (through {@link #watchOnly}). */
  private final Map<Path, WatchKey> registrations = new HashMap<>();
  private final Set<Path> reportedUnwatchable = new HashSet<>();
  private final AtomicLong overflows = new AtomicLong();
  private final Thread thread;

  private DirectoryEvents(Optional<WatchService> service, Runnable lookNeeded, Duration pollInterval) {
    this.service = service;
    this.lookNeeded = lookNeeded;
    this.pollInterval = pollInterval;
    this.thread = new Thread(this::deliver, "vicinity-file-events");
    thread.setDaemon(true);
  }

  /**
   * Starts a thread that calls {@code lookNeeded} on every batch of events in a watched directory;
   * without a watch service (none left, or none on this file system), everything is left to the poll.
   */
  static DirectoryEvents start(FileSystem fileSystem, Runnable lookNeeded, Duration pollInterval) {
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

  /** How many times events were lost ({@code OVERFLOW}) and a whole look stood in for them. */
  long overflows() {
    return overflows.get();
  }

  @Override
  public void close() {
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
        for (WatchEvent<?> event : key.pollEvents()) {
          lost |= event.kind() == StandardWatchEventKinds.OVERFLOW;
        }
        key.reset(); // false once the directory is gone: the next look registers it again if it comes back
        if (lost && overflows.getAndIncrement() == 0) {
          log.warn("file events for {} were lost (too many at once); the whole directory is looked at instead, and"
              + " the poll every {} stays as a backstop", key.watchable(), pollInterval);
        }
        lookNeeded.run();
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closed: the source is shutting down
    } catch (RuntimeException e) {
      log.warn("file events stopped; configuration changes are found by the poll every {}", pollInterval, e);
    }
  }

}
