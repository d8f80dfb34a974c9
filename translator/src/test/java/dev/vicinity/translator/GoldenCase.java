package dev.vicinity.translator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.policy.Policy;
import dev.vicinity.api.policy.PolicyReader;
import dev.vicinity.api.policy.PolicySet;
import dev.vicinity.api.world.Inputs;
import dev.vicinity.api.world.Locality;
import dev.vicinity.inventory.files.FileSource;
import dev.vicinity.translator.catalog.Catalog;
import dev.vicinity.translator.envoy.EnvoyTypes;
import dev.vicinity.translator.envoy.XdsResources;
import dev.vicinity.translator.explain.Explainer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One golden case: {@code golden/<case>/case.yaml} names a configuration directory (relative to the
 * repository root, or the case's own {@code input/}) and a client; when the case has a
 * {@code policies/} directory, its policies replace the configuration's. {@code expected.json} holds
 * the translation as Envoy JSON; {@code expected.txt} the same case as the explain view shows it, one
 * section per cluster the client is given, for a reader who wants priorities, weights and reasons
 * without the proto JSON. {@code -Dgolden.update=true} rewrites the expected files.
 */
record GoldenCase(String name, Path directory, Path config, ClientProfile client) {
  static final Path ROOT = Path.of(System.getProperty("vicinity.root", "..")).toAbsolutePath().normalize();
  static final Path CASES = ROOT.resolve("translator/src/test/resources/golden");

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
      .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder().add(EnvoyTypes.typedConfigs()).build());

  /** The case file's shape. */
  record Spec(
      String description,
      String config,
      String clientKind,
      String clientCluster,
      String clientLocality,
      String clientNetwork,
      String clientNamespace) {}

  static List<GoldenCase> all() throws IOException {
    try (var directories = Files.list(CASES)) {
      return directories.filter(Files::isDirectory).sorted().map(GoldenCase::load).toList();
    }
  }

  static GoldenCase load(Path directory) {
    try {
      Spec spec = new YAMLMapper().readValue(directory.resolve("case.yaml").toFile(), Spec.class);
      Path config = spec.config() == null ? directory.resolve("input") : ROOT.resolve(spec.config());
      ClientProfile client = new ClientProfile(
          ClientKind.valueOf(spec.clientKind().toUpperCase(Locale.ROOT)),
          spec.clientCluster(),
          spec.clientLocality() == null ? Locality.UNKNOWN : Locality.parse(spec.clientLocality()),
          spec.clientNetwork(),
          java.util.Map.of(),
          spec.clientNamespace());
      return new GoldenCase(directory.getFileName().toString(), directory, config, client);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read golden case " + directory, e);
    }
  }

  VicinityConfig settings() throws IOException {
    Path file = config.resolve("vicinity.yaml");
    ConfigReader.Result read = ConfigReader.read(file.toString(), Files.readString(file));
    return read.config().orElseThrow(() -> new IllegalStateException(read.errors().toString()));
  }

  Inputs inputs() throws IOException {
    VicinityConfig settings = settings();
    try (FileSource source = new FileSource(config, settings)) {
      Inputs inputs = source.load();
      if (!inputs.errors().isEmpty()) {
        throw new IllegalStateException("golden input " + config + " has errors: " + inputs.errors());
      }
      Path policies = directory.resolve("policies");
      return Files.isDirectory(policies) ? new Inputs(inputs.world(), readPolicies(policies), List.of()) : inputs;
    }
  }

  private static PolicySet readPolicies(Path directory) throws IOException {
    List<Policy> policies = new java.util.ArrayList<>();
    try (var files = Files.list(directory)) {
      for (Path file : files.sorted().toList()) {
        PolicyReader.Result result = PolicyReader.read(file.getFileName().toString(), Files.readString(file));
        if (!result.errors().isEmpty()) {
          throw new IllegalStateException("golden policies have errors: " + result.errors());
        }
        policies.addAll(result.policies());
      }
    }
    return PolicySet.of(policies);
  }

  Catalog catalog() throws IOException {
    Inputs inputs = inputs();
    return Catalog.build(inputs.world(), inputs.policies(), settings().meshTopology());
  }

  XdsResources translate() throws IOException {
    return Translator.translate(catalog(), client);
  }

  /**
   * What {@code vicinity explain} prints for each host:port the client can call, one section per EDS
   * cluster of its translation in name order, no failure simulated. A host a TrafficPolicy shifts is
   * explained as the client calls it, so its section shows the clusters the route sends it to.
   */
  String explainEveryCluster() throws IOException {
    Catalog catalog = catalog();
    StringBuilder out = new StringBuilder()
        .append("# golden case ").append(name).append(": the explain view of every cluster client ")
        .append(client).append(" is given\n");
    for (Cluster cluster : Translator.translate(catalog, client).clusters()) {
      if (cluster.getType() != Cluster.DiscoveryType.EDS) {
        continue;
      }
      ResourceNames.ClusterName parsed = ResourceNames.parseCluster(cluster.getName())
          .orElseThrow(() -> new IllegalStateException("not an outbound cluster name: " + cluster.getName()));
      Explainer.Explanation explanation =
          Explainer.explain(catalog, client, parsed.host(), Optional.of(parsed.port()), Set.of());
      out.append("\n=== ").append(cluster.getName()).append(" ===\n");
      boolean routedHere = explanation.routes().stream()
          .flatMap(route -> route.targets().stream())
          .anyMatch(target -> target.cluster().equals(cluster.getName()));
      if (!routedHere) {
        // Otherwise a reader would take the shifted targets below for this cluster's own endpoints.
        out.append("(its host's route sends nothing to this cluster's own endpoints; expected.json has its load assignment)\n");
      }
      out.append(Explainer.render(explanation));
    }
    return out.toString();
  }

  static String render(XdsResources resources) {
    ObjectNode root = JSON.createObjectNode();
    root.set("clusters", array(resources.clusters()));
    root.set("endpoints", array(resources.endpoints()));
    root.set("listeners", array(resources.listeners()));
    root.set("routes", array(resources.routes()));
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ArrayNode array(List<? extends Message> messages) {
    ArrayNode array = JSON.createArrayNode();
    for (Message message : messages) {
      try {
        JsonNode node = JSON.readTree(PRINTER.print(message));
        array.add(node);
      } catch (InvalidProtocolBufferException | com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return array;
  }

  Path expected() {
    return directory.resolve("expected.json");
  }

  Path expectedText() {
    return directory.resolve("expected.txt");
  }

  @Override
  public String toString() {
    return name;
  }
}
