package dev.vicinity.inventory.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryEventsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path temp;

  @Test
  void aFileCreatedInAWatchedDirectoryAsksForALookAtIt() throws IOException {
    Set<Path> touched = ConcurrentHashMap.newKeySet();
    try (DirectoryEvents events = DirectoryEvents.start(temp.getFileSystem(), t -> touched.addAll(t.paths()), Duration.ofHours(1))) {
      assertThat(events.watchOnly(Set.of(temp))).isTrue();
      assertThat(events.watchOnly(Set.of(temp))).isFalse(); // already watched

      Files.writeString(temp.resolve("a.yaml"), "a: 1\n");

      await().atMost(WAIT).until(() -> touched.contains(temp.resolve("a.yaml")));
    }
  }

  @Test
  void aDirectoryCreatedAgainUnderTheSameNameIsWatchedAnew() throws IOException {
    AtomicInteger looks = new AtomicInteger();
    Path directory = Files.createDirectories(temp.resolve("cluster"));
    try (DirectoryEvents events = DirectoryEvents.start(temp.getFileSystem(), t -> looks.incrementAndGet(), Duration.ofHours(1))) {
      events.watchOnly(Set.of(directory));
      Files.delete(directory);
      Files.createDirectories(directory);

      assertThat(events.watchOnly(Set.of(directory))).isTrue();
      int before = looks.get();
      Files.writeString(directory.resolve("a.yaml"), "a: 1\n");

      await().atMost(WAIT).until(() -> looks.get() > before);
    }
  }

  @Test
  void lostEventsAreCountedAndAskForALookAtAnything() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger looks = new AtomicInteger();
    AtomicBoolean anything = new AtomicBoolean();
    // The first look blocks the event thread, so that events pile up past what the watch service keeps.
    Consumer<DirectoryEvents.Touched> look = touched -> {
      anything.compareAndSet(false, touched.anything());
      if (looks.incrementAndGet() == 1) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    try (DirectoryEvents events = DirectoryEvents.start(temp.getFileSystem(), look, Duration.ofHours(1))) {
      events.watchOnly(Set.of(temp));
      Files.writeString(temp.resolve("first.yaml"), "a: 1\n");
      await().atMost(WAIT).until(() -> looks.get() == 1);
      for (int i = 0; i < 2_000; i++) {
        Files.createFile(temp.resolve("file-" + i + ".yaml"));
      }

      release.countDown();

      await().atMost(WAIT).until(() -> events.overflows() > 0 && looks.get() > 1 && anything.get());
    }
  }
}
