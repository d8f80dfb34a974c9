package dev.vicinity.translator.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ChunkedMapTest {
  /** Edits as puts (non-negative keys) and removes (negative: the key's complement), applied in order. */
  @Property(tries = 300)
  void anEditedCopyHoldsWhatAMapEditedAlikeHoldsAndTheOriginalKeepsItsOwn(
      @ForAll @Size(max = 300) List<@IntRange(min = -3000, max = 2999) Integer> first,
      @ForAll @Size(max = 300) List<@IntRange(min = -3000, max = 2999) Integer> second) {
    Map<Integer, String> expectedFirst = new HashMap<>();
    ChunkedMap<Integer, String> before = apply(ChunkedMap.empty(ChunkedMap.Keys.EQUAL), first, expectedFirst);
    Map<Integer, String> expectedSecond = new HashMap<>(expectedFirst);
    ChunkedMap<Integer, String> after = apply(before, second, expectedSecond);

    assertThat(new HashMap<>(before)).isEqualTo(expectedFirst);
    assertThat(before).hasSize(expectedFirst.size());
    assertThat(new HashMap<>(after)).isEqualTo(expectedSecond);
    assertThat(after).hasSize(expectedSecond.size());
    expectedSecond.forEach((key, value) -> assertThat(after.get(key)).isEqualTo(value));
  }

  private static ChunkedMap<Integer, String> apply(ChunkedMap<Integer, String> map, List<Integer> edits, Map<Integer, String> oracle) {
    ChunkedMap<Integer, String>.Editor editor = map.edit();
    for (int edit : edits) {
      if (edit >= 0) {
        editor.put(edit, "v" + edit + "/" + oracle.size());
        oracle.put(edit, "v" + edit + "/" + oracle.size());
      } else {
        editor.remove(~edit);
        oracle.remove(~edit);
      }
    }
    return editor.build();
  }

  @Test
  void identicalKeysAreToldApartByIdentityNotEquality() {
    String one = new String("key");
    String other = new String("key");
    ChunkedMap<String, Integer>.Editor editor = ChunkedMap.<String, Integer>empty(ChunkedMap.Keys.IDENTICAL).edit();
    editor.put(one, 1);
    editor.put(other, 2);
    ChunkedMap<String, Integer> map = editor.build();

    assertThat(map).hasSize(2);
    assertThat(map.get(one)).isEqualTo(1);
    assertThat(map.get(other)).isEqualTo(2);
    assertThat(map.get("key")).isNull();
  }
}
