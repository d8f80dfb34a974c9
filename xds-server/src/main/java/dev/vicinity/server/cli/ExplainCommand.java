package dev.vicinity.server.cli;

import dev.vicinity.server.debug.ExplainRequest;
import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.world.Inputs;
import dev.vicinity.api.yaml.ConfigError;
import dev.vicinity.inventory.files.FileSource;
import dev.vicinity.translator.catalog.Catalog;
import dev.vicinity.translator.explain.Explainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vicinity explain}: what a client gets for a host, endpoint by endpoint, and why. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Show, for one client and one host, every endpoint with its priority, weight and the rule that",
      "placed it, and which priority takes the traffic (Envoy's shares, gRPC's choice), optionally",
      "with some localities or clusters failed."
    })
final class ExplainCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "DIR", description = "The configuration directory.")
  Path config;

  @Option(names = "--client", required = true, paramLabel = "CLUSTER[/REGION/ZONE[/SUBZONE]]",
      description = "Who asks: its cluster (CLUSTER_ID) and locality, e.g. mgmt-cluster/us-east-1/us-east-1a.")
  String client;

  @Option(names = "--host", required = true, paramLabel = "HOST[:PORT]", description = "What it calls, e.g. reviews.global:9080.")
  String host;

  @Option(names = "--kind", defaultValue = "grpc", paramLabel = "grpc|envoy", description = "Client kind (default: ${DEFAULT-VALUE}).")
  String kind;

  @Option(names = "--network", defaultValue = "", paramLabel = "NETWORK", description = "The client's network (NETWORK).")
  String network;

  @Option(names = "--namespace", defaultValue = "", paramLabel = "NAMESPACE", description = "The client's namespace (NAMESPACE).")
  String namespace;

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A workload label of the client (LABELS); repeatable.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--fail", paramLabel = "LOCALITY|CLUSTER",
      description = "Treat a locality (region[/zone[/subzone]]) or a cluster as down; repeatable or comma-separated.")
  List<String> fail = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ExplainRequest request;
    try {
      request = ExplainRequest.parse(client, host, kind, network, namespace, labels, fail);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return ServeCommand.CONFIG_ERROR;
    }
    Path file = config.resolve("vicinity.yaml");
    if (!Files.isRegularFile(file)) {
      err.println(file + ": not found; a configuration directory holds vicinity.yaml, clusters/ and policies/");
      return ServeCommand.CONFIG_ERROR;
    }
    ConfigReader.Result read = ConfigReader.read(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    if (read.config().isEmpty()) {
      read.errors().stream().map(ConfigError::toString).forEach(err::println);
      return ServeCommand.CONFIG_ERROR;
    }
    VicinityConfig settings = read.config().get();
    Inputs inputs;
    try (FileSource source = new FileSource(config, settings)) {
      inputs = source.load();
    }
    inputs.errors().forEach(e -> err.println("warning: " + e));
    Catalog catalog = Catalog.build(inputs.world(), inputs.policies(), settings.meshTopology());
    out.print(Explainer.render(Explainer.explain(catalog, request.client(), request.host(), request.port(), request.failed())));
    out.flush();
    return 0;
  }
}
