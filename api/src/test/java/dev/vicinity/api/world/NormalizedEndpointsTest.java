package dev.vicinity.api.world;

import static dev.vicinity.api.world.WorldFixtures.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizedEndpointsTest {
  private static final Endpoint RATINGS = endpoint("m", "bookinfo", "ratings", "10.0.0.9", 9080);
  private static final Endpoint REVIEWS_0 = endpoint("m", "bookinfo", "reviews", "10.0.0.0", 9080);
  private static final Endpoint REVIEWS_1 = endpoint("m", "bookinfo", "reviews", "10.0.0.1", 9080);
  private static final Endpoint REVIEWS_1_NOT_READY = new Endpoint(REVIEWS_1.cluster(), REVIEWS_1.service(),
      REVIEWS_1.address(), REVIEWS_1.portName(), REVIEWS_1.port(), null, null, EndpointConditions.NOT_READY, null);

  @Test
  void servicesNormalizedOneByOneAndJoinedInKeyOrderAreTheirConcatenation() {
    NormalizedEndpoints ratings = NormalizedEndpoints.of(List.of(RATINGS));
    NormalizedEndpoints reviews = NormalizedEndpoints.of(List.of(REVIEWS_1_NOT_READY, REVIEWS_1, REVIEWS_0));

    NormalizedEndpoints joined = NormalizedEndpoints.joined(List.of(ratings, NormalizedEndpoints.of(List.of()), reviews));

    assertThat(joined).containsExactly(RATINGS, REVIEWS_0, REVIEWS_1);
    assertThat(joined.list()).isEqualTo(NormalizedEndpoints.of(List.of(REVIEWS_1_NOT_READY, REVIEWS_1, REVIEWS_0, RATINGS)));
  }

  @Test
  void partsJoinedOutOfOrderOrSharingABackendAreNormalizedWhole() {
    NormalizedEndpoints ratings = NormalizedEndpoints.of(List.of(RATINGS));
    NormalizedEndpoints reviews = NormalizedEndpoints.of(List.of(REVIEWS_0, REVIEWS_1));

    assertThat(NormalizedEndpoints.joined(List.of(reviews, ratings))).containsExactly(RATINGS, REVIEWS_0, REVIEWS_1);
    assertThat(NormalizedEndpoints.joined(List.of(NormalizedEndpoints.of(List.of(REVIEWS_0, REVIEWS_1_NOT_READY)),
        NormalizedEndpoints.of(List.of(REVIEWS_1))))).containsExactly(REVIEWS_0, REVIEWS_1);
  }

  @Test
  void anImmutableListOutOfOrderOrWithACopyOfABackendIsNormalized() {
    assertThat(NormalizedEndpoints.of(ImmutableList.of(REVIEWS_1, REVIEWS_0))).containsExactly(REVIEWS_0, REVIEWS_1);
    assertThat(NormalizedEndpoints.of(ImmutableList.of(REVIEWS_0, REVIEWS_1_NOT_READY, REVIEWS_1)))
        .containsExactly(REVIEWS_0, REVIEWS_1);
    assertThat(NormalizedEndpoints.of(ImmutableList.of(REVIEWS_0, REVIEWS_1, REVIEWS_1_NOT_READY)))
        .containsExactly(REVIEWS_0, REVIEWS_1);
  }

  @Test
  void aNormalizedImmutableListIsKeptAsItIs() {
    ImmutableList<Endpoint> normal = ImmutableList.of(RATINGS, REVIEWS_0, REVIEWS_1);

    assertThat(NormalizedEndpoints.of(normal).list()).isSameAs(normal);
  }

  @Test
  void theSlicesOfAServiceAreNormalizedTogetherOneBackendOnceTheReadyCopy() {
    assertThat(NormalizedEndpoints.ofParts(List.of(List.of(REVIEWS_1_NOT_READY), List.of(REVIEWS_1, REVIEWS_0))))
        .containsExactly(REVIEWS_0, REVIEWS_1);
    assertThat(NormalizedEndpoints.ofParts(List.of(List.of(REVIEWS_1, REVIEWS_0)))).containsExactly(REVIEWS_0, REVIEWS_1);
  }
}
