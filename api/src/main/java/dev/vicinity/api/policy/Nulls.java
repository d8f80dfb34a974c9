package dev.vicinity.api.policy;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.List;
import java.util.Map;

/** Absent YAML collections become empty immutable ones, so records never hold null collections. */
final class Nulls {
  private Nulls() {}

  static <T> List<T> list(List<T> values) {
    return values == null ? List.of() : ImmutableList.copyOf(values);
  }

  static Map<String, String> map(Map<String, String> values) {
    return values == null ? Map.of() : ImmutableSortedMap.copyOf(values);
  }

  static String text(String value) {
    return value == null ? "" : value;
  }
}
