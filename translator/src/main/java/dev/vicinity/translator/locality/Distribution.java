package dev.vicinity.translator.locality;

import dev.vicinity.api.policy.DestinationRule;
import dev.vicinity.api.world.Locality;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Istio's {@code localityLbSetting.distribute}: for the first rule whose {@code from} matches the
 * client, each {@code to} pattern (in order) shares its percentage among the not yet matched
 * localities it matches, in proportion to their weights (rounded up); localities no pattern matches,
 * or matched at 0%, get no traffic and are left out.
 */
public final class Distribution {
  private Distribution() {}

  public static void apply(List<DestinationRule.Distribute> rules, Locality client, Map<RankedLocality, Integer> weights) {
    for (DestinationRule.Distribute rule : rules) {
      if (!matches(rule.from(), client)) {
        continue;
      }
      Set<RankedLocality> unmatched = new HashSet<>(weights.keySet());
      for (Map.Entry<String, Integer> to : rule.to().entrySet()) {
        List<RankedLocality> matched = unmatched.stream().filter(g -> matches(to.getKey(), g.locality())).sorted().toList();
        long total = matched.stream().mapToLong(weights::get).sum();
        for (RankedLocality group : matched) {
          unmatched.remove(group);
          long share = (long) Math.ceil((double) weights.get(group) * to.getValue() / total);
          if (share > 0) {
            weights.put(group, (int) share);
          } else {
            unmatched.add(group); // 0%: no traffic at all (Istio would keep the old weight)
          }
        }
      }
      weights.keySet().removeAll(unmatched);
      return;
    }
  }

  /** Istio's locality pattern match: {@code region/zone/subzone}, {@code *} or a missing part matches anything. */
  public static boolean matches(String pattern, Locality locality) {
    String[] parts = pattern.split("/", -1);
    return part(parts, 0, locality.region(), false) && part(parts, 1, locality.zone(), true) && part(parts, 2, locality.subZone(), true);
  }

  private static boolean part(String[] parts, int index, String value, boolean optional) {
    if (index >= parts.length) {
      return optional;
    }
    String expected = parts[index];
    return expected.equals("*") || (optional && expected.isEmpty()) || expected.equals(value);
  }
}
