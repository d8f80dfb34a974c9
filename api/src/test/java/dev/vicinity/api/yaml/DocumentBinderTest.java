package dev.vicinity.api.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import dev.vicinity.api.config.ServerSettings;
import dev.vicinity.api.policy.DestinationSelector;
import dev.vicinity.api.policy.OutlierDetection;
import dev.vicinity.api.policy.VirtualDestination;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentBinderTest {

  private static SourceDocument document(String yaml) {
    YamlDocuments.Parsed parsed = YamlDocuments.parse("bind.yaml", yaml);
    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.documents()).hasSize(1);
    return parsed.documents().get(0);
  }

  private static <T> DocumentBinder.Bound<T> bind(String yaml, String pointer, Class<T> type) {
    return DocumentBinder.bind(document(yaml), JsonPointer.compile(pointer), type);
  }

  @Test
  void bindsTheSubtreeAtThePointer() {
    String yaml = """
        spec:
          outlierDetection:
            consecutiveErrors: 3
            interval: 1m30s
            baseEjectionTime: 100ms
            maxEjectionPercent: 50
        """;

    DocumentBinder.Bound<OutlierDetection> bound = bind(yaml, "/spec/outlierDetection", OutlierDetection.class);

    assertThat(bound.errors()).isEmpty();
    assertThat(bound.value())
        .contains(new OutlierDetection(3, Duration.ofSeconds(90), Duration.ofMillis(100), 50));
  }

  @Test
  void absentFieldsBindAsNull() {
    DocumentBinder.Bound<OutlierDetection> bound =
        bind("od:\n  consecutiveErrors: 2\n", "/od", OutlierDetection.class);

    assertThat(bound.errors()).isEmpty();
    assertThat(bound.value()).contains(new OutlierDetection(2, null, null, null));
  }

  @Test
  void unknownFieldIsReportedWithLineAndExpectedFields() {
    String yaml = """
        spec:
          outlierDetection:
            consecutiveErrors: 3
            intervall: 5s
        """;

    DocumentBinder.Bound<OutlierDetection> bound = bind(yaml, "/spec/outlierDetection", OutlierDetection.class);

    assertThat(bound.value()).isEmpty();
    assertThat(bound.errors()).containsExactly(new ConfigError("bind.yaml", 4,
        "spec.outlierDetection.intervall",
        "unknown field 'intervall'; expected one of: baseEjectionTime, consecutiveErrors, interval,"
            + " maxEjectionPercent"));
  }

  @Test
  void everyUnknownFieldIsReportedNotOnlyTheFirst() {
    String yaml = """
        server:
          xdsport: 1
          debugPort: 2
          debugAdress: 0.0.0.0
        """;

    DocumentBinder.Bound<ServerSettings> bound = bind(yaml, "/server", ServerSettings.class);

    String expected = "; expected one of: clusterSyncTimeout, coalesceWindow, debugAddress, debugPort, drainPeriod, "
        + "envoyListenerAddress, keepAliveTime, keepAliveTimeout, maxConcurrentStreamStarts, maxConnectionAge, "
        + "maxConnectionAgeGrace, maxNodeGroups, streamStartTimeout, xdsAddress, xdsPort";
    assertThat(bound.value()).isEmpty();
    assertThat(bound.errors()).containsExactlyInAnyOrder(
        new ConfigError("bind.yaml", 2, "server.xdsport", "unknown field 'xdsport'" + expected),
        new ConfigError("bind.yaml", 4, "server.debugAdress", "unknown field 'debugAdress'" + expected));
  }

  @Test
  void unknownFieldsInNestedRecordsAreReportedAtTheirOwnLevel() {
    String yaml = """
        spec:
          hostname: reviews.global
          port:
            number: 9080
            protocl: http
          localized:
            outlierDetection:
              consecutiveErrors: 1
              baseEjectionTme: 120s
        """;

    DocumentBinder.Bound<VirtualDestination.Spec> bound = bind(yaml, "/spec", VirtualDestination.Spec.class);

    assertThat(bound.value()).isEmpty();
    assertThat(bound.errors()).containsExactlyInAnyOrder(
        new ConfigError("bind.yaml", 5, "spec.port.protocl",
            "unknown field 'protocl'; expected one of: number, protocol, targetName, targetNumber"),
        new ConfigError("bind.yaml", 9, "spec.localized.outlierDetection.baseEjectionTme",
            "unknown field 'baseEjectionTme'; expected one of: baseEjectionTime, consecutiveErrors, interval,"
                + " maxEjectionPercent"));
  }

  @Test
  void unknownFieldInAListElementHasAnIndexedPath() {
    String yaml = """
        selectors:
        - kubeServiceMatcher:
            labels:
              app: reviews
        - kubeServiceRefs:
            services:
            - name: reviews
              namespace: bookinfo
              cluster: mgmt-cluster
        """;

    DocumentBinder.Bound<DestinationSelector> bound =
        bind(yaml, "/selectors/1", DestinationSelector.class);

    assertThat(bound.errors()).containsExactly(new ConfigError("bind.yaml", 9,
        "selectors[1].kubeServiceRefs.services[0].cluster",
        "unknown field 'cluster'; expected one of: clusterName, name, namespace"));
  }

  @Test
  void unknownFieldWhoseValueIsAMappingIsReportedAtItsOwnLineAndPath() {
    String yaml = """
        spec:
          hostname: reviews.global
          localised:
            destinationSelectors: []
        """;

    DocumentBinder.Bound<VirtualDestination.Spec> bound = bind(yaml, "/spec", VirtualDestination.Spec.class);

    assertThat(bound.errors()).containsExactly(new ConfigError("bind.yaml", 3, "spec.localised",
        "unknown field 'localised'; expected one of: hostname, localized, meshList, port, static, virtualMesh"));
  }

  @Test
  void jsonNameOfARenamedComponentIsExpected() {
    DocumentBinder.Bound<VirtualDestination.Spec> bound =
        bind("spec:\n  staticFailover: x\n", "/spec", VirtualDestination.Spec.class);

    assertThat(bound.errors()).singleElement().satisfies(error -> {
      assertThat(error.line()).isEqualTo(2);
      assertThat(error.fieldPath()).isEqualTo("spec.staticFailover");
      assertThat(error.message()).endsWith("expected one of: hostname, localized, meshList, port, static, virtualMesh");
    });
  }

  @Test
  void stringForAnIntegerFieldIsATypeErrorWithPathAndLine() {
    String yaml = """
        spec:
          port:
            protocol: http
            number: "9080"
        """;

    DocumentBinder.Bound<VirtualDestination.Port> bound = bind(yaml, "/spec/port", VirtualDestination.Port.class);

    assertThat(bound.value()).isEmpty();
    assertThat(bound.errors()).singleElement().satisfies(error -> {
      assertThat(error.source()).isEqualTo("bind.yaml");
      assertThat(error.line()).isEqualTo(4);
      assertThat(error.fieldPath()).isEqualTo("spec.port.number");
      assertThat(error.message()).isEqualTo("expected a whole number, got '9080'");
    });
  }

  @Test
  void everyTypeErrorOfADocumentIsReportedInTheUsersTermsNotOnlyTheFirst() {
    String yaml = """
        spec:
          hostname: reviews.global
          port:
            number: http
            protocol: http
            targetNumber: 1.5
          localized:
            outlierDetection:
              consecutiveErrors: "3"
              interval: [5s]
            destinationSelectors: reviews
        """;

    DocumentBinder.Bound<VirtualDestination.Spec> bound = bind(yaml, "/spec", VirtualDestination.Spec.class);

    assertThat(bound.value()).isEmpty();
    assertThat(bound.errors()).containsExactlyInAnyOrder(
        new ConfigError("bind.yaml", 4, "spec.port.number", "expected a whole number, got 'http'"),
        new ConfigError("bind.yaml", 6, "spec.port.targetNumber", "expected a whole number, got 1.5"),
        new ConfigError("bind.yaml", 9, "spec.localized.outlierDetection.consecutiveErrors",
            "expected a whole number, got '3'"),
        new ConfigError("bind.yaml", 10, "spec.localized.outlierDetection.interval",
            "expected a duration such as 5s, 1m30s or 100ms, got a list"),
        new ConfigError("bind.yaml", 11, "spec.localized.destinationSelectors", "expected a list, got a string"));
  }

  @Test
  void aScalarWhereAnObjectIsExpectedSaysSoWithoutJavaTypeNames() {
    String yaml = """
        spec:
          port: http
          localized:
            destinationSelectors: [reviews]
        """;

    DocumentBinder.Bound<VirtualDestination.Spec> bound = bind(yaml, "/spec", VirtualDestination.Spec.class);

    assertThat(bound.errors()).containsExactlyInAnyOrder(
        new ConfigError("bind.yaml", 2, "spec.port", "expected an object (field: value), got a string"),
        new ConfigError("bind.yaml", 4, "spec.localized.destinationSelectors[0]",
            "expected an object (field: value), got a string"));
  }

  @Test
  void mappingForAStringFieldIsATypeError() {
    String yaml = """
        port:
          number: 1
          protocol:
            name: http
        """;

    DocumentBinder.Bound<VirtualDestination.Port> bound = bind(yaml, "/port", VirtualDestination.Port.class);

    assertThat(bound.value()).isEmpty();
    assertThat(bound.errors()).singleElement().satisfies(error -> {
      assertThat(error.line()).isEqualTo(3);
      assertThat(error.fieldPath()).isEqualTo("port.protocol");
    });
  }

  @Test
  void numberTooLargeForAnIntegerFieldIsAnError() {
    DocumentBinder.Bound<OutlierDetection> bound =
        bind("od:\n  interval: 5s\n  consecutiveErrors: 99999999999\n", "/od", OutlierDetection.class);

    assertThat(bound.value()).isEmpty();
    assertThat(bound.errors()).singleElement().satisfies(error -> {
      assertThat(error.line()).isEqualTo(3);
      assertThat(error.fieldPath()).isEqualTo("od.consecutiveErrors");
    });
  }

  @Test
  void fractionalNumberForAnIntegerFieldIsATypeError() {
    DocumentBinder.Bound<VirtualDestination.Port> bound =
        bind("port:\n  number: 9080.5\n  protocol: http\n", "/port", VirtualDestination.Port.class);

    assertThat(bound.value()).isEmpty();
    assertThat(bound.errors()).singleElement().satisfies(error -> {
      assertThat(error.line()).isEqualTo(2);
      assertThat(error.fieldPath()).isEqualTo("port.number");
    });
  }

  @Test
  void malformedDurationIsAnErrorWithPathAndLine() {
    String yaml = """
        od:
          consecutiveErrors: 1
          interval: 5 seconds
        """;

    DocumentBinder.Bound<OutlierDetection> bound = bind(yaml, "/od", OutlierDetection.class);

    assertThat(bound.value()).isEmpty();
    assertThat(bound.errors()).containsExactly(new ConfigError("bind.yaml", 3, "od.interval",
        "expected a duration such as 5s, 1m30s or 100ms, got '5 seconds'"));
  }

  @Test
  void durationWithoutUnitIsAnError() {
    DocumentBinder.Bound<OutlierDetection> bound = bind("od:\n  interval: 5\n", "/od", OutlierDetection.class);

    assertThat(bound.errors()).containsExactly(new ConfigError("bind.yaml", 2, "od.interval",
        "expected a duration such as 5s, 1m30s or 100ms, got '5'"));
  }

  @Test
  void durationGivenAsAMappingIsAnError() {
    String yaml = """
        od:
          interval:
            seconds: 5
        """;

    DocumentBinder.Bound<OutlierDetection> bound = bind(yaml, "/od", OutlierDetection.class);

    assertThat(bound.errors()).containsExactly(new ConfigError("bind.yaml", 2, "od.interval",
        "expected a duration such as 5s, 1m30s or 100ms, got an object"));
  }

  @Test
  void mapsBindFromNestedMappings() {
    String yaml = """
        matcher:
          labels:
            app: reviews
            version: v1
          namespaces: [bookinfo]
        """;

    DocumentBinder.Bound<DestinationSelector.KubeServiceMatcher> bound =
        bind(yaml, "/matcher", DestinationSelector.KubeServiceMatcher.class);

    assertThat(bound.errors()).isEmpty();
    assertThat(bound.value()).hasValueSatisfying(matcher -> {
      assertThat(matcher.labels()).isEqualTo(Map.of("app", "reviews", "version", "v1"));
      assertThat(matcher.namespaces()).containsExactly("bookinfo");
      assertThat(matcher.clusters()).isEmpty();
    });
  }

  @Test
  void boundErrorsAreImmutable() {
    DocumentBinder.Bound<OutlierDetection> bound = bind("od:\n  x: 1\n", "/od", OutlierDetection.class);

    assertThat(bound.errors()).hasSize(1).isUnmodifiable();
  }
}
