package dev.vicinity.api.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigErrorTest {

  @Test
  void toStringIsFileLineFieldPathMessage() {
    ConfigError error = new ConfigError("policies/vd.yaml", 15, "spec.localized.outlierDetection.interval",
        "expected a duration such as 5s, 1m30s or 100ms, got '5 seconds'");

    assertThat(error).hasToString("policies/vd.yaml:15: spec.localized.outlierDetection.interval:"
        + " expected a duration such as 5s, 1m30s or 100ms, got '5 seconds'");
  }

  @Test
  void toStringLeavesOutAnEmptyFieldPath() {
    assertThat(new ConfigError("a.yaml", 3, "", "not valid YAML")).hasToString("a.yaml:3: not valid YAML");
  }

  @Test
  void toStringLeavesOutAnUnknownLine() {
    assertThat(new ConfigError("a.yaml", 0, "", "cannot read")).hasToString("a.yaml: cannot read");
    assertThat(new ConfigError("a.yaml", 0, "spec", "required")).hasToString("a.yaml: spec: required");
  }

  @Test
  void nullFieldPathBecomesEmpty() {
    ConfigError error = new ConfigError("a.yaml", 1, null, "m");

    assertThat(error.fieldPath()).isEmpty();
    assertThat(error).isEqualTo(new ConfigError("a.yaml", 1, "", "m"));
  }

  @Test
  void sourceAndMessageAreRequired() {
    assertThatNullPointerException().isThrownBy(() -> new ConfigError(null, 1, "", "m"));
    assertThatNullPointerException().isThrownBy(() -> new ConfigError("a.yaml", 1, "", null));
  }

  @Test
  void errorsSortBySourceThenLineThenFieldPathThenMessage() {
    ConfigError a1 = new ConfigError("a.yaml", 1, "spec", "x");
    ConfigError a2path = new ConfigError("a.yaml", 2, "kind", "z");
    ConfigError a2spec = new ConfigError("a.yaml", 2, "spec", "a");
    ConfigError a2specLater = new ConfigError("a.yaml", 2, "spec", "b");
    ConfigError a10 = new ConfigError("a.yaml", 10, "", "a");
    ConfigError b1 = new ConfigError("b.yaml", 1, "", "a");
    List<ConfigError> errors = new ArrayList<>(List.of(b1, a10, a2specLater, a2spec, a2path, a1));
    Collections.shuffle(errors, new java.util.Random(7));

    Collections.sort(errors);

    assertThat(errors).containsExactly(a1, a2path, a2spec, a2specLater, a10, b1);
  }
}
