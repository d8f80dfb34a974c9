package dev.vicinity.inventory.files;

import static dev.vicinity.inventory.mapping.RandomClusterObjects.pick;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.policy.LocalityMatch;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.yaml.ConfigError;
import dev.vicinity.inventory.mapping.KubernetesWorldMapper;
import dev.vicinity.inventory.mapping.RandomClusterObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A file cluster kept file by file (files written, rewritten with some objects equal, rewritten alike, broken
 * or deleted, with objects defined in several files or twice in one) has the world a fresh mapping of the
 * objects taken (from the first file in path order, and its first definition there) gives, and reports each
 * other definition as a duplicate of the one taken; a step that changes nothing keeps the world instance.
 */
class FileClusterObjectsPropertiesTest {
  private static final ClusterConfig CLUSTER =
      new ClusterConfig("mgmt", "network1", new LocalityMatch("us-central1", "us-central1-f", ""));
  private static final List<Path> FILES = List.of(Path.of("clusters/mgmt/a.yaml"), Path.of("clusters/mgmt/b.yaml"),
      Path.of("clusters/mgmt/b/c.yaml"), Path.of("clusters/mgmt/d.yaml"));
  private static final FileClusterObjects.DuplicateReport REPORT = duplicate -> new ConfigError(
      duplicate.file().toString(), duplicate.occurrence(), "metadata.name",
      identity(duplicate.object()) + " is used from " + duplicate.usedFrom());

  @Property(tries = 500)
  void fileByFileTheWorldAndTheDuplicatesAreThoseOfAllFilesReadAfresh(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 50) int steps) {
    Random random = new Random(seed);
    FileClusterObjects held = new FileClusterObjects(CLUSTER);
    Files files = new Files();
    ClusterWorld previous = held.world();
    for (int i = 0; i < steps; i++) {
      boolean changed = files.change(random, held);
      ClusterWorld now = held.world();

      assertThat(now).isEqualTo(files.mappedAfresh());
      assertThat(held.errors(REPORT)).containsExactlyElementsOf(files.errorsAfresh());
      assertThat(held.files()).containsExactlyInAnyOrderElementsOf(files.content.keySet());
      if (!changed) {
        assertThat(now).isSameAs(previous);
      }
      previous = now;
    }
  }

  /** What each file holds now: its objects in file order and its reading errors. */
  private record Content(List<HasMetadata> objects, List<ConfigError> errors) {}

  private static final class Files {
    private final Map<Path, Content> content = new HashMap<>();

    /** Writes, rewrites or deletes a file and tells {@code held}; false if nothing the files hold changed. */
    boolean change(Random random, FileClusterObjects held) {
      Path file = pick(random, FILES);
      Content before = content.get(file);
      switch (random.nextInt(6)) {
        case 0 -> {
          content.remove(file);
          held.remove(file);
          return before != null;
        }
        case 1 -> {
          if (before == null) {
            return false;
          }
          held.put(file, before.objects(), before.errors()); // read again alike (the same instances)
          return false;
        }
        case 2 -> {
          if (before == null) {
            return false;
          }
          // Read again: equal new instances.
          List<HasMetadata> copies = before.objects().stream().map(Files::copy).toList();
          write(file, new Content(copies, before.errors()), held);
          return true;
        }
        default -> {
          List<HasMetadata> objects = new ArrayList<>();
          int count = random.nextInt(4);
          for (int i = 0; i < count; i++) {
            objects.add(random.nextInt(3) == 0 && before != null && !before.objects().isEmpty()
                ? pick(random, before.objects()) // kept, or defined twice in the file
                : object(random));
          }
          List<ConfigError> errors = random.nextInt(5) == 0
              ? List.of(new ConfigError(file.toString(), 1, "", "a document is broken")) : List.of();
          write(file, new Content(objects, errors), held);
          return true;
        }
      }
    }

    private void write(Path file, Content now, FileClusterObjects held) {
      content.put(file, now);
      held.put(file, now.objects(), now.errors());
    }

    private static HasMetadata object(Random random) {
      return switch (random.nextInt(3)) {
        case 0 -> RandomClusterObjects.node(pick(random, RandomClusterObjects.NODES), random);
        case 1 -> RandomClusterObjects.service(random);
        default -> RandomClusterObjects.slice(random, pick(random, RandomClusterObjects.NAMESPACES),
            "slice-" + random.nextInt(4));
      };
    }

    private static HasMetadata copy(HasMetadata object) {
      if (object instanceof Node node) {
        return new NodeBuilder(node).build();
      }
      if (object instanceof Service service) {
        return new ServiceBuilder(service).build();
      }
      return new EndpointSliceBuilder((EndpointSlice) object).build();
    }

    /** The objects taken, the first definition in path order of each, mapped at once. */
    ClusterWorld mappedAfresh() {
      Map<String, HasMetadata> taken = new HashMap<>();
      new TreeMap<>(content).values().forEach(file -> file.objects().forEach(o -> taken.putIfAbsent(identity(o), o)));
      List<Node> nodes = new ArrayList<>();
      List<Service> services = new ArrayList<>();
      List<EndpointSlice> slices = new ArrayList<>();
      for (HasMetadata object : taken.values()) {
        if (object instanceof Node node) {
          nodes.add(node);
        } else if (object instanceof Service service) {
          services.add(service);
        } else {
          slices.add((EndpointSlice) object);
        }
      }
      return KubernetesWorldMapper.map(CLUSTER, nodes, services, slices).world();
    }

    /** In path order, each file's reading errors, then every definition of an object already defined. */
    List<ConfigError> errorsAfresh() {
      Map<String, Path> firstFile = new HashMap<>();
      List<ConfigError> errors = new ArrayList<>();
      for (Map.Entry<Path, Content> file : new TreeMap<>(content).entrySet()) {
        errors.addAll(file.getValue().errors());
        Map<String, Integer> seen = new HashMap<>();
        for (HasMetadata object : file.getValue().objects()) {
          String id = identity(object);
          int occurrence = seen.merge(id, 1, Integer::sum) - 1;
          Path first = firstFile.putIfAbsent(id, file.getKey());
          if (first != null) {
            errors.add(REPORT.of(new FileClusterObjects.Duplicate(file.getKey(), object, occurrence, first)));
          }
        }
      }
      return errors;
    }
  }

  private static String identity(HasMetadata object) {
    return object.getKind() + "/" + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }
}
