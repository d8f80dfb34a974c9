package dev.vicinity.api.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalityTest {

  @Test
  void parsesRegionZoneAndSubZone() {
    assertThat(Locality.parse("us-east1/us-east1-b/rack-1")).isEqualTo(new Locality("us-east1", "us-east1-b", "rack-1"));
  }

  @Test
  void parsesRegionAndZone() {
    assertThat(Locality.parse("us-east1/us-east1-b")).isEqualTo(Locality.of("us-east1", "us-east1-b"));
  }

  @Test
  void parsesRegionAlone() {
    assertThat(Locality.parse("us-east1")).isEqualTo(new Locality("us-east1", "", ""));
  }

  @Test
  void parsesEmptyZoneBetweenRegionAndSubZone() {
    assertThat(Locality.parse("us-east1//rack-1")).isEqualTo(new Locality("us-east1", "", "rack-1"));
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"", " ", "/us-east1-b", "//rack", "a/b/c/d", " /zone"})
  void rejectsTextThatIsNotRegionZoneSubZone(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Locality.parse(text))
        .withMessage("locality '" + text + "' is not of the form region/zone[/subzone]");
  }

  @Test
  void toStringWritesOnlyWhatIsKnown() {
    assertThat(new Locality("us-east1", "us-east1-b", "rack-1")).hasToString("us-east1/us-east1-b/rack-1");
    assertThat(Locality.of("us-east1", "us-east1-b")).hasToString("us-east1/us-east1-b");
    assertThat(Locality.of("us-east1", "")).hasToString("us-east1");
    assertThat(new Locality("us-east1", "", "rack-1")).hasToString("us-east1//rack-1");
  }

  @Test
  void unknownLocalityHasNoRegion() {
    assertThat(Locality.UNKNOWN.isUnknown()).isTrue();
    assertThat(Locality.UNKNOWN).hasToString("<unknown>");
    assertThat(new Locality(null, null, null)).isEqualTo(Locality.UNKNOWN);
    assertThat(new Locality("", "zone", "")).satisfies(l -> assertThat(l.isUnknown()).isTrue());
    assertThat(Locality.of("us-east1", "").isUnknown()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"us-east1", "us-east1/us-east1-b", "us-east1/us-east1-b/rack-1", "us-east1//rack-1"})
  void parseAndToStringRoundTrip(String text) {
    assertThat(Locality.parse(text)).hasToString(text);
  }

  @Test
  void nullPartsBecomeEmpty() {
    Locality locality = new Locality("r", null, null);

    assertThat(locality.zone()).isEmpty();
    assertThat(locality.subZone()).isEmpty();
  }

  @Test
  void sortsByRegionThenZoneThenSubZone() {
    Locality unknown = Locality.UNKNOWN;
    Locality a = new Locality("a", "", "");
    Locality ab = new Locality("a", "b", "");
    Locality abc = new Locality("a", "b", "c");
    Locality ac = new Locality("a", "c", "");
    Locality b = new Locality("b", "a", "a");
    List<Locality> localities = new ArrayList<>(List.of(b, ac, abc, ab, a, unknown));
    Collections.shuffle(localities, new java.util.Random(3));

    Collections.sort(localities);

    assertThat(localities).containsExactly(unknown, a, ab, abc, ac, b);
  }
}
