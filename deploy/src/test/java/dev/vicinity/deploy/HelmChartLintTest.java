package dev.vicinity.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

/** {@code helm lint --strict}: on its own, so that it reports even when rendering fails for the other tests. */
class HelmChartLintTest {
  @Test
  void lintsCleanInStrictMode() {
    LintResult lint = HelmChart.lint();
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }
}
