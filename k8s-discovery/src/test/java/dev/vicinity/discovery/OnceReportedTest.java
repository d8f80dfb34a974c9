package dev.vicinity.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OnceReportedTest {
  private final OnceReported reported = new OnceReported();

  @Test
  void aProblemIsReportedOnceWhileItLasts() {
    assertThat(reported.fresh(List.of("a", "b"))).containsExactly("a", "b");
    assertThat(reported.fresh(List.of("a", "b"))).isEmpty();
    assertThat(reported.fresh(List.of("b", "c"))).containsExactly("c");
  }

  @Test
  void aProblemThatWentAwayAndCameBackIsReportedAgain() {
    reported.fresh(List.of("a"));
    reported.fresh(List.of());

    assertThat(reported.fresh(List.of("a"))).containsExactly("a");
  }
}
