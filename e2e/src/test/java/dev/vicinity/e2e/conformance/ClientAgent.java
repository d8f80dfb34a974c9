package dev.vicinity.e2e.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One running conformance client: a separate process calling the target continuously. Its lines are
 * collected as {@link Answer}s in order; its stderr goes to a file, shown when the process has died.
 */
final class ClientAgent implements AutoCloseable {
  private final ClientRuntime runtime;
  private final ClientNode node;
  private final Process process;
  private final Path stderr;
  private final List<Answer> answers = new ArrayList<>(); // guarded by itself
  private final List<String> banner = new ArrayList<>(); // guarded by answers

  private ClientAgent(ClientRuntime runtime, ClientNode node, Process process, Path stderr) {
    this.runtime = runtime;
    this.node = node;
    this.process = process;
    this.stderr = stderr;
  }

  /** Starts {@code runtime}'s agent as {@code node} on {@code target}, with its bootstrap and logs in {@code directory}. */
  static ClientAgent start(ClientRuntime runtime, ClientNode node, String target, Path root, int xdsPort, Path directory)
      throws IOException {
    Files.createDirectories(directory);
    Path bootstrap = node.writeBootstrap(root, xdsPort, directory.resolve("bootstrap.json"));
    Path stderr = directory.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(runtime.command(root, target))
        .directory(directory.toFile())
        .redirectError(stderr.toFile());
    builder.environment().put("GRPC_XDS_BOOTSTRAP", bootstrap.toString());
    ClientAgent agent = new ClientAgent(runtime, node, builder.start(), stderr);
    Thread reader = new Thread(agent::readAnswers, "conformance-" + runtime.name().toLowerCase(Locale.ROOT) + "-" + node.id());
    reader.setDaemon(true);
    reader.start();
    return agent;
  }

  private void readAnswers() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        String read = line;
        synchronized (answers) {
          Answer.parse(read).ifPresentOrElse(answers::add, () -> banner.add(read));
        }
      }
    } catch (IOException e) {
      // The process was ended: its answers so far are all there is.
    }
  }

  ClientRuntime runtime() {
    return runtime;
  }

  ClientNode node() {
    return node;
  }

  /** Every answer so far, oldest first. */
  List<Answer> answers() {
    synchronized (answers) {
      return List.copyOf(answers);
    }
  }

  /** The answers from index {@code from} on. */
  List<Answer> answersFrom(int from) {
    synchronized (answers) {
      return List.copyOf(answers.subList(Math.min(from, answers.size()), answers.size()));
    }
  }

  /** The last {@code count} answers, or fewer if there were fewer. */
  List<Answer> lastAnswers(int count) {
    synchronized (answers) {
      return List.copyOf(answers.subList(Math.max(0, answers.size() - count), answers.size()));
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Fails with the process's exit status and stderr if it has ended. */
  void assertAlive() {
    if (!process.isAlive()) {
      throw new AssertionError(this + " died with exit status " + process.exitValue() + "; its stderr:\n" + stderr());
    }
  }

  String stderr() {
    try {
      String text = Files.readString(stderr, StandardCharsets.UTF_8);
      return text.length() > 8000 ? "..." + text.substring(text.length() - 8000) : text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    synchronized (answers) {
      return runtime.displayName() + " client " + node + (banner.isEmpty() ? "" : " [" + String.join("; ", banner) + "]");
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
