package dev.vicinity.inventory.files;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.world.ClusterWorld;
import dev.vicinity.api.yaml.ConfigError;
import dev.vicinity.inventory.mapping.LiveClusterMapping;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A file cluster's objects, kept file by file: a file read again costs its own objects, whatever the cluster
 * holds. An object defined in several files is taken from the first file in path order (and from its first
 * definition in that file); the others are duplicates, reported with the file that defines them. The objects
 * taken reach a {@link LiveClusterMapping} one by one as they change, so the world is mapped object by object
 * as for a live cluster. Used by one thread at a time.
 */
final class FileClusterObjects {
  /** A definition left out because an earlier one is used: where it is and where the one used is. */
  record Duplicate(Path file, HasMetadata object, int occurrence, Path usedFrom) {}

  /** Makes the error a duplicate is reported with. */
  @FunctionalInterface
  interface DuplicateReport {
    ConfigError of(Duplicate duplicate);
  }

  /** One file's objects in file order, the first definition of each, and the errors its reading found. */
  private record FileObjects(List<HasMetadata> objects, Map<String, HasMetadata> firstById, List<ConfigError> readErrors) {}

  private final LiveClusterMapping mapping;
  private final Map<Path, FileObjects> files = new HashMap<>();
  /** Per object (kind/namespace/name), the files that define it, in path order: the first one's is used. */
  private final Map<String, TreeSet<Path>> definers = new HashMap<>();
  /** Per object, what was last handed to the mapping. */
  private final Map<String, HasMetadata> used = new HashMap<>();
  /** Per file with errors, its errors: reading errors, then its duplicates in file order. */
  private final TreeMap<Path, List<ConfigError>> errors = new TreeMap<>();
  /** Files whose errors may have changed since they were last made. */
  private final Set<Path> unexplained = new HashSet<>();

  FileClusterObjects(ClusterConfig cluster) {
    this.mapping = new LiveClusterMapping(cluster);
  }

  /** What {@code file} yields now: its objects in file order (Nodes, Services, EndpointSlices) and its reading errors. */
  void put(Path file, List<?> objects, List<ConfigError> readErrors) {
    FileObjects before = files.get(file);
    if (before != null && sameInstances(before.objects(), objects) && before.readErrors().equals(readErrors)) {
      return; // the same read: nothing to do
    }
    List<HasMetadata> now = new ArrayList<>(objects.size());
    Map<String, HasMetadata> firstById = new LinkedHashMap<>();
    for (Object object : objects) {
      HasMetadata resource = (HasMetadata) object;
      now.add(resource);
      firstById.putIfAbsent(identity(resource), resource);
    }
    files.put(file, new FileObjects(List.copyOf(now), firstById, List.copyOf(readErrors)));
    unexplained.add(file);
    Set<String> touched = new HashSet<>(firstById.keySet());
    if (before != null) {
      for (String id : before.firstById().keySet()) {
        if (!firstById.containsKey(id)) {
          leave(id, file);
        }
        touched.add(id);
      }
    }
    for (String id : firstById.keySet()) {
      definers.computeIfAbsent(id, i -> new TreeSet<>()).add(file);
    }
    touched.forEach(this::use);
  }

  /** {@code file} is gone: its objects are no longer defined by it. */
  void remove(Path file) {
    FileObjects gone = files.remove(file);
    errors.remove(file);
    unexplained.remove(file);
    if (gone != null) {
      gone.firstById().keySet().forEach(id -> {
        leave(id, file);
        use(id);
      });
    }
  }

  /** The files this holds objects of. */
  Set<Path> files() {
    return files.keySet();
  }

  /** The cluster's world of the objects used: the previous instance if none of them changed. */
  ClusterWorld world() {
    return mapping.world();
  }

  /** Every file's errors, in path order: each file's reading errors, then its duplicates. */
  List<ConfigError> errors(DuplicateReport report) {
    for (Path file : unexplained) {
      List<ConfigError> fileErrors = explain(file, report);
      if (fileErrors.isEmpty()) {
        errors.remove(file);
      } else {
        errors.put(file, fileErrors);
      }
    }
    unexplained.clear();
    List<ConfigError> all = new ArrayList<>();
    errors.values().forEach(all::addAll);
    return all;
  }

  private List<ConfigError> explain(Path file, DuplicateReport report) {
    FileObjects read = files.get(file);
    if (read == null) {
      return List.of();
    }
    List<ConfigError> fileErrors = new ArrayList<>(read.readErrors());
    Map<String, Integer> seen = new HashMap<>();
    for (HasMetadata object : read.objects()) {
      String id = identity(object);
      int occurrence = seen.merge(id, 1, Integer::sum) - 1;
      Path first = definers.get(id).first();
      if (occurrence > 0 || !first.equals(file)) {
        fileErrors.add(report.of(new Duplicate(file, object, occurrence, first)));
      }
    }
    return fileErrors;
  }

  private void leave(String id, Path file) {
    TreeSet<Path> defining = definers.get(id);
    defining.remove(file);
    if (defining.isEmpty()) {
      definers.remove(id);
    }
  }

  /** Hands the mapping the object now used for {@code id} if it is another one; its other definers may now be duplicates or not. */
  private void use(String id) {
    TreeSet<Path> defining = definers.get(id);
    HasMetadata now = defining == null ? null : files.get(defining.first()).firstById().get(id);
    if (defining != null) {
      unexplained.addAll(defining); // which of them are duplicates may have changed
    }
    HasMetadata before = now == null ? used.remove(id) : used.put(id, now);
    if (before == now) {
      return;
    }
    HasMetadata kind = now != null ? now : before;
    String key = key(kind);
    if (kind instanceof Node) {
      mapping.node(key, (Node) now);
    } else if (kind instanceof Service) {
      mapping.service(key, (Service) now);
    } else if (kind instanceof EndpointSlice) {
      mapping.slice(key, (EndpointSlice) now);
    }
  }

  private static boolean sameInstances(List<HasMetadata> before, List<?> now) {
    if (before.size() != now.size()) {
      return false;
    }
    for (int i = 0; i < before.size(); i++) {
      if (before.get(i) != now.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** The namespace/name informers key objects by (the name alone for cluster-scoped ones). */
  private static String key(HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    String name = object.getMetadata().getName();
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  /** An object's kind, namespace and name: what two definitions of one object share. */
  static String identity(HasMetadata object) {
    return object.getKind() + "/" + key(object);
  }
}
