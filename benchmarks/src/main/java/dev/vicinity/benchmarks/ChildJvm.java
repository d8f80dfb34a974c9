package dev.vicinity.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server under measurement, in a JVM of its own started with this JVM's classpath, so that its heap
 * is measured alone and the harness's clients do not share its collector. Output goes to a log file.
 */
final class ChildJvm implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final Path log;

  private ChildJvm(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** {@code java <jvmOptions> -cp <this classpath> <mainClass> <args>}, output to {@code log}. */
  static ChildJvm start(String name, List<String> jvmOptions, String mainClass, List<String> args, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ChildJvm(name, process, log);
  }

  long pid() {
    return process.pid();
  }

  /**
   * Waits until {@code url} answers 200: the child has no other way to say it is ready. Polled, as an
   * HTTP endpoint cannot be waited on; fails at once if the child exits.
   */
  void awaitHttpOk(String url, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // keep polling until the deadline
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " not ready at " + url + " within " + timeout + "; see " + log);
      }
      process.waitFor(50, TimeUnit.MILLISECONDS); // returns early if the child dies
    }
  }

  /** Live heap and resident size after a full collection (see {@link HeapProbe}). */
  HeapProbe.Sample heap() throws IOException, InterruptedException {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
    }
    return HeapProbe.sample(process.pid());
  }

  /** CPU time the child has used so far, all its threads (user and system), as the OS counts it. */
  Duration cpuTime() {
    return process.info().totalCpuDuration()
        .orElseThrow(() -> new IllegalStateException("the OS does not report " + name + "'s CPU time"));
  }

  /** Starts a Java Flight Recording (profiling settings) named {@code name}. */
  void startRecording(String name) throws IOException, InterruptedException {
    HeapProbe.jcmd(process.pid(), "JFR.start", "name=" + name, "settings=profile");
  }

  /** Stops recording {@code name} and writes it to {@code file}. */
  void stopRecording(String name, Path file) throws IOException, InterruptedException {
    HeapProbe.jcmd(process.pid(), "JFR.stop", "name=" + name, "filename=" + file.toAbsolutePath());
  }

  Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
    }
  }

  /** A port free now on loopback, for a child that must be told its ports up front. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
