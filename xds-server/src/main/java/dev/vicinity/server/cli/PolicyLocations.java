package dev.vicinity.server.cli;

import dev.vicinity.api.policy.ObjectMeta;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.policy.PolicyKind;
import dev.vicinity.api.yaml.SourceDocument;
import dev.vicinity.api.yaml.YamlDocuments;
import dev.vicinity.inventory.files.FileSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each policy of a configuration directory is defined (file relative to the directory, and the
 * line its document starts on), so that a verdict about a policy as a whole, such as a reference to
 * something that does not exist, points at the policy. The first definition by path order counts, as
 * for the file source.
 */
final class PolicyLocations {
  /** A file, relative to the configuration directory, and a line in it. */
  record Location(String source, int line) {}

  private final Map<String, Location> byPolicy;

  private PolicyLocations(Map<String, Location> byPolicy) {
    this.byPolicy = Map.copyOf(byPolicy);
  }

  static PolicyLocations read(Path root) {
    Map<String, Location> found = new HashMap<>();
    // The file source reports the files it cannot list or read.
    for (Path file : PolicyFiles.under(root.resolve(FileSource.POLICIES_DIRECTORY), error -> {})) {
      String source = root.relativize(file).toString();
      Optional<String> text = PolicyFiles.read(file, source, error -> {});
      if (text.isEmpty()) {
        continue;
      }
      for (SourceDocument document : YamlDocuments.parse(source, text.get()).documents()) {
        Optional<PolicyKind> kind = PolicyKind.forKind(document.text("kind"));
        String name = document.tree().path("metadata").path("name").asText("");
        String namespace = document.tree().path("metadata").path("namespace").asText("");
        if (kind.isPresent() && !name.isEmpty()) {
          ObjectRef ref = new ObjectRef(name, namespace.isEmpty() ? ObjectMeta.DEFAULT_NAMESPACE : namespace);
          found.putIfAbsent(key(kind.get(), ref), new Location(source, document.line()));
        }
      }
    }
    return new PolicyLocations(found);
  }

  Optional<Location> of(PolicyKind kind, ObjectRef ref) {
    return Optional.ofNullable(byPolicy.get(key(kind, ref)));
  }

  private static String key(PolicyKind kind, ObjectRef ref) {
    return kind.kindName() + " " + ref.namespace() + "/" + ref.name();
  }
}
