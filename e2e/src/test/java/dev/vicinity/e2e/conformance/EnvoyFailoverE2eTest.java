package dev.vicinity.e2e.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vicinity.e2e.Examples;
import dev.vicinity.server.VicinityServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * Envoy itself on the bookinfo walkthrough: an Envoy container with the README's bootstrap
 * ({@code deploy/envoy-bootstrap.yaml}, a productpage sidecar in mgmt-cluster, us-east-1a) fetches
 * everything from the test's Vicinity and routes {@code reviews.global:9080} to reviews-v1/v2, then to
 * reviews-v3 when they stop. The container uses the host's network, as the backends listen on
 * 127.0.0.x addresses of the host. Runs where a Docker engine is available; skipped elsewhere.
 */
class EnvoyFailoverE2eTest {
  private static final DockerImageName ENVOY = DockerImageName.parse("envoyproxy/envoy:v1.36.7");
  /** The bookinfo listener's port: Envoy opens it on the host, as the example's Service port says. */
  private static final int LISTENER_PORT = 9080;
  private static final Set<String> LOCAL = Set.of("v1", "v2");
  private static final Duration WITHIN = Duration.ofSeconds(60);

  @Test
  void envoyRoutesReviewsGlobalToTheLocalBackendsAndFailsOverToTheRemoteOne(@TempDir Path temp) throws Exception {
    Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
        "Envoy test skipped: Testcontainers found no Docker engine (DOCKER_HOST, /var/run/docker.sock);"
            + " it runs wherever one is available");
    Path root = Path.of(System.getProperty("vicinity.root", ".."));
    int port = Examples.freePort("127.0.0.11");
    try (HttpBackend v1 = new HttpBackend("v1", new InetSocketAddress("127.0.0.11", port)).start();
        HttpBackend v2 = new HttpBackend("v2", new InetSocketAddress("127.0.0.12", port)).start();
        HttpBackend v3 = new HttpBackend("v3", new InetSocketAddress("127.0.0.13", port)).start();
        VicinityServer server = Examples.serve(Examples.copyWithBackendPort("bookinfo", temp.resolve("bookinfo"), port));
        GenericContainer<?> envoy = new GenericContainer<>(ENVOY)
            .withNetworkMode("host")
            .withCopyFileToContainer(MountableFile.forHostPath(envoyBootstrap(root, server.xdsPort(), temp)), "/etc/envoy/vicinity.yaml")
            .withCommand("envoy", "-c", "/etc/envoy/vicinity.yaml", "--log-level", "warn")) {
      StringBuilder envoyLog = new StringBuilder();
      envoy.withLogConsumer((OutputFrame frame) -> envoyLog.append(frame.getUtf8String()));
      envoy.start();

      await("Envoy answers through Vicinity's configuration").atMost(WITHIN).ignoreExceptions()
          .untilAsserted(() -> assertThat(calls(10)).as("Envoy log: %s", envoyLog).allMatch(LOCAL::contains));
      assertThat(calls(40)).allMatch(LOCAL::contains).contains("v1", "v2");

      v1.stop();
      v2.stop();

      await("Envoy fails over to reviews-v3").atMost(WITHIN).ignoreExceptions()
          .untilAsserted(() -> assertThat(calls(10)).as("Envoy log: %s", envoyLog).containsOnly("v3"));
    }
  }

  /** deploy/envoy-bootstrap.yaml with the test's xDS port and an admin port chosen by the kernel. */
  private static Path envoyBootstrap(Path root, int xdsPort, Path temp) throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    ObjectNode bootstrap = (ObjectNode) yaml.readTree(root.resolve("deploy/envoy-bootstrap.yaml").toFile());
    ObjectNode xds = (ObjectNode) bootstrap.at("/static_resources/clusters/0/load_assignment/endpoints/0/lb_endpoints/0/endpoint/address/socket_address");
    xds.put("port_value", xdsPort);
    ((ObjectNode) bootstrap.at("/admin/address/socket_address")).put("port_value", 0);
    Path file = temp.resolve("envoy.yaml");
    yaml.writeValue(file.toFile(), bootstrap);
    return file;
  }

  /** The versions answering {@code count} HTTP requests to Envoy's listener for {@code reviews.global:9080}. */
  private static List<String> calls(int count) {
    return IntStream.range(0, count).mapToObj(i -> call()).toList();
  }

  private static String call() {
    try (Socket socket = new Socket("127.0.0.1", LISTENER_PORT)) {
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write("GET /reviews/0 HTTP/1.1\r\nHost: reviews.global:9080\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String status = in.readLine();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        // headers
      }
      String body = in.readLine();
      return status != null && status.contains(" 200 ") ? body : "failed: " + status;
    } catch (IOException e) {
      return "failed: " + e.getMessage();
    }
  }
}
