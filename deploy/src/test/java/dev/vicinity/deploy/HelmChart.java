package dev.vicinity.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code helm lint} and {@code helm template} on the chart, through helm-java (Helm's own Go library).
 * Its native library is declared for linux-amd64 only (deploy/pom.xml): elsewhere the tests skip.
 */
final class HelmChart {
  static final String RELEASE = "vicinity";
  static final String NAMESPACE = "vicinity-system";

  private HelmChart() {}

  static Path deployDirectory() {
    return Path.of(System.getProperty("vicinity.deploy", ".")).toAbsolutePath().normalize();
  }

  static Path chart() {
    return deployDirectory().resolve("helm").resolve("vicinity");
  }

  static Path testValues(String name) {
    return deployDirectory().resolve("src").resolve("test").resolve("resources").resolve(name);
  }

  static void assumeHelmRuns() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")),
        "helm-java's native library is declared for linux-amd64 only (deploy/pom.xml); this is " + os + "-" + arch
            + ": chart tests skipped");
  }

  static LintResult lint() {
    assumeHelmRuns();
    return new Helm(chart()).lint().strict().call();
  }

  /** The release rendered with the chart's default values, then these values files, then these --set values. */
  static String template(Map<String, Object> sets, Path... valuesFiles) {
    assumeHelmRuns();
    TemplateCommand command = new Helm(chart()).template().withName(RELEASE).withNamespace(NAMESPACE);
    for (Path file : valuesFiles) {
      command = command.withValuesFile(file);
    }
    for (Map.Entry<String, Object> set : sets.entrySet()) {
      command = command.set(set.getKey(), set.getValue());
    }
    return command.call();
  }

  static Manifests render(Path... valuesFiles) {
    return Manifests.parse(template(Map.of(), valuesFiles));
  }
}
