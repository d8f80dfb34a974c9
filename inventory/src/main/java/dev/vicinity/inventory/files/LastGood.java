package dev.vicinity.inventory.files;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Per file, the items last read from it without errors. When an edit breaks a document, the items the
 * file still yields are used and the previous good version of every other item keeps serving.
 */
final class LastGood<T> {
  private final Function<T, String> identity;
  private final Map<String, List<T>> byFile = new HashMap<>();

  LastGood(Function<T, String> identity) {
    this.identity = identity;
  }

  List<T> update(String file, List<T> fresh, boolean hadErrors) {
    List<T> kept = new ArrayList<>(fresh);
    if (hadErrors) {
      Set<String> freshIds = new HashSet<>();
      fresh.forEach(item -> freshIds.add(identity.apply(item)));
      byFile.getOrDefault(file, List.of()).stream()
          .filter(previous -> !freshIds.contains(identity.apply(previous)))
          .forEach(kept::add);
    }
    byFile.put(file, List.copyOf(kept));
    return kept;
  }

  /** Forgets a file that no longer exists. */
  void forget(String file) {
    byFile.remove(file);
  }
}
