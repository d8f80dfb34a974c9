package dev.vicinity.server.debug;

import dev.vicinity.inventory.files.ConfigDirectories;
import dev.vicinity.server.TestServerOptions;
import dev.vicinity.server.VicinityServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The debug HTTP server as Kubernetes probes, Prometheus and a hostile client see it: probes answer while
 * other clients stall, stalled requests are cut off, only the documented paths and methods are served,
 * and the /debug/ pages answer loopback clients only.
 */
class DebugServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path temp;

  private VicinityServer server;
  private final List<Socket> stalled = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws IOException {
    Path config = ConfigDirectories.copy(ConfigDirectories.bookinfoExample(), temp.resolve("bookinfo"));
    server = VicinityServer.start(TestServerOptions.onFreePorts(config).withDebugAddress("0.0.0.0"));
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : stalled) {
      socket.close();
    }
    server.close();
  }

  /** A client that sends the start of a request and then nothing, as a slow-loris client does. */
  private Socket stalledRequest() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.debugPort());
    OutputStream out = socket.getOutputStream();
    out.write("GET /healthz HTTP/1.1\r\nHost: vicinity\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    stalled.add(socket);
    return socket;
  }

  private HttpResponse<String> send(String host, String method, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + server.debugPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(WAIT)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void probesAnswerWhileClientsHoldHalfSentRequests() throws Exception {
    for (int i = 0; i < 4; i++) {
      stalledRequest();
    }

    assertThat(send("127.0.0.1", "GET", "/healthz").statusCode()).isEqualTo(200);
    assertThat(send("127.0.0.1", "GET", "/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void aRequestNotSentWithinTheReadTimeoutHasItsConnectionClosed() throws Exception {
    Socket socket = stalledRequest();
    // Blocks until the server closes the connection; the socket timeout only guards against a hang.
    socket.setSoTimeout((int) DebugServer.REQUEST_READ_TIMEOUT.plus(WAIT).toMillis());

    int read;
    try {
      read = socket.getInputStream().read();
    } catch (SocketException reset) {
      read = -1;
    }

    assertThat(read).as("end of stream").isEqualTo(-1);
  }

  @Test
  void onlyTheDocumentedPathsAreServed() throws Exception {
    assertThat(send("127.0.0.1", "GET", "/healthz").statusCode()).isEqualTo(200);
    assertThat(send("127.0.0.1", "GET", "/healthzX").statusCode()).isEqualTo(404);
    assertThat(send("127.0.0.1", "GET", "/healthz/more").statusCode()).isEqualTo(404);
    assertThat(send("127.0.0.1", "GET", "/debug/snapshotsX").statusCode()).isEqualTo(404);
    assertThat(send("127.0.0.1", "GET", "/").statusCode()).isEqualTo(404);
    assertThat(send("127.0.0.1", "GET", "/debug/").statusCode()).isEqualTo(404);
  }

  @Test
  void onlyGetAndHeadAreServed() throws Exception {
    HttpResponse<String> post = send("127.0.0.1", "POST", "/healthz");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
    assertThat(send("127.0.0.1", "DELETE", "/debug/world").statusCode()).isEqualTo(405);

    HttpResponse<String> head = send("127.0.0.1", "HEAD", "/healthz");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void debugPagesAnswerLoopbackClientsOnlyWhileProbesAndMetricsAnswerEveryone() throws Exception {
    Optional<InetAddress> external = externalAddress();
    assumeThat(external).as("this machine has an address other than loopback").isPresent();
    String host = external.get().getHostAddress();

    assertThat(send(host, "GET", "/debug/snapshots").statusCode()).isEqualTo(403);
    assertThat(send(host, "GET", "/debug/world").body()).contains("loopback clients only");
    assertThat(send(host, "GET", "/healthz").statusCode()).isEqualTo(200);
    assertThat(send(host, "GET", "/metrics").statusCode()).isEqualTo(200);
    assertThat(send("127.0.0.1", "GET", "/debug/world").statusCode()).isEqualTo(200);
  }

  private static Optional<InetAddress> externalAddress() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .filter(nic -> {
          try {
            return nic.isUp() && !nic.isLoopback();
          } catch (SocketException e) {
            return false;
          }
        })
        .flatMap(NetworkInterface::inetAddresses)
        .filter(address -> address instanceof java.net.Inet4Address && !address.isLoopbackAddress())
        .filter(DebugServerTest::reachable)
        .findFirst();
  }

  private static boolean reachable(InetAddress address) {
    try (Socket probe = new Socket()) {
      probe.bind(new InetSocketAddress(address, 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
