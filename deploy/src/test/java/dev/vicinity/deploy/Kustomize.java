package dev.vicinity.deploy;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code kubectl kustomize}: Debian's kubernetes-client (kubectl 1.20, kustomize 2.0) or a newer kubectl.
 * scripts/test installs it and sets vicinity.kustomize.required, so that CI cannot skip this; a plain
 * {@code mvn verify} without kubectl skips the kustomize test and says how to run it.
 */
final class Kustomize {
  private Kustomize() {}

  /** -Dvicinity.kubectl=FILE names the kubectl to use (e.g. another version); else the one on PATH. */
  static Optional<Path> kubectl() {
    String chosen = System.getProperty("vicinity.kubectl", "");
    if (!chosen.isEmpty()) {
      return Optional.of(Path.of(chosen)).filter(Files::isExecutable);
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String directory : path.split(File.pathSeparator)) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, "kubectl");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static Path kubectlOrSkip() {
    Optional<Path> kubectl = kubectl();
    if (kubectl.isEmpty()) {
      String missing = "kubectl not found (" + System.getProperty("vicinity.kubectl", "on PATH")
          + "): the kustomize base (deploy/kubernetes) is not rendered. "
          + "Install Debian's kubernetes-client (apt-get install kubernetes-client; scripts/test does) to run this test.";
      if (Boolean.getBoolean("vicinity.kustomize.required")) {
        fail(missing);
      }
      assumeTrue(false, missing);
    }
    return kubectl.get();
  }

  /** {@code kubectl kustomize directory}: the rendered YAML, or a failure with kubectl's own message. */
  static String build(Path directory) throws IOException, InterruptedException {
    Path kubectl = kubectlOrSkip();
    Path errors = Files.createTempFile("kustomize", ".err");
    try {
      Process process = new ProcessBuilder(List.of(kubectl.toString(), "kustomize", directory.toString()))
          .redirectError(errors.toFile())
          .start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        fail("kubectl kustomize " + directory + " did not finish within 2 minutes");
      }
      if (process.exitValue() != 0) {
        fail("kubectl kustomize " + directory + " failed (exit " + process.exitValue() + "): " + Files.readString(errors));
      }
      return new String(output, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(errors);
    }
  }
}
