package dev.vicinity.api.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The written-out order is the one the {@code Comparator} chain it replaced defined. */
class EndpointOrderTest {
  /** The order as it was, spelled with field accessors only, so that it depends on no compareTo under test. */
  private static final Comparator<Endpoint> ORACLE =
      Comparator.comparing((Endpoint e) -> e.cluster().value())
          .thenComparing(e -> e.service().namespace())
          .thenComparing(e -> e.service().name())
          .thenComparing(Endpoint::address)
          .thenComparingInt(Endpoint::port)
          .thenComparing(Endpoint::portName)
          .thenComparing(e -> !e.conditions().ready())
          .thenComparing(e -> !e.conditions().serving())
          .thenComparing(e -> e.conditions().terminating())
          .thenComparing(e -> e.locality().region())
          .thenComparing(e -> e.locality().zone())
          .thenComparing(e -> e.locality().subZone())
          .thenComparing(Endpoint::nodeName)
          .thenComparing(Endpoint::network);

  /** Few values per field, so that most pairs tie on a long prefix of the fields and the later ones decide. */
  private static Endpoint random(Random random) {
    return new Endpoint(
        ClusterId.of(pick(random, "mgmt", "remote", "m")),
        new ServiceKey(pick(random, "bookinfo", "book", ""), pick(random, "reviews", "ratings", "")),
        pick(random, "10.0.0.1", "10.0.0.10", "10.0.0.2", "fd00::1"),
        pick(random, "", "http", "grpc"),
        pick(random, 80, 9080, 8080),
        new Locality(pick(random, "", "us-east-1", "eu-west-1"), pick(random, "", "a", "b"), pick(random, "", "r1")),
        pick(random, "", "n1", "n2"),
        new EndpointConditions(random.nextBoolean(), random.nextBoolean(), random.nextBoolean()),
        pick(random, "", "network1"));
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... values) {
    return values[random.nextInt(values.length)];
  }

  @Test
  void everyPairComparesAsTheComparatorChainDid() {
    for (long seed = 0; seed < 20; seed++) {
      Random random = new Random(seed);
      List<Endpoint> endpoints = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        endpoints.add(random(random));
      }
      for (Endpoint one : endpoints) {
        for (Endpoint other : endpoints) {
          assertThat(Integer.signum(one.compareTo(other)))
              .as("%s vs %s", one, other)
              .isEqualTo(Integer.signum(ORACLE.compare(one, other)));
        }
      }
    }
  }

  @Test
  void sortingGivesTheOrderTheComparatorChainGave() {
    Random random = new Random(42);
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      endpoints.add(random(random));
    }

    assertThat(endpoints.stream().sorted().toList()).isEqualTo(endpoints.stream().sorted(ORACLE).toList());
  }

  @Test
  void backendsCompareByClusterServiceAddressPortAndPortNameAlone() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      Endpoint one = random(random);
      Endpoint other = random(random);
      int backends = Endpoint.compareBackends(one, other);

      assertThat(backends == 0).as("%s vs %s", one, other).isEqualTo(one.sameBackendAs(other));
      if (backends != 0) {
        assertThat(Integer.signum(one.compareTo(other))).isEqualTo(Integer.signum(backends));
      }
    }
  }

  @Test
  void normalizingIsSortingAndKeepingTheFirstOfEachBackend() {
    Random random = new Random(3);
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      endpoints.add(random(random));
    }
    List<Endpoint> expected = new ArrayList<>();
    for (Endpoint endpoint : endpoints.stream().sorted(ORACLE).toList()) {
      if (expected.isEmpty() || !expected.get(expected.size() - 1).sameBackendAs(endpoint)) {
        expected.add(endpoint);
      }
    }

    List<Endpoint> normalized = NormalizedEndpoints.of(endpoints).list();

    assertThat(normalized).isEqualTo(expected);
    assertThat(NormalizedEndpoints.of(normalized).list()).as("a normalized list is kept as it is").isSameAs(normalized);
  }
}
