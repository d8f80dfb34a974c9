package dev.vicinity.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vicinity.api.TestResources;
import dev.vicinity.api.yaml.ConfigError;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PolicyReaderTest {
  private static final String VD_EXPECTED_FIELDS =
      "expected one of: hostname, localized, meshList, port, static, virtualMesh";
  private static final String KINDS =
      "expected one of: VirtualDestination (networking.enterprise.mesh.gloo.solo.io/v1beta1),"
          + " TrafficPolicy (networking.mesh.gloo.solo.io/v1), "
            + "DestinationRule (networking.istio.io/v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3)";

  /** The seed VirtualDestination: hostname on line 7, port number 9080 on 9, interval 5s on 15. */
  private static String virtualDestination() {
    return TestResources.read("seed/bookinfo-global.yaml");
  }

  /** The seed TrafficPolicy: spec on line 6, selector entry on 8, traffic shift destination on 16. */
  private static String trafficPolicy() {
    return TestResources.read("seed/reviews-shift-failover.yaml");
  }

  /** Replaces the one occurrence of {@code target}, so that a test cannot silently edit nothing. */
  private static String edit(String text, String target, String replacement) {
    int at = text.indexOf(target);
    assertThat(at).as("'%s' in the test YAML", target).isNotNegative();
    assertThat(text.indexOf(target, at + 1)).as("a second '%s' in the test YAML", target).isNegative();
    return text.substring(0, at) + replacement + text.substring(at + target.length());
  }

  private static PolicyReader.Result read(String yaml) {
    return PolicyReader.read("policies.yaml", yaml);
  }

  private static ConfigError error(int line, String fieldPath, String message) {
    return new ConfigError("policies.yaml", line, fieldPath, message);
  }

  private static void assertSeedVirtualDestination(VirtualDestination vd) {
    assertThat(vd.kind()).isEqualTo(PolicyKind.VIRTUAL_DESTINATION);
    assertThat(vd.metadata().name()).isEqualTo("bookinfo-global");
    assertThat(vd.metadata().namespace()).isEqualTo("gloo-mesh");
    assertThat(vd.ref()).isEqualTo(new ObjectRef("bookinfo-global", "gloo-mesh"));
    VirtualDestination.Spec spec = vd.spec();
    assertThat(spec.hostname()).isEqualTo("reviews.global");
    assertThat(spec.port()).isEqualTo(new VirtualDestination.Port(9080, "http", null, null));
    assertThat(spec.port().backendNumber()).isEqualTo(9080);
    assertThat(spec.localized().outlierDetection())
        .isEqualTo(new OutlierDetection(1, Duration.ofSeconds(5), Duration.ofSeconds(120), 100));
    assertThat(spec.localized().destinationSelectors()).singleElement().satisfies(selector -> {
      assertThat(selector.kubeServiceRefs()).isNull();
      assertThat(selector.kubeServiceMatcher().labels()).isEqualTo(Map.of("app", "reviews"));
      assertThat(selector.kubeServiceMatcher().namespaces()).isEmpty();
      assertThat(selector.kubeServiceMatcher().clusters()).isEmpty();
    });
    assertThat(spec.localized().failoverDirectives()).isEmpty();
    assertThat(spec.staticFailover()).isNull();
    assertThat(spec.virtualMesh()).isEqualTo(new ObjectRef("virtual-mesh", "gloo-mesh"));
    assertThat(spec.meshList()).isNull();
  }

  private static void assertSeedTrafficPolicy(TrafficPolicy tp) {
    assertThat(tp.kind()).isEqualTo(PolicyKind.TRAFFIC_POLICY);
    assertThat(tp.ref()).isEqualTo(new ObjectRef("reviews-shift-failover", "bookinfo"));
    assertThat(tp.spec().destinationSelector()).singleElement().satisfies(selector -> {
      assertThat(selector.kubeServiceMatcher()).isNull();
      assertThat(selector.kubeServiceRefs().services())
          .containsExactly(new ClusterObjectRef("reviews", "bookinfo", "mgmt-cluster"));
    });
    assertThat(tp.spec().policy().trafficShift().destinations()).singleElement().satisfies(destination -> {
      assertThat(destination.virtualDestination()).isEqualTo(new ObjectRef("bookinfo-global", "gloo-mesh"));
      assertThat(destination.kubeService()).isNull();
      assertThat(destination.weight()).isNull();
      assertThat(destination.weightOrDefault()).isEqualTo(1);
    });
  }

  @Nested
  class SeedDocuments {
    @Test
    void virtualDestinationFromTheGlooMeshGuideParsesWithoutErrors() {
      PolicyReader.Result result = PolicyReader.read("bookinfo-global.yaml", virtualDestination());

      assertThat(result.errors()).isEmpty();
      assertThat(result.policies()).singleElement()
          .isInstanceOfSatisfying(VirtualDestination.class, PolicyReaderTest::assertSeedVirtualDestination);
    }

    @Test
    void trafficPolicyFromTheGlooMeshGuideParsesWithoutErrors() {
      PolicyReader.Result result = PolicyReader.read("reviews-shift-failover.yaml", trafficPolicy());

      assertThat(result.errors()).isEmpty();
      assertThat(result.policies()).singleElement()
          .isInstanceOfSatisfying(TrafficPolicy.class, PolicyReaderTest::assertSeedTrafficPolicy);
    }

    @Test
    void plainMultiDocumentFileYieldsEveryPolicyInOrder() {
      String yaml = "---\n" + virtualDestination() + "---\n" + trafficPolicy();

      PolicyReader.Result result = read(yaml);

      assertThat(result.errors()).isEmpty();
      assertThat(result.policies()).hasSize(2);
      assertThat(result.policies().get(0))
          .isInstanceOfSatisfying(VirtualDestination.class, PolicyReaderTest::assertSeedVirtualDestination);
      assertThat(result.policies().get(1))
          .isInstanceOfSatisfying(TrafficPolicy.class, PolicyReaderTest::assertSeedTrafficPolicy);
    }

    @Test
    void kubectlOutputWithServerFieldsAndStatusParsesWithoutErrors() {
      PolicyReader.Result result =
          PolicyReader.read("dump.yaml", TestResources.read("policies/kubectl-get-virtualdestination.yaml"));

      assertThat(result.errors()).isEmpty();
      assertThat(result.policies()).singleElement().isInstanceOfSatisfying(VirtualDestination.class, vd -> {
        assertSeedVirtualDestination(vd);
        assertThat(vd.metadata().generation()).isEqualTo(3L);
        assertThat(vd.metadata().labels()).isEqualTo(Map.of("team", "bookinfo"));
      });
    }
  }

  @Nested
  class MultipleDocuments {
    @Test
    void badDocumentInTheMiddleIsLeftOutAndTheOthersAreKept() {
      PolicyReader.Result result =
          PolicyReader.read("three.yaml", TestResources.read("policies/bad-document-in-the-middle.yaml"));

      assertThat(result.policies()).extracting(Policy::ref).containsExactly(
          new ObjectRef("bookinfo-global", "gloo-mesh"), new ObjectRef("reviews-shift-failover", "bookinfo"));
      assertThat(result.policies().get(0)).isInstanceOf(VirtualDestination.class);
      assertThat(result.policies().get(1)).isInstanceOf(TrafficPolicy.class);
      assertThat(result.errors()).containsExactly(new ConfigError("three.yaml", 35,
          "spec.policy.trafficShift.destinations[0].weight", "must not be negative"));
      assertThat(result.errors().get(0))
          .hasToString("three.yaml:35: spec.policy.trafficShift.destinations[0].weight: must not be negative");
    }

    @Test
    void typoInTheMiddleDocumentIsReportedAtItsLineInTheFile() {
      // virtualDestination() is 23 lines, '---' is line 24, the second copy starts on line 25.
      String second = edit(edit(virtualDestination(), "name: bookinfo-global", "name: other"),
          "      interval: 5s", "      intreval: 5s");
      String yaml = virtualDestination() + "---\n" + second + "---\n" + trafficPolicy();

      PolicyReader.Result result = read(yaml);

      assertThat(result.policies()).extracting(Policy::ref).containsExactly(
          new ObjectRef("bookinfo-global", "gloo-mesh"), new ObjectRef("reviews-shift-failover", "bookinfo"));
      assertThat(result.errors()).containsExactly(error(39, "spec.localized.outlierDetection.intreval",
          "unknown field 'intreval'; expected one of: baseEjectionTime, consecutiveErrors, interval,"
              + " maxEjectionPercent"));
    }

    @Test
    void syntaxErrorKeepsThePoliciesBeforeIt() {
      String yaml = virtualDestination() + "---\nkind: [TrafficPolicy\n";

      PolicyReader.Result result = read(yaml);

      assertThat(result.policies()).extracting(Policy::ref)
          .containsExactly(new ObjectRef("bookinfo-global", "gloo-mesh"));
      assertThat(result.errors()).singleElement().satisfies(e -> {
        assertThat(e.source()).isEqualTo("policies.yaml");
        assertThat(e.line()).isGreaterThanOrEqualTo(25);
        assertThat(e.message()).startsWith("not valid YAML:");
      });
    }

    @Test
    void trailingDocumentSeparatorIsNotAnError() {
      PolicyReader.Result result = read(virtualDestination() + "---\n");

      assertThat(result.errors()).isEmpty();
      assertThat(result.policies()).hasSize(1);
    }
  }

  @Nested
  class UnknownFields {
    @Test
    void misspelledHostnameIsReportedAtItsLineWithTheExpectedFields() {
      PolicyReader.Result result = read(edit(virtualDestination(), "  hostname:", "  hostnme:"));

      assertThat(result.policies()).isEmpty();
      assertThat(result.errors())
          .containsExactly(error(7, "spec.hostnme", "unknown field 'hostnme'; " + VD_EXPECTED_FIELDS));
      assertThat(result.errors().get(0)).hasToString(
          "policies.yaml:7: spec.hostnme: unknown field 'hostnme'; " + VD_EXPECTED_FIELDS);
    }

    @Test
    void twoUnknownFieldsAreTwoErrors() {
      String yaml = edit(edit(virtualDestination(), "  hostname:", "  hostnme:"),
          "      maxEjectionPercent: 100", "      maxEjectionPercentage: 100");

      PolicyReader.Result result = read(yaml);

      assertThat(result.policies()).isEmpty();
      assertThat(result.errors()).containsExactlyInAnyOrder(
          error(7, "spec.hostnme", "unknown field 'hostnme'; " + VD_EXPECTED_FIELDS),
          error(14, "spec.localized.outlierDetection.maxEjectionPercentage",
              "unknown field 'maxEjectionPercentage'; expected one of: baseEjectionTime, consecutiveErrors,"
                  + " interval, maxEjectionPercent"));
    }

    @Test
    void unknownFieldInASelectorHasTheIndexedPath() {
      String yaml = edit(trafficPolicy(), "        name: reviews\n", "        name: reviews\n        port: 9080\n");

      PolicyReader.Result result = read(yaml);

      assertThat(result.policies()).isEmpty();
      assertThat(result.errors()).containsExactly(error(12,
          "spec.destinationSelector[0].kubeServiceRefs.services[0].port",
          "unknown field 'port'; expected one of: clusterName, name, namespace"));
    }

    @Test
    void misspelledSectionIsReportedAtItsLineAndPath() {
      PolicyReader.Result result = read(edit(virtualDestination(), "  localized:", "  localised:"));

      assertThat(result.errors())
          .containsExactly(error(11, "spec.localised", "unknown field 'localised'; " + VD_EXPECTED_FIELDS));
    }

    @Test
    void unknownTopLevelFieldIsReported() {
      PolicyReader.Result result = read(virtualDestination() + "extra: true\n");

      assertThat(result.policies()).isEmpty();
      assertThat(result.errors()).containsExactly(error(24, "extra",
          "unknown field 'extra'; expected one of: apiVersion, kind, metadata, spec, status"));
    }

    @Test
    void unknownMetadataFieldsAreIgnored() {
      String yaml = edit(virtualDestination(), "  namespace: gloo-mesh\nspec:",
          "  namespace: gloo-mesh\n  uid: 1234\n  resourceVersion: \"99\"\n  finalizers: [a]\n"
              + "  ownerReferences:\n  - kind: Thing\nspec:");

      PolicyReader.Result result = read(yaml);

      assertThat(result.errors()).isEmpty();
      assertThat(result.policies()).hasSize(1);
    }
  }

  @Nested
  class KindsAndVersions {
    @Test
    void unknownKindIsReportedWithTheSupportedKinds() {
      PolicyReader.Result result = read(edit(virtualDestination(), "kind: VirtualDestination", "kind: VirtualService"));

      assertThat(result.policies()).isEmpty();
      assertThat(result.errors()).containsExactly(error(2, "kind", "unsupported kind 'VirtualService'; " + KINDS));
    }

    @Test
    void missingKindIsRequired() {
      PolicyReader.Result result = read(edit(virtualDestination(), "kind: VirtualDestination\n", ""));

      assertThat(result.policies()).isEmpty();
      assertThat(result.errors()).containsExactly(error(1, "kind", "required; " + KINDS));
    }

    @Test
    void wrongApiVersionIsReportedAndThePolicyLeftOut() {
      PolicyReader.Result result = read(edit(virtualDestination(),
          "apiVersion: networking.enterprise.mesh.gloo.solo.io/v1beta1", "apiVersion: networking.mesh.gloo.solo.io/v1"));

      assertThat(result.policies()).isEmpty();
      assertThat(result.errors()).containsExactly(error(1, "apiVersion",
          "'networking.mesh.gloo.solo.io/v1' is not an API version of VirtualDestination;"
              + " expected networking.enterprise.mesh.gloo.solo.io/v1beta1"));
    }

    @Test
    void trafficPolicyUnderAnOlderVersionIsRejected() {
      PolicyReader.Result result = read(edit(trafficPolicy(),
          "apiVersion: networking.mesh.gloo.solo.io/v1", "apiVersion: networking.mesh.gloo.solo.io/v1alpha2"));

      assertThat(result.policies()).isEmpty();
      assertThat(result.errors()).containsExactly(error(1, "apiVersion",
          "'networking.mesh.gloo.solo.io/v1alpha2' is not an API version of TrafficPolicy;"
              + " expected networking.mesh.gloo.solo.io/v1"));
    }

    @Test
    void documentThatIsNotAnObjectIsReported() {
      PolicyReader.Result result = read("- a\n- b\n");

      assertThat(result.policies()).isEmpty();
      assertThat(result.errors()).containsExactly(
          error(1, "", "expected a Kubernetes object with apiVersion, kind, metadata and spec"));
    }
  }

  @Nested
  class MetadataAndSpec {
    @Test
    void missingMetadataNameIsRequired() {
      PolicyReader.Result result = read(edit(virtualDestination(), "  name: bookinfo-global\n", ""));

      assertThat(result.policies()).isEmpty();
      assertThat(result.errors()).containsExactly(error(3, "metadata.name", "required"));
    }

    @Test
    void missingMetadataIsReportedAsMissingName() {
      PolicyReader.Result result =
          read(edit(virtualDestination(), "metadata:\n  name: bookinfo-global\n  namespace: gloo-mesh\n", ""));

      assertThat(result.errors()).containsExactly(error(1, "metadata.name", "required"));
    }

    @Test
    void missingNamespaceDefaultsToDefault() {
      PolicyReader.Result result = read(edit(virtualDestination(),
          "  name: bookinfo-global\n  namespace: gloo-mesh\n", "  name: bookinfo-global\n"));

      assertThat(result.errors()).isEmpty();
      assertThat(result.policies()).singleElement().satisfies(policy -> {
        assertThat(policy.metadata().namespace()).isEqualTo("default");
        assertThat(policy.ref()).isEqualTo(new ObjectRef("bookinfo-global", "default"));
      });
    }

    @Test
    void missingSpecIsRequired() {
      String yaml = """
          apiVersion: networking.mesh.gloo.solo.io/v1
          kind: TrafficPolicy
          metadata:
            name: no-spec
          """;

      PolicyReader.Result result = read(yaml);

      assertThat(result.policies()).isEmpty();
      assertThat(result.errors()).containsExactly(error(1, "spec", "required: an object with the TrafficPolicy spec"));
    }

    @Test
    void emptySpecValueIsAnErrorAtSpec() {
      String yaml = """
          apiVersion: networking.mesh.gloo.solo.io/v1
          kind: TrafficPolicy
          metadata:
            name: empty-spec
          spec:
          """;

      PolicyReader.Result result = read(yaml);

      assertThat(result.policies()).isEmpty();
      assertThat(result.errors()).singleElement().satisfies(e -> {
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.fieldPath()).isEqualTo("spec");
      });
    }

    @Test
    void nullSpecIsReported() {
      String yaml = """
          apiVersion: networking.mesh.gloo.solo.io/v1
          kind: TrafficPolicy
          metadata:
            name: null-spec
          spec: ~
          """;

      PolicyReader.Result result = read(yaml);

      assertThat(result.policies()).isEmpty();
      assertThat(result.errors()).singleElement().satisfies(e -> {
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.fieldPath()).isEqualTo("spec");
      });
    }
  }

  @Nested
  class VirtualDestinationValidation {
    @Test
    void durationWithWordsIsReportedAtTheIntervalField() {
      PolicyReader.Result result = read(edit(virtualDestination(), "interval: 5s", "interval: 5 seconds"));

      assertThat(result.policies()).isEmpty();
      assertThat(result.errors()).containsExactly(error(15, "spec.localized.outlierDetection.interval",
          "expected a duration such as 5s, 1m30s or 100ms, got '5 seconds'"));
    }

    @Test
    void portNumberOutOfRangeIsReported() {
      PolicyReader.Result result = read(edit(virtualDestination(), "number: 9080", "number: 70000"));

      assertThat(result.policies()).isEmpty();
      assertThat(result.errors())
          .containsExactly(error(9, "spec.port.number", "70000 is not a port number: expected 1-65535"));
    }

    @Test
    void portNumberZeroIsReported() {
      PolicyReader.Result result = read(edit(virtualDestination(), "number: 9080", "number: 0"));

      assertThat(result.errors())
          .containsExactly(error(9, "spec.port.number", "0 is not a port number: expected 1-65535"));
    }

    @Test
    void everyValidationProblemIsReported() {
      String yaml = virtualDestination();
      yaml = edit(yaml, "hostname: reviews.global", "hostname: Reviews_Global");
      yaml = edit(yaml, "protocol: http", "protocol: udp");
      yaml = edit(yaml, "consecutiveErrors: 1", "consecutiveErrors: -1");
      yaml = edit(yaml, "maxEjectionPercent: 100", "maxEjectionPercent: 101");

      PolicyReader.Result result = read(yaml);

      assertThat(result.policies()).isEmpty();
      assertThat(result.errors()).containsExactlyInAnyOrder(
          error(7, "spec.hostname", "'Reviews_Global' is not a valid DNS hostname"),
          error(10, "spec.port.protocol",
              "'udp' is not a protocol; expected one of grpc, http, http2, https, tcp, tls"),
          error(13, "spec.localized.outlierDetection.consecutiveErrors",
              "-1 is negative: expected a count of errors, or 0 for Gloo Mesh's default of 5"),
          error(14, "spec.localized.outlierDetection.maxEjectionPercent", "must be a percentage, 0-100"));
    }

    @Test
    void zeroConsecutiveErrorsIsAcceptedAsGlooMeshAcceptsIt() {
      PolicyReader.Result result = read(edit(virtualDestination(), "consecutiveErrors: 1", "consecutiveErrors: 0"));

      assertThat(result.errors()).isEmpty();
      assertThat(result.policies()).hasSize(1);
    }

    @Test
    void protocolIsMatchedCaseInsensitively() {
      PolicyReader.Result result = read(edit(virtualDestination(), "protocol: http", "protocol: HTTP"));

      assertThat(result.errors()).isEmpty();
    }

    @Test
    void wildcardHostnameIsAccepted() {
      PolicyReader.Result result =
          read(edit(virtualDestination(), "hostname: reviews.global", "hostname: \"*.global\""));

      assertThat(result.errors()).isEmpty();
    }

    @Test
    void zeroIntervalIsReported() {
      PolicyReader.Result result = read(edit(virtualDestination(), "interval: 5s", "interval: 0s"));

      assertThat(result.errors())
          .containsExactly(error(15, "spec.localized.outlierDetection.interval", "must be longer than 0s"));
    }

    @Test
    void missingPortIsRequired() {
      PolicyReader.Result result =
          read(edit(virtualDestination(), "  port:\n    number: 9080\n    protocol: http\n", ""));

      assertThat(result.errors()).containsExactly(error(6, "spec.port", "required: {number, protocol}"));
    }

    @Test
    void localizedAndStaticTogetherAreReported() {
      String yaml = virtualDestination() + """
            static:
              destinations:
              - kubeService:
                  name: reviews
                  namespace: bookinfo
                  clusterName: mgmt-cluster
          """;

      PolicyReader.Result result = read(yaml);

      assertThat(result.errors())
          .containsExactly(error(6, "spec", "exactly one of 'localized' or 'static' must be set"));
    }

    @Test
    void staticFailoverIsReadInOrder() {
      String yaml = """
          apiVersion: networking.enterprise.mesh.gloo.solo.io/v1beta1
          kind: VirtualDestination
          metadata:
            name: ordered
            namespace: gloo-mesh
          spec:
            hostname: reviews.global
            port:
              number: 9080
              protocol: http
              targetNumber: 9081
            static:
              destinations:
              - kubeService:
                  name: reviews
                  namespace: bookinfo
                  clusterName: cluster-1
              - kubeService:
                  name: reviews
                  namespace: bookinfo
                  clusterName: cluster-2
            meshList:
              meshes:
              - name: istiod-istio-system-cluster-1
                namespace: gloo-mesh
          """;

      PolicyReader.Result result = read(yaml);

      assertThat(result.errors()).isEmpty();
      assertThat(result.policies()).singleElement().isInstanceOfSatisfying(VirtualDestination.class, vd -> {
        assertThat(vd.spec().localized()).isNull();
        assertThat(vd.spec().port().backendNumber()).isEqualTo(9081);
        assertThat(vd.spec().staticFailover().destinations())
            .extracting(VirtualDestination.BackingDestination::kubeService)
            .containsExactly(new ClusterObjectRef("reviews", "bookinfo", "cluster-1"),
                new ClusterObjectRef("reviews", "bookinfo", "cluster-2"));
        assertThat(vd.spec().meshList().meshes())
            .containsExactly(new ObjectRef("istiod-istio-system-cluster-1", "gloo-mesh"));
      });
    }

    @Test
    void staticDestinationWithoutClusterNameIsReported() {
      String yaml = """
          apiVersion: networking.enterprise.mesh.gloo.solo.io/v1beta1
          kind: VirtualDestination
          metadata:
            name: ordered
          spec:
            hostname: reviews.global
            port: {number: 9080, protocol: http}
            static:
              destinations:
              - kubeService:
                  name: reviews
                  namespace: bookinfo
          """;

      PolicyReader.Result result = read(yaml);

      assertThat(result.errors())
          .containsExactly(error(10, "spec.static.destinations[0].kubeService.clusterName", "required"));
    }

    @Test
    void virtualMeshAndMeshListTogetherAreReported() {
      String yaml = virtualDestination() + "  meshList:\n    meshes:\n    - name: m\n      namespace: gloo-mesh\n";

      PolicyReader.Result result = read(yaml);

      assertThat(result.errors())
          .containsExactly(error(6, "spec", "at most one of 'virtualMesh' or 'meshList' may be set"));
    }

    @Test
    void failoverDirectiveWithoutFromOrToIsReported() {
      String yaml = edit(virtualDestination(), "    destinationSelectors:",
          "    failoverDirectives:\n    - to:\n      - region: us-east1\n    - from:\n        region: us-west1\n"
              + "    destinationSelectors:");

      PolicyReader.Result result = read(yaml);

      assertThat(result.errors()).containsExactlyInAnyOrder(
          error(18, "spec.localized.failoverDirectives[0].from",
              "required: the client locality {region, zone, subZone} it applies to"),
          error(20, "spec.localized.failoverDirectives[1].to",
              "at least one locality to fail over to is required"));
    }

    @Test
    void failoverDirectivesAreRead() {
      String yaml = edit(virtualDestination(), "    destinationSelectors:",
          "    failoverDirectives:\n    - from: {region: us-east1, zone: us-east1-b}\n"
              + "      to:\n      - region: us-east1\n      - region: us-west1\n"
              + "    destinationSelectors:");

      PolicyReader.Result result = read(yaml);

      assertThat(result.errors()).isEmpty();
      VirtualDestination vd = (VirtualDestination) result.policies().get(0);
      assertThat(vd.spec().localized().failoverDirectives()).singleElement().satisfies(directive -> {
        assertThat(directive.from()).isEqualTo(new LocalityMatch("us-east1", "us-east1-b", null));
        assertThat(directive.to()).containsExactly(
            new LocalityMatch("us-east1", "", ""), new LocalityMatch("us-west1", "", ""));
      });
    }

    @Test
    void noDestinationSelectorIsReported() {
      String yaml = edit(virtualDestination(),
          "    destinationSelectors:\n    - kubeServiceMatcher:\n        labels:\n          app: reviews\n", "");

      PolicyReader.Result result = read(yaml);

      assertThat(result.errors()).containsExactly(error(11, "spec.localized.destinationSelectors",
          "at least one destination selector is required"));
    }

    @Test
    void nullSelectorEntryIsReportedAtTheEntry() {
      String yaml = edit(virtualDestination(),
          "    - kubeServiceMatcher:\n        labels:\n          app: reviews\n", "    - ~\n");

      PolicyReader.Result result = read(yaml);

      assertThat(result.errors()).containsExactly(error(18, "spec.localized.destinationSelectors[0]",
          "empty list entry: expected a value"));
    }
  }

  @Nested
  class TrafficPolicyValidation {
    @Test
    void missingPolicyIsRequired() {
      String yaml = edit(trafficPolicy(), trafficPolicy().substring(trafficPolicy().indexOf("  policy:")), "");

      PolicyReader.Result result = read(yaml);

      assertThat(result.errors())
          .containsExactly(error(6, "spec.policy", "required: Vicinity applies 'trafficShift'"));
    }

    @Test
    void selectorWithBothMatcherAndRefsIsReported() {
      String yaml = edit(trafficPolicy(), "  - kubeServiceRefs:\n",
          "  - kubeServiceMatcher:\n      labels: {app: reviews}\n    kubeServiceRefs:\n");

      PolicyReader.Result result = read(yaml);

      assertThat(result.errors()).containsExactly(error(8, "spec.destinationSelector[0]",
          "exactly one of 'kubeServiceMatcher' or 'kubeServiceRefs' must be set"));
    }

    @Test
    void serviceRefWithoutNamespaceIsReported() {
      String yaml = edit(trafficPolicy(), "        namespace: bookinfo\n", "");

      PolicyReader.Result result = read(yaml);

      assertThat(result.errors()).containsExactly(
          error(10, "spec.destinationSelector[0].kubeServiceRefs.services[0].namespace", "required"));
    }

    @Test
    void destinationWithBothTargetsIsReported() {
      String yaml = trafficPolicy() + "        kubeService:\n          name: reviews\n          namespace: bookinfo\n";

      PolicyReader.Result result = read(yaml);

      assertThat(result.errors()).containsExactly(error(16, "spec.policy.trafficShift.destinations[0]",
          "exactly one of 'virtualDestination' or 'kubeService' must be set"));
    }

    @Test
    void kubeServiceTargetIsReadWithItsPort() {
      String yaml = edit(trafficPolicy(),
          "      - virtualDestination:\n          name: bookinfo-global\n          namespace: gloo-mesh\n",
          "      - kubeService:\n          name: reviews-v2\n          namespace: bookinfo\n"
              + "          clusterName: remote-cluster\n          port: 9080\n        weight: 75\n"
              + "      - virtualDestination:\n          name: bookinfo-global\n          namespace: gloo-mesh\n"
              + "        weight: 25\n");

      PolicyReader.Result result = read(yaml);

      assertThat(result.errors()).isEmpty();
      TrafficPolicy tp = (TrafficPolicy) result.policies().get(0);
      assertThat(tp.spec().policy().trafficShift().destinations()).containsExactly(
          new TrafficPolicy.WeightedDestination(null,
              new TrafficPolicy.KubeServiceDestination("reviews-v2", "bookinfo", "remote-cluster", 9080), 75),
          new TrafficPolicy.WeightedDestination(new ObjectRef("bookinfo-global", "gloo-mesh"), null, 25));
    }

    @Test
    void kubeServiceTargetPortOutOfRangeIsReported() {
      String yaml = edit(trafficPolicy(),
          "      - virtualDestination:\n          name: bookinfo-global\n          namespace: gloo-mesh\n",
          "      - kubeService:\n          name: reviews-v2\n          namespace: bookinfo\n          port: 0\n");

      PolicyReader.Result result = read(yaml);

      assertThat(result.errors()).containsExactly(error(19, "spec.policy.trafficShift.destinations[0].kubeService.port",
          "0 is not a port number: expected 1-65535"));
    }

    @Test
    void weightsAddingUpToZeroAreReported() {
      PolicyReader.Result result = read(trafficPolicy() + "        weight: 0\n");

      assertThat(result.errors()).containsExactly(error(15, "spec.policy.trafficShift.destinations",
          "the weights add up to 0: no traffic would go anywhere"));
    }

    @Test
    void emptyDestinationListIsReported() {
      String yaml = edit(trafficPolicy(),
          "      destinations:\n      - virtualDestination:\n          name: bookinfo-global\n"
              + "          namespace: gloo-mesh\n",
          "      destinations: []\n");

      PolicyReader.Result result = read(yaml);

      assertThat(result.errors()).containsExactly(
          error(15, "spec.policy.trafficShift.destinations", "at least one destination is required"));
    }

    @Test
    void virtualDestinationTargetWithoutNameIsReported() {
      PolicyReader.Result result = read(edit(trafficPolicy(), "          name: bookinfo-global\n", ""));

      assertThat(result.errors()).containsExactly(error(16,
          "spec.policy.trafficShift.destinations[0].virtualDestination.name", "required"));
    }
  }

  @Test
  void resultListsAreImmutable() {
    PolicyReader.Result result = read(virtualDestination() + "---\nkind: Nope\n");

    assertThat(result.policies()).hasSize(1).isUnmodifiable();
    assertThat(result.errors()).hasSize(1).isUnmodifiable();
  }

  @Test
  void errorsNameTheSourceGiven() {
    List<ConfigError> errors =
        PolicyReader.read("cluster-a/policies/vd.yaml", edit(virtualDestination(), "number: 9080", "number: -1"))
            .errors();

    assertThat(errors).extracting(ConfigError::source).containsExactly("cluster-a/policies/vd.yaml");
  }

  @Test
  void typeErrorsInMetadataAndSpecAreReportedTogetherInTheUsersTerms() {
    String yaml = """
        apiVersion: networking.enterprise.mesh.gloo.solo.io/v1beta1
        kind: VirtualDestination
        metadata:
          name: typed
          namespace: gloo-mesh
          generation: two
          labels: [app]
          uid: 0d4c3a51
        spec:
          hostname: typed.global
          port:
            number: http
            protocol: http
        """;

    assertThat(PolicyReader.read("typed.yaml", yaml).errors()).extracting(ConfigError::toString).containsExactly(
        "typed.yaml:6: metadata.generation: expected a whole number, got 'two'",
        "typed.yaml:7: metadata.labels: expected an object (field: value), got a list",
        "typed.yaml:12: spec.port.number: expected a whole number, got 'http'");
  }
}
