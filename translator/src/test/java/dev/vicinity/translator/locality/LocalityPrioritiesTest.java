package dev.vicinity.translator.locality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.world.Locality;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalityPrioritiesTest {
  private static final Locality CLIENT = new Locality("us-east-1", "us-east-1a", "rack-1");

  @Test
  void sameRegionZoneAndSubzoneIsPriorityZero() {
    assertThat(LocalityPriorities.proximity(CLIENT, new Locality("us-east-1", "us-east-1a", "rack-1"))).isEqualTo(0);
  }

  @Test
  void sameZoneOtherSubzoneIsPriorityOne() {
    assertThat(LocalityPriorities.proximity(CLIENT, new Locality("us-east-1", "us-east-1a", "rack-2"))).isEqualTo(1);
  }

  @Test
  void sameRegionOtherZoneIsPriorityTwo() {
    assertThat(LocalityPriorities.proximity(CLIENT, new Locality("us-east-1", "us-east-1b", "rack-1"))).isEqualTo(2);
  }

  @Test
  void otherRegionIsPriorityThreeEvenWithTheSameZoneName() {
    assertThat(LocalityPriorities.proximity(CLIENT, new Locality("eu-west-1", "us-east-1a", "rack-1"))).isEqualTo(3);
  }

  @Test
  void clientWithoutLocalityPutsEverythingAtPriorityZero() {
    assertThat(LocalityPriorities.proximity(Locality.UNKNOWN, new Locality("eu-west-1", "a", ""))).isEqualTo(0);
  }

  @Test
  void ranksInUseAreRenumberedWithoutGaps() {
    assertThat(LocalityPriorities.withoutGaps(List.of(3, 1, 3))).isEqualTo(Map.of(1, 0, 3, 1));
    assertThat(LocalityPriorities.withoutGaps(List.of(0, 2, 3))).isEqualTo(Map.of(0, 0, 2, 1, 3, 2));
  }
}
