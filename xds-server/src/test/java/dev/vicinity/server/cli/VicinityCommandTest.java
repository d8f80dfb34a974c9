package dev.vicinity.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VicinityCommandTest {
  @TempDir Path temp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine command = VicinityCommand.commandLine();
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));
    return command.execute(args);
  }

  @Test
  void helpListsTheServeCommand() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Usage: vicinity", "serve");
  }

  @Test
  void versionIsTheProjectVersion() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString().strip()).isEqualTo("vicinity " + System.getProperty("vicinity.version"));
  }

  @Test
  void serveHelpDescribesItsOptions() {
    assertThat(run("serve", "--help")).isZero();
    assertThat(out.toString()).contains("--config=DIR", "--xds-port=PORT", "--debug-port=PORT");
  }

  @Test
  void aMissingCommandIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("a command is required");
  }

  @Test
  void aDirectoryWithoutVicinityYamlIsReportedWithoutAStackTrace() {
    assertThat(run("serve", "--config", temp.toString())).isEqualTo(ServeCommand.CONFIG_ERROR);
    assertThat(err.toString()).contains("vicinity.yaml: not found").doesNotContain("Exception");
  }

  @Test
  void aPortInUseIsReportedWithoutAStackTrace() throws IOException {
    Path example = Path.of(System.getProperty("vicinity.examples", "../examples")).resolve("bookinfo");
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      int exit = run("serve", "--config", example.toString(), "--xds-port", Integer.toString(taken.getLocalPort()),
          "--debug-port", "0");

      assertThat(exit).isEqualTo(ServeCommand.START_FAILED);
      assertThat(err.toString()).contains("cannot start", Integer.toString(taken.getLocalPort())).doesNotContain("\tat ");
    }
  }

  @Test
  void anInvalidVicinityYamlIsReportedWithFileLineAndField() throws IOException {
    Path file = temp.resolve("vicinity.yaml");
    Files.writeString(file, "clusters:\n- name: Mgmt_Cluster\n  netwrok: n1\n");

    assertThat(run("serve", "--config", temp.toString())).isEqualTo(ServeCommand.CONFIG_ERROR);

    assertThat(err.toString()).contains(file + ":3: clusters[0].netwrok: unknown field 'netwrok'");
  }

  @Test
  void validateAcceptsTheBundledExamples() {
    Path examples = Path.of(System.getProperty("vicinity.examples", "../examples"));

    assertThat(run("validate", examples.resolve("bookinfo").toString(), examples.resolve("helloworld").toString())).isZero();
    assertThat(out.toString()).contains("valid: 3 policies");
  }

  @Test
  void validateReportsEveryErrorWithFileLineAndFieldAndExitsOne() throws IOException {
    Path file = temp.resolve("bad.yaml");
    Files.writeString(file, """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: helloworld
        spec:
          hots: helloworld
        ---
        apiVersion: networking.mesh.gloo.solo.io/v1
        kind: TrafficPolicy
        metadata:
          name: shift
        spec:
          policy:
            trafficShift:
              destinations: []
        """);

    assertThat(run("validate", file.toString())).isEqualTo(ValidateCommand.INVALID);

    assertThat(out.toString()).contains(
        file + ":6: spec.hots: unknown field 'hots'; expected one of: exportTo, host, subsets, trafficPolicy, workloadSelector",
        file + ":15: spec.policy.trafficShift.destinations: at least one destination is required",
        "2 errors; 0 valid policies");
  }

  @Test
  void validateReportsAMissingPath() {
    assertThat(run("validate", temp.resolve("nope").toString())).isEqualTo(ValidateCommand.INVALID);
    assertThat(out.toString()).contains("nope: no such file or directory");
  }

  @Test
  void explainPrintsEveryEndpointWithItsPriorityAndReason() {
    Path example = Path.of(System.getProperty("vicinity.examples", "../examples")).resolve("helloworld");

    assertThat(run("explain", "--config", example.toString(), "--client", "cluster1/us-east-1/us-east-1a",
        "--host", "helloworld.sample.svc.cluster.local:5000", "--fail", "cluster1")).isZero();

    assertThat(out.toString()).contains(
        "127.0.0.21:5000", "FAILED (simulated)", "failoverPriority: matches the client on 1 of 1 labels",
        "127.0.0.22:5000", "| gRPC priority 1");
  }

  @Test
  void explainRejectsAMalformedClient() {
    Path example = Path.of(System.getProperty("vicinity.examples", "../examples")).resolve("helloworld");

    assertThat(run("explain", "--config", example.toString(), "--client", "/us-east-1", "--host", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("--client: expected cluster[/region/zone[/subzone]]");
  }
}
