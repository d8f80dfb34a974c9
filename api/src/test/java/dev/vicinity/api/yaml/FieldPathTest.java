package dev.vicinity.api.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldPathTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      emptyValue = "",
      value = {
        "''                                        | ''",
        "/spec                                     | spec",
        "/spec/selectors/0/labels                  | spec.selectors[0].labels",
        "/spec/port/number                         | spec.port.number",
        "/clusters/2/name                          | clusters[2].name",
        "/0/name                                   | [0].name",
        "/matrix/1/0                               | matrix[1][0]",
        "/spec/localized/destinationSelectors/12   | spec.localized.destinationSelectors[12]",
        "/metadata/labels/app.kubernetes.io~1name  | metadata.labels.app.kubernetes.io/name",
        "/a~0b                                     | a~b",
      })
  void rendersPointersAsKubernetesFieldPaths(String pointer, String expected) {
    assertThat(FieldPath.format(JsonPointer.compile(pointer))).isEqualTo(expected);
  }
}
