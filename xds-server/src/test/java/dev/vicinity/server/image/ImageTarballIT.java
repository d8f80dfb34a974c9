package dev.vicinity.server.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image, read from the tarball Jib builds in every {@code mvn verify} (execution
 * {@code offline-image-check} in xds-server's pom). CI reaches no image registry, so that build starts
 * from an empty ("scratch") base instead of distroless; everything else (entrypoint, user, ports,
 * labels, layers) is the configuration {@code -Pimage} pushes. The base image itself is not checked.
 */
class ImageTarballIT {
  private static final String MAIN_CLASS = "dev.vicinity.server.cli.VicinityCommand";
  private static final String CLASSPATH_FILE = "/app/jib-classpath-file";
  private static final Pattern DEBUG_URL = Pattern.compile("debug HTTP on (http://[^/\\s]+)/");

  @TempDir static Path unpacked;

  private static UnpackedImage image;

  @BeforeAll
  static void unpack() throws IOException {
    String tarball = System.getProperty("vicinity.image.check.tarball");
    assertThat(tarball)
        .as("system property vicinity.image.check.tarball (set by failsafe: run `mvn -B verify -pl xds-server -am`)")
        .isNotBlank();
    assertThat(Path.of(tarball)).as("the image tarball jib:buildTar writes in the package phase").isRegularFile();
    image = UnpackedImage.read(Path.of(tarball), unpacked);
  }

  @Test
  void entrypointRunsTheVicinityCliWithContainerAwareJvmFlags() {
    assertThat(strings(image.config().path("config").path("Entrypoint"))).containsExactly(
        "java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-cp", "@" + CLASSPATH_FILE, MAIN_CLASS);
    // No Cmd: `docker run IMAGE serve --config DIR` hands exactly "serve --config DIR" to the CLI.
    assertThat(strings(image.config().path("config").path("Cmd"))).isEmpty();
    assertThat(image.fileContent("/app/jib-main-class-file")).isEqualTo(MAIN_CLASS);
  }

  @Test
  void runsAsDistrolessNonRootUserByNumber() {
    assertThat(image.config().path("config").path("User").asText()).isEqualTo("65532:65532");
  }

  @Test
  void declaresTheXdsAndDebugPorts() {
    assertThat(fieldNames(image.config().path("config").path("ExposedPorts"))).containsExactlyInAnyOrder("18000/tcp", "19000/tcp");
  }

  @Test
  void isNamedAfterTheProjectAndLabelledWithItsVersion() {
    assertThat(strings(image.manifest().path("RepoTags"))).containsExactly(System.getProperty("vicinity.image.reference"));
    JsonNode labels = image.config().path("config").path("Labels");
    assertThat(labels.path("org.opencontainers.image.title").asText()).isEqualTo("vicinity");
    assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo(System.getProperty("vicinity.image.version"));
    assertThat(labels.path("org.opencontainers.image.description").asText()).contains("xDS control plane");
    assertThat(labels.path("org.opencontainers.image.revision").asText()).isNotBlank();
    assertThat(labels.path("org.opencontainers.image.source").asText()).startsWith("https://");
    assertThat(labels.path("org.opencontainers.image.base.name").asText()).contains("distroless/java17");
  }

  @Test
  void isReproducibleWithFixedTimes() {
    Instant created = expectedCreationTime();
    assertThat(Instant.parse(image.config().path("created").asText())).isEqualTo(created);
    assertThat(image.config().path("history").findValuesAsText("created")).isNotEmpty()
        .allSatisfy(time -> assertThat(Instant.parse(time)).isEqualTo(created));
    // Jib's EPOCH_PLUS_SECOND: no file carries the time it was built.
    assertThat(image.modificationTimes()).isNotEmpty()
        .allSatisfy((path, time) -> assertThat(time).as(path).isEqualTo(Instant.EPOCH.plusSeconds(1)));
  }

  /** Vicinity's own modules are jars in a layer of their own: fixed entry times keep that layer's digest. */
  @Test
  void vicinityModuleJarsHaveTheBuildsFixedEntryTime() throws IOException {
    LocalDateTime fixed = LocalDateTime.ofInstant(Instant.parse(System.getProperty("vicinity.build.outputTimestamp")), ZoneOffset.UTC);
    List<Path> modules;
    try (Stream<Path> files = Files.list(image.file("/app/libs"))) {
      modules = files.filter(path -> path.getFileName().toString().startsWith("vicinity-")).toList();
    }
    assertThat(modules).hasSize(4);
    for (Path module : modules) {
      try (ZipFile jar = new ZipFile(module.toFile())) {
        assertThat(jar.stream().map(ZipEntry::getTimeLocal).distinct().toList()).as(module.getFileName().toString()).containsExactly(fixed);
      }
    }
  }

  @Test
  void holdsTheServerClassesAndItsRuntimeDependenciesOnly() throws IOException {
    assertThat(image.file("/app/classes/" + MAIN_CLASS.replace('.', '/') + ".class")).isRegularFile();
    assertThat(image.file("/app/resources/simplelogger.properties")).isRegularFile();
    List<String> libraries;
    try (Stream<Path> files = Files.list(image.file("/app/libs"))) {
      libraries = files.map(path -> path.getFileName().toString()).sorted().toList();
    }
    assertThat(libraries).as("/app/libs").anySatisfy(name -> assertThat(name).startsWith("vicinity-api-"))
        .anySatisfy(name -> assertThat(name).startsWith("vicinity-translator-"))
        .anySatisfy(name -> assertThat(name).startsWith("vicinity-inventory-"))
        .anySatisfy(name -> assertThat(name).startsWith("vicinity-k8s-discovery-"))
        .anySatisfy(name -> assertThat(name).startsWith("grpc-netty-shaded-"))
        .anySatisfy(name -> assertThat(name).startsWith("kubernetes-client-"))
        .anySatisfy(name -> assertThat(name).startsWith("picocli-"))
        .anySatisfy(name -> assertThat(name).startsWith("slf4j-simple-")) // runtime scope
        .noneSatisfy(name -> assertThat(name).matches("(junit|assertj|awaitility|commons-compress|bcpkix).*|.*-tests\\.jar"));
    List<String> classpath = Arrays.asList(image.fileContent(CLASSPATH_FILE).split(":"));
    assertThat(classpath).hasSize(libraries.size() + 2).allSatisfy(entry -> assertThat(image.file(entry)).exists());
  }

  /** What {@code docker run IMAGE --version} runs, with this JVM for the base's java and the image's files. */
  @Test
  void entrypointPrintsTheProjectVersion(@TempDir Path work) throws Exception {
    Path output = work.resolve("output.log");
    Process version = new ProcessBuilder(entrypoint(work, "--version")).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    assertThat(version.waitFor(60, TimeUnit.SECONDS)).as("vicinity --version ends").isTrue();
    assertThat(version.exitValue()).isZero();
    assertThat(Files.readString(output).strip()).isEqualTo("vicinity " + System.getProperty("vicinity.version"));
  }

  /** What {@code docker run IMAGE serve --config DIR} runs, with this JVM for the base's java and the image's files. */
  @Test
  void entrypointServesFromTheImageFiles(@TempDir Path work) throws Exception {
    Path config = Path.of(System.getProperty("vicinity.root"), "examples", "bookinfo");
    Path output = work.resolve("output.log");
    Process server = new ProcessBuilder(entrypoint(work, "serve", "--config", config.toString(), "--xds-port", "0", "--debug-port", "0"))
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    try {
      String debugUrl = await("the debug endpoint's address in the server's log").atMost(Duration.ofSeconds(60))
          .until(() -> debugUrl(Files.readString(output)), Optional::isPresent).orElseThrow();
      HttpClient http = HttpClient.newHttpClient();
      await("/readyz answers 200").atMost(Duration.ofSeconds(30)).until(() ->
          http.send(HttpRequest.newBuilder(URI.create(debugUrl + "/readyz")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    } finally {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
    assertThat(Files.readString(output)).doesNotContain("Exception");
  }

  /**
   * The image's entrypoint followed by {@code arguments}, runnable here: this JVM stands in for the
   * base's {@code java}, and the classpath file names the unpacked image's files.
   */
  private static List<String> entrypoint(Path work, String... arguments) throws IOException {
    Path argumentFile = work.resolve("jib-classpath-file");
    Files.writeString(argumentFile, Arrays.stream(image.fileContent(CLASSPATH_FILE).split(":"))
        .map(entry -> image.file(entry).toString())
        .collect(Collectors.joining(":")));
    List<String> command = new ArrayList<>();
    for (String argument : strings(image.config().path("config").path("Entrypoint"))) {
      if (argument.equals("java")) {
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      } else if (argument.equals("@" + CLASSPATH_FILE)) {
        command.add("@" + argumentFile);
      } else {
        command.add(argument);
      }
    }
    command.addAll(List.of(arguments));
    return command;
  }

  private static Optional<String> debugUrl(String log) {
    Matcher matcher = DEBUG_URL.matcher(log);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  private static Instant expectedCreationTime() {
    String configured = System.getProperty("vicinity.image.creationTime", "EPOCH");
    return configured.equals("EPOCH") ? Instant.EPOCH : Instant.parse(configured);
  }

  private static List<String> strings(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static Set<String> fieldNames(JsonNode object) {
    Set<String> names = new TreeSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * A Docker-format image tarball (manifest.json, config.json, gzipped layer tars) with its layers
   * applied in order under {@code root}, and the modification time of every file the layers hold.
   */
  private record UnpackedImage(JsonNode manifest, JsonNode config, Path root, Map<String, Instant> modificationTimes) {
    static UnpackedImage read(Path tarball, Path directory) throws IOException {
      Path outer = Files.createDirectories(directory.resolve("tarball"));
      extract(tarball, false, outer, new HashMap<>());
      ObjectMapper json = new ObjectMapper();
      JsonNode manifests = json.readTree(outer.resolve("manifest.json").toFile());
      assertThat(manifests).as("manifest.json: one image").hasSize(1);
      JsonNode manifest = manifests.get(0);
      JsonNode config = json.readTree(outer.resolve(manifest.path("Config").asText()).toFile());
      Path root = Files.createDirectories(directory.resolve("root"));
      Map<String, Instant> modificationTimes = new HashMap<>();
      for (String layer : strings(manifest.path("Layers"))) {
        extract(outer.resolve(layer), true, root, modificationTimes);
      }
      return new UnpackedImage(manifest, config, root, Map.copyOf(modificationTimes));
    }

    /** The image's absolute path {@code imagePath} in the unpacked file system. */
    Path file(String imagePath) {
      Path path = root.resolve(imagePath.replaceFirst("^/+", "")).normalize();
      assertThat(path.startsWith(root)).as("%s stays inside the image", imagePath).isTrue();
      return path;
    }

    String fileContent(String imagePath) {
      try {
        return Files.readString(file(imagePath), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new AssertionError("the image has no readable " + imagePath, e);
      }
    }

    private static void extract(Path archive, boolean gzipped, Path target, Map<String, Instant> modificationTimes)
        throws IOException {
      try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
          InputStream content = gzipped ? new GZIPInputStream(file) : file;
          TarArchiveInputStream tar = new TarArchiveInputStream(content)) {
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
          Path path = target.resolve(entry.getName()).normalize();
          assertThat(path.startsWith(target)).as("%s: entry %s stays inside", archive.getFileName(), entry.getName()).isTrue();
          modificationTimes.put("/" + target.relativize(path), entry.getModTime().toInstant());
          if (entry.isDirectory()) {
            Files.createDirectories(path);
          } else {
            Files.createDirectories(path.getParent());
            Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
  }
}
