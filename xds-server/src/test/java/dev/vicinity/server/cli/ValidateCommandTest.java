package dev.vicinity.server.cli;

import dev.vicinity.inventory.files.ConfigDirectories;
import dev.vicinity.server.TestServerOptions;
import dev.vicinity.server.VicinityServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vicinity.api.policy.PolicyKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code vicinity validate} on hostile configuration: every error, in the user's terms, once, as the server judges. */
class ValidateCommandTest {
  private static final Pattern LOCATION = Pattern.compile("^(.+?):(\\d+): (.*)$");

  @TempDir Path temp;

  private final StringWriter out = new StringWriter();

  private int validate(Path... paths) {
    CommandLine command = VicinityCommand.commandLine();
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(new StringWriter()));
    String[] args = new String[paths.length + 1];
    args[0] = "validate";
    for (int i = 0; i < paths.length; i++) {
      args[i + 1] = paths[i].toString();
    }
    return command.execute(args);
  }

  private List<String> lines() {
    return out.toString().lines().toList();
  }

  /** The bundled bookinfo example with policies whose references dangle, and an EndpointSlice Kubernetes would refuse. */
  private Path hostileBookinfo() throws IOException {
    Path root = ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve("bookinfo"));
    Path slices = root.resolve("clusters/remote-cluster/reviews.yaml");
    Files.writeString(slices, Files.readString(slices).replace("- 127.0.0.13", "- not-an-ip"));
    Files.writeString(root.resolve("policies/dangling.yaml"), """
        apiVersion: networking.mesh.gloo.solo.io/v1
        kind: TrafficPolicy
        metadata:
          name: x
          namespace: bookinfo
        spec:
          destinationSelector:
          - kubeServiceRefs:
              services:
              - clusterName: mgmt-cluster
                name: reviews
                namespace: bookinfo
          policy:
            trafficShift:
              destinations:
              - virtualDestination:
                  name: nope
                  namespace: gloo-mesh
        ---
        apiVersion: networking.enterprise.mesh.gloo.solo.io/v1beta1
        kind: VirtualDestination
        metadata:
          name: nomesh
          namespace: gloo-mesh
        spec:
          hostname: nomesh.global
          port:
            number: 9080
            protocol: http
          localized:
            outlierDetection:
              consecutiveErrors: 1
            destinationSelectors:
            - kubeServiceMatcher:
                labels:
                  app: reviews
          virtualMesh:
            name: undefined-mesh
            namespace: gloo-mesh
        ---
        apiVersion: networking.enterprise.mesh.gloo.solo.io/v1beta1
        kind: VirtualDestination
        metadata:
          name: typed
          namespace: gloo-mesh
        spec:
          hostname: typed.global
          port:
            number: http
            protocol: http
          localized:
            destinationSelectors: reviews
        """);
    return root;
  }

  /** The bundled helloworld example with a static failover to a service that does not exist and a bad slice. */
  private Path hostileHelloworld() throws IOException {
    Path root = ConfigDirectories.copy(
        ConfigDirectories.bookinfoExample().resolveSibling("helloworld"), temp.resolve("helloworld"));
    Files.writeString(root.resolve("clusters/cluster1/helloworld.yaml"), """
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: helloworld-hostile
          namespace: sample
          labels:
            kubernetes.io/service-name: helloworld
        addressType: IPv4
        endpoints:
        - addresses: [999.1.1.1]
        ports:
        - name: http
          port: -80
          protocol: TCP
        """, StandardOpenOption.APPEND);
    Files.writeString(root.resolve("policies/static.yaml"), """
        apiVersion: networking.enterprise.mesh.gloo.solo.io/v1beta1
        kind: VirtualDestination
        metadata:
          name: hello-static
          namespace: sample
        spec:
          hostname: hello.global
          port:
            number: 5000
            protocol: http
          static:
            destinations:
            - kubeService:
                name: gone
                namespace: sample
                clusterName: cluster1
        """);
    return root;
  }

  @Test
  void everyTypeErrorOfEveryDocumentIsReportedInTheUsersTermsWithItsLine() throws IOException {
    Path file = temp.resolve("typed.yaml");
    Files.writeString(file, """
        apiVersion: networking.enterprise.mesh.gloo.solo.io/v1beta1
        kind: VirtualDestination
        metadata:
          name: typed
          namespace: gloo-mesh
        spec:
          hostname: typed.global
          port:
            number: http
            protocol: http
          localized:
            outlierDetection:
              consecutiveErrors: "1"
            destinationSelectors: reviews
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: helloworld
        spec:
          host: helloworld
          trafficPolicy:
            loadBalancer:
              localityLbSetting:
                enabled: "yes"
                failoverPriority: topology.istio.io/cluster
        """);

    assertThat(validate(file)).isEqualTo(ValidateCommand.INVALID);

    assertThat(lines()).containsExactly(
        file + ":9: spec.port.number: expected a whole number, got 'http'",
        file + ":13: spec.localized.outlierDetection.consecutiveErrors: expected a whole number, got '1'",
        file + ":14: spec.localized.destinationSelectors: expected a list, got a string",
        file + ":25: spec.trafficPolicy.loadBalancer.localityLbSetting.enabled: expected true or false, got 'yes'",
        file + ":26: spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority: expected a list, got a string",
        "5 errors; 0 valid policies");
  }

  @Test
  void aConfigDirectoryGetsTheServersVerdictOnDanglingReferencesAtThePolicysFileAndLine() throws IOException {
    Path root = hostileBookinfo();

    assertThat(validate(root)).isEqualTo(ValidateCommand.INVALID);

    Path dangling = root.resolve("policies/dangling.yaml");
    assertThat(lines()).contains(
        dangling + ":1: TrafficPolicy bookinfo/x: VirtualDestination gloo-mesh/nope does not exist",
        dangling + ":20: VirtualDestination gloo-mesh/nomesh: virtual mesh gloo-mesh/undefined-mesh is not defined"
            + " in vicinity.yaml (virtualMeshes)",
        dangling + ":49: spec.port.number: expected a whole number, got 'http'",
        dangling + ":52: spec.localized.destinationSelectors: expected a list, got a string",
        root.resolve("clusters/remote-cluster/reviews.yaml") + ":36: endpoints[0].addresses[0]: 'not-an-ip'"
            + " is not a valid IPv4 address (addressType IPv4): expected four numbers 0-255 without leading zeros,"
            + " such as 10.0.0.1");
    assertThat(out.toString()).doesNotContain("java.", "Cannot ", "Exception");
  }

  @Test
  void worldObjectsKubernetesWouldRefuseAloneMakeTheDirectoryInvalid() throws IOException {
    Path root = ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve("bookinfo"));
    Path slices = root.resolve("clusters/remote-cluster/reviews.yaml");
    Files.writeString(slices, Files.readString(slices).replace("    port: 9080\n    protocol: TCP\n    targetPort", "    port: -80\n    protocol: TCP\n    targetPort")
        .replace("- 127.0.0.13", "- 999.1.1.1"));

    assertThat(validate(root)).isEqualTo(ValidateCommand.INVALID);

    assertThat(lines()).filteredOn(line -> line.startsWith(slices.toString())).containsExactly(
        slices + ":22: spec.ports[0].port: -80 is not a port number: expected 1-65535",
        slices + ":36: endpoints[0].addresses[0]: '999.1.1.1' is not a valid IPv4 address (addressType IPv4):"
            + " expected four numbers 0-255 without leading zeros, such as 10.0.0.1");
  }

  @Test
  void referencesAreNotJudgedWhenAClusterIsLiveAndValidateSaysSo() throws IOException {
    Path root = ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve("bookinfo"));
    Path config = root.resolve("vicinity.yaml");
    Files.writeString(config, Files.readString(config).replace("- name: remote-cluster\n  network: network1",
        "- name: remote-cluster\n  network: network1\n  kubeconfig: /nowhere/kubeconfig"));
    Files.writeString(root.resolve("policies/dangling.yaml"), """
        apiVersion: networking.mesh.gloo.solo.io/v1
        kind: TrafficPolicy
        metadata:
          name: x
          namespace: bookinfo
        spec:
          destinationSelector:
          - kubeServiceRefs:
              services:
              - {clusterName: remote-cluster, name: ratings, namespace: bookinfo}
          policy:
            trafficShift:
              destinations:
              - virtualDestination: {name: bookinfo-global, namespace: gloo-mesh}
        """);

    assertThat(validate(root)).isZero();

    assertThat(lines()).containsExactly(
        "note: " + root + ": references to services were not checked: validate does not connect to the live"
            + " clusters remote-cluster",
        "valid: 3 policies");
  }

  @Test
  void anErrorOfAPolicyTheServerStillAcceptsIsAWarningThatDoesNotFailValidation() throws IOException {
    Path root = ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve("bookinfo"));
    Path file = root.resolve("policies/static.yaml");
    Files.writeString(file, """
        apiVersion: networking.enterprise.mesh.gloo.solo.io/v1beta1
        kind: VirtualDestination
        metadata:
          name: reviews-static
          namespace: gloo-mesh
        spec:
          hostname: reviews-static.global
          port:
            number: 9080
            protocol: http
          static:
            destinations:
            - kubeService: {name: reviews, namespace: bookinfo, clusterName: mgmt-cluster}
            - kubeService: {name: gone, namespace: bookinfo, clusterName: remote-cluster}
          virtualMesh:
            name: virtual-mesh
            namespace: gloo-mesh
        """);

    assertThat(validate(root)).isZero();

    assertThat(lines()).containsExactly(
        file + ":1: warning: VirtualDestination gloo-mesh/reviews-static: static destination"
            + " remote-cluster/bookinfo/gone does not exist",
        "valid: 3 policies");
  }

  @Test
  void anErrorMetThroughTwoPathsIsPrintedOnce() throws IOException {
    Path file = temp.resolve("bad.yaml");
    Files.writeString(file, "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: x\nspec:\n  hots: x\n");

    assertThat(validate(file, file, temp)).isEqualTo(ValidateCommand.INVALID);

    assertThat(lines()).containsExactly(
        file + ":6: spec.hots: unknown field 'hots'; expected one of: exportTo, host, subsets, trafficPolicy, workloadSelector",
        "1 error; 0 valid policies");
  }

  @Test
  void aPolicyDirectoryMountedFromAConfigMapIsReadOnceUnderItsVisibleNames() throws IOException {
    Path mount = Files.createDirectories(temp.resolve("policies"));
    Path version = Files.createDirectories(mount.resolve("..2026_11_02_09_20_11.123456789"));
    Files.writeString(version.resolve("rule.yaml"),
        "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: x\nspec:\n  hots: x\n");
    Files.createSymbolicLink(mount.resolve("..data"), mount.relativize(version));
    Files.createSymbolicLink(mount.resolve("rule.yaml"), Path.of("..data/rule.yaml"));

    assertThat(validate(mount)).isEqualTo(ValidateCommand.INVALID);

    assertThat(lines()).containsExactly(
        mount.resolve("rule.yaml") + ":6: spec.hots: unknown field 'hots'; expected one of: exportTo, host, subsets,"
            + " trafficPolicy, workloadSelector",
        "1 error; 0 valid policies");
  }

  /** The command as users run it, in its own process: what it prints on both streams together. */
  @Test
  void eachErrorOfADirectoryIsPrintedOnceOnStdoutAndStderrTogether() throws Exception {
    Path root = hostileBookinfo();
    Files.writeString(root.resolve("policies/unknown-field.yaml"),
        "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: x\nspec:\n  hots: x\n");
    Path output = temp.resolve("output.txt");
    Process process = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), VicinityCommand.class.getName(), "validate", root.toString())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).isEqualTo(ValidateCommand.INVALID);
    for (String message : List.of("spec.hots: unknown field 'hots'", "spec.port.number: expected a whole number, got 'http'",
        "'not-an-ip' is not a valid IPv4 address", "VirtualDestination gloo-mesh/nope does not exist")) {
      assertThat(printed.split(Pattern.quote(message), -1)).as(message + " in:\n" + printed).hasSize(2);
    }
  }

  /**
   * validate and the running server read the same hostile directory: the documents the server leaves out
   * (the errors on /debug/policies) and the policies it marks FAILED are exactly validate's errors.
   */
  @ParameterizedTest
  @ValueSource(strings = {"bookinfo", "helloworld"})
  void validateGivesTheSameVerdictsAsTheServer(String example) throws Exception {
    Path root = example.equals("bookinfo") ? hostileBookinfo() : hostileHelloworld();
    JsonNode served = serversPolicies(root);
    Set<String> serverErrors = new HashSet<>();
    served.path("errors").forEach(e -> serverErrors.add(e.asText()));
    for (JsonNode status : served.path("statuses")) {
      if (status.path("state").asText().equals("FAILED")) {
        String policy = PolicyKind.valueOf(status.path("kind").asText()).kindName() + " "
            + status.path("ref").path("namespace").asText() + "/" + status.path("ref").path("name").asText();
        status.path("errors").forEach(e -> serverErrors.add(policy + ": " + e.asText()));
      }
    }

    assertThat(validate(root)).isEqualTo(ValidateCommand.INVALID);

    Set<String> validateErrors = new HashSet<>();
    for (String line : lines()) {
      var located = LOCATION.matcher(line);
      if (!located.matches()) {
        continue; // the summary line
      }
      String file = root.relativize(Path.of(located.group(1))).toString();
      String said = located.group(3);
      boolean aboutAPolicy = Arrays.stream(PolicyKind.values()).anyMatch(k -> said.startsWith(k.kindName() + " "));
      validateErrors.add(aboutAPolicy ? said : file + ":" + located.group(2) + ": " + said);
    }
    assertThat(serverErrors).isNotEmpty();
    assertThat(validateErrors).isEqualTo(serverErrors);
  }

  private JsonNode serversPolicies(Path root) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (VicinityServer server = VicinityServer.start(TestServerOptions.onFreePorts(root))) {
      URI policies = URI.create("http://127.0.0.1:" + server.debugPort() + "/debug/policies");
      await().atMost(Duration.ofSeconds(10)).until(() -> !get(http, policies).path("statuses").isEmpty());
      return get(http, policies);
    }
  }

  private static JsonNode get(HttpClient http, URI uri) throws IOException, InterruptedException {
    return new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body());
  }
}
