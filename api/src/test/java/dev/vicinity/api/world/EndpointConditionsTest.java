package dev.vicinity.api.world;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EndpointConditionsTest {

  @ParameterizedTest(name = "ready={0} serving={1} terminating={2}: healthy={3} draining={4}")
  @CsvSource({
    "true,  true,  false, true,  false",
    "true,  false, false, true,  false",
    "false, false, false, false, false",
    "false, true,  false, false, false",
    "true,  true,  true,  false, true",
    "false, true,  true,  false, true",
    "false, false, true,  false, false",
    "true,  false, true,  false, false",
  })
  void healthyAndDrainingFollowTheConditions(
      boolean ready, boolean serving, boolean terminating, boolean healthy, boolean draining) {
    EndpointConditions conditions = new EndpointConditions(ready, serving, terminating);

    assertThat(conditions.healthy()).isEqualTo(healthy);
    assertThat(conditions.draining()).isEqualTo(draining);
  }

  @Test
  void constantsAreReadyAndNotReady() {
    assertThat(EndpointConditions.READY.healthy()).isTrue();
    assertThat(EndpointConditions.READY.draining()).isFalse();
    assertThat(EndpointConditions.NOT_READY.healthy()).isFalse();
    assertThat(EndpointConditions.NOT_READY.draining()).isFalse();
  }
}
