package dev.vicinity.discovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which problems were reported already, so that each is reported once while it lasts, not on every look,
 * and again only after it went away and came back.
 */
final class OnceReported {
  private Set<String> reported = Set.of();

  /** The problems of {@code now} that were not reported last time; forgets the ones that have gone. */
  List<String> fresh(Collection<String> now) {
    Set<String> current = new LinkedHashSet<>(now);
    List<String> fresh = new ArrayList<>();
    for (String problem : current) {
      if (!reported.contains(problem)) {
        fresh.add(problem);
      }
    }
    reported = current;
    return fresh;
  }
}
