package dev.vicinity.discovery;

import dev.vicinity.inventory.files.ClusterFileReader;
import dev.vicinity.inventory.files.KubernetesObjects;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.stream.Stream;

/**
 * fabric8's mock Kubernetes API server in CRUD mode, for tests here, in the e2e module and in the
 * benchmarks (shared through this module's test jar).
 */
public final class MockApiServers {
  private MockApiServers() {}

  /** A fresh server, listening on a free loopback port. */
  public static KubernetesMockServer started() {
    KubernetesMockServer server = unstarted();
    server.init();
    return server;
  }

  /** A fresh server on {@code port}, as an API server coming back where it was. */
  public static KubernetesMockServer startedOn(int port) throws IOException {
    KubernetesMockServer server = unstarted();
    server.init(InetAddress.getByName("127.0.0.1"), port);
    return server;
  }

  private static KubernetesMockServer unstarted() {
    return new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
  }

  /** Creates a cluster directory's objects (kubectl dumps) through {@code client}, as kubectl apply would. */
  public static void load(KubernetesClient client, Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.sorted().toList()) {
        KubernetesObjects objects = ClusterFileReader.read(file.toString(), Files.readString(file)).objects();
        objects.nodes().forEach(n -> client.nodes().resource(n).create());
        objects.services().forEach(s -> client.services().resource(s).create());
        objects.endpointSlices().forEach(s -> client.discovery().v1().endpointSlices().resource(s).create());
      }
    }
  }
}
