package dev.vicinity.translator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.translator.acceptance.ClientAcceptance;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input YAML to expected Envoy JSON and to the expected explain view, case by case. On a mismatch AssertJ shows the difference; rerun
 * with {@code -Dgolden.update=true} to accept a deliberate change, then review the diff in git.
 */
class GoldenFilesTest {
  static List<GoldenCase> cases() throws IOException {
    return GoldenCase.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void translationMatchesTheGoldenFile(GoldenCase golden) throws IOException {
    String actual = GoldenCase.render(golden.translate());

    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden.expected(), actual);
    }
    assertThat(golden.expected()).as("golden file of %s (rewrite with -Dgolden.update=true)", golden).exists();
    assertThat(actual).isEqualTo(Files.readString(golden.expected()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void explainViewMatchesTheGoldenText(GoldenCase golden) throws IOException {
    String actual = golden.explainEveryCluster();

    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden.expectedText(), actual);
    }
    assertThat(golden.expectedText()).as("golden explain text of %s (rewrite with -Dgolden.update=true)", golden).exists();
    assertThat(actual).as("explain view of %s differs from expected.txt (rewrite with -Dgolden.update=true)", golden)
        .isEqualTo(Files.readString(golden.expectedText()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theCasesClientWouldAcceptEveryResourceOfTheCase(GoldenCase golden) throws IOException {
    assertThat(ClientAcceptance.check(golden.translate(), golden.client().kind())).isEmpty();
  }
}
