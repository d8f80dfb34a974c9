package dev.vicinity.e2e.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The proxyless xDS clients of the conformance matrix, each run as its own operating-system process:
 * how to start one, and what is missing when it cannot run here.
 */
enum ClientRuntime {
  GRPC_JAVA("gRPC-Java") {
    @Override
    List<String> command(Path root, String target) {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      return List.of(java.toString(), "-cp", System.getProperty("java.class.path"), JavaXdsAgent.class.getName(), target);
    }

    @Override
    Optional<String> missing(Path root) {
      return Optional.empty(); // the test JVM itself
    }
  },

  /** Debian's grpcio, outside any virtual environment: hence the system interpreter, not {@code python3} on PATH. */
  GRPC_CORE_PYTHON("gRPC C-core (Python grpcio)") {
    private static final String PYTHON = "/usr/bin/python3";

    @Override
    List<String> command(Path root, String target) {
      return List.of(PYTHON, root.resolve("e2e/clients/python/xds_agent.py").toString(), "--target", target);
    }

    @Override
    Optional<String> missing(Path root) {
      return succeeds(List.of(PYTHON, "-c", "import grpc"))
          ? Optional.empty()
          : Optional.of(PYTHON + " cannot import grpc: install Debian's python3-grpcio"
              + " (scripts/test does, or: apt-get install -y --no-install-recommends python3-grpcio)");
    }
  },

  GRPC_JS("grpc-js with @grpc/grpc-js-xds") {
    @Override
    List<String> command(Path root, String target) {
      return List.of("node", root.resolve("e2e/clients/node/xds-agent.js").toString(), "--target", target);
    }

    @Override
    Optional<String> missing(Path root) {
      if (!succeeds(List.of("node", "--version"))) {
        return Optional.of("node is not on the PATH: install Node.js 18 or later, then run scripts/test");
      }
      return Files.isRegularFile(root.resolve("e2e/clients/node/node_modules/@grpc/grpc-js-xds/package.json"))
          ? Optional.empty()
          : Optional.of("the node client's packages are not installed: scripts/test installs them"
              + " (or: npm ci --prefix e2e/clients/node)");
    }
  };

  private final String displayName;

  ClientRuntime(String displayName) {
    this.displayName = displayName;
  }

  String displayName() {
    return displayName;
  }

  /** The command that starts this client's agent on {@code target}; the bootstrap goes in the environment. */
  abstract List<String> command(Path root, String target);

  /** Why this client cannot run on this machine and how to install it, or empty when it can. */
  abstract Optional<String> missing(Path root);

  private static boolean succeeds(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
