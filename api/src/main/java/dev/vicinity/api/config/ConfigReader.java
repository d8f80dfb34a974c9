package dev.vicinity.api.config;

import com.fasterxml.jackson.core.JsonPointer;
import dev.vicinity.api.policy.ObjectRef;
import dev.vicinity.api.yaml.ConfigError;
import dev.vicinity.api.yaml.DocumentBinder;
import dev.vicinity.api.yaml.Durations;
import dev.vicinity.api.yaml.SourceDocument;
import dev.vicinity.api.yaml.YamlDocuments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Reads and checks {@code vicinity.yaml}. Unlike policies, a bad server file stops start-up. */
public final class ConfigReader {
  /** Cluster names become directory names and Envoy metadata: DNS labels, as Kubernetes names are. */
  private static final Pattern CLUSTER_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  /** A Lease's name: a DNS subdomain, as Kubernetes requires of most object names. */
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  /**
   * fabric8 retries up to 120% of a retry period later than the period itself, and refuses a renew deadline
   * that would not fit one such retry (the same factor as its {@code LeaderElector.JITTER_FACTOR}).
   */
  private static final double RETRY_JITTER = 1.2;

  private ConfigReader() {}

  /** The configuration, or every error that prevented it. */
  public record Result(Optional<VicinityConfig> config, List<ConfigError> errors) {
    public Result {
      errors = List.copyOf(errors);
    }
  }

  public static Result read(String source, String yaml) {
    YamlDocuments.Parsed parsed = YamlDocuments.parse(source, yaml);
    List<ConfigError> errors = new ArrayList<>(parsed.errors());
    if (!errors.isEmpty()) {
      return new Result(Optional.empty(), errors);
    }
    if (parsed.documents().size() != 1) {
      errors.add(new ConfigError(source, 1, "", "expected exactly one YAML document, found " + parsed.documents().size()));
      return new Result(Optional.empty(), errors);
    }
    SourceDocument document = parsed.documents().get(0);
    DocumentBinder.Bound<VicinityConfig> bound = DocumentBinder.bind(document, JsonPointer.empty(), VicinityConfig.class);
    errors.addAll(bound.errors());
    bound.value().ifPresent(config -> validate(config, document, errors));
    return errors.isEmpty() ? new Result(bound.value(), errors) : new Result(Optional.empty(), errors);
  }

  private static void validate(VicinityConfig config, SourceDocument document, List<ConfigError> errors) {
    JsonPointer clusters = JsonPointer.compile("/clusters");
    if (config.clusters().isEmpty()) {
      errors.add(document.error(clusters, "at least one cluster is required: {name, network, locality}"));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < config.clusters().size(); i++) {
      ClusterConfig cluster = config.clusters().get(i);
      JsonPointer name = clusters.appendIndex(i).appendProperty("name");
      if (cluster == null || cluster.name() == null || cluster.name().isEmpty()) {
        errors.add(document.error(name, "required: the Kubernetes cluster's name, e.g. mgmt-cluster"));
      } else if (!CLUSTER_NAME.matcher(cluster.name()).matches()) {
        errors.add(document.error(name, "'" + cluster.name() + "' is not a DNS label (lower case letters, digits, '-')"));
      } else if (!seen.add(cluster.name())) {
        errors.add(document.error(name, "cluster '" + cluster.name() + "' is listed twice"));
      }
      if (cluster != null) {
        for (int g = 0; g < cluster.eastWestGateways().size(); g++) {
          Gateway gateway = cluster.eastWestGateways().get(g);
          JsonPointer at = clusters.appendIndex(i).appendProperty("eastWestGateways").appendIndex(g);
          if (gateway.address().isEmpty()) {
            errors.add(document.error(at.appendProperty("address"), "required: the gateway's IP address or host name"));
          }
          if (gateway.port() < 1 || gateway.port() > 65535) {
            errors.add(document.error(at.appendProperty("port"), gateway.port() + " is not a port number: expected 1-65535"));
          }
        }
        if (cluster.inCluster() && !cluster.kubeconfig().isEmpty()) {
          errors.add(document.error(clusters.appendIndex(i).appendProperty("inCluster"),
              "either 'inCluster: true' or 'kubeconfig' (with 'context'), not both"));
        }
        if (cluster.policySource() && !cluster.live()) {
          errors.add(document.error(clusters.appendIndex(i).appendProperty("policySource"),
              "only a live cluster (kubeconfig or inCluster) can hold policy custom resources"));
        }
        if (!cluster.context().isEmpty() && cluster.kubeconfig().isEmpty()) {
          errors.add(document.error(clusters.appendIndex(i).appendProperty("context"),
              "'context' needs 'kubeconfig': the file the context is in"));
        }
        if (!cluster.eastWestGateways().isEmpty() && cluster.network().isEmpty()) {
          errors.add(document.error(clusters.appendIndex(i).appendProperty("network"),
              "required with eastWestGateways: the network those gateways lead into"));
        }
      }
    }
    Set<String> clusterNames = new HashSet<>();
    config.clusters().forEach(c -> clusterNames.add(c.name()));
    Set<String> meshes = new HashSet<>();
    for (int i = 0; i < config.meshes().size(); i++) {
      MeshConfig mesh = config.meshes().get(i);
      JsonPointer at = JsonPointer.compile("/meshes/" + i);
      if (mesh.name().isEmpty() || mesh.namespace().isEmpty()) {
        errors.add(document.error(at, "'name' and 'namespace' are required"));
      } else if (!meshes.add(mesh.namespace() + "/" + mesh.name())) {
        errors.add(document.error(at.appendProperty("name"), "mesh " + mesh.namespace() + "/" + mesh.name() + " is listed twice"));
      }
      if (!clusterNames.contains(mesh.cluster())) {
        errors.add(document.error(at.appendProperty("cluster"),
            "'" + mesh.cluster() + "' is not a cluster of this file; expected one of " + String.join(", ", new TreeSet<>(clusterNames))));
      }
    }
    for (int i = 0; i < config.virtualMeshes().size(); i++) {
      VirtualMeshConfig virtualMesh = config.virtualMeshes().get(i);
      JsonPointer at = JsonPointer.compile("/virtualMeshes/" + i);
      if (virtualMesh.name().isEmpty() || virtualMesh.namespace().isEmpty()) {
        errors.add(document.error(at, "'name' and 'namespace' are required"));
      }
      for (int j = 0; j < virtualMesh.meshes().size(); j++) {
        ObjectRef mesh = virtualMesh.meshes().get(j);
        if (!meshes.contains(mesh.namespace() + "/" + mesh.name())) {
          errors.add(document.error(at.appendProperty("meshes").appendIndex(j), "no mesh " + mesh + " under 'meshes'"));
        }
      }
    }
    ServerSettings server = config.server();
    port(server.xdsPort(), "/server/xdsPort", document, errors);
    port(server.debugPort(), "/server/debugPort", document, errors);
    if (server.maxConcurrentStreamStarts() < 1) {
      errors.add(document.error(JsonPointer.compile("/server/maxConcurrentStreamStarts"), server.maxConcurrentStreamStarts()
          + " is too small: expected at least 1 (streams beyond the limit wait their turn, they are not refused)"));
    }
    if (server.maxNodeGroups() < 1) {
      errors.add(document.error(JsonPointer.compile("/server/maxNodeGroups"), server.maxNodeGroups()
          + " is too small: expected at least 1 (streams of a node group beyond the limit are refused)"));
    }
    atLeast(server.streamStartTimeout(), Duration.ofMillis(1), "/server/streamStartTimeout", "a positive duration, e.g. 5s",
        document, errors);
    atLeast(server.keepAliveTime(), Duration.ofSeconds(1), "/server/keepAliveTime", "at least 1s, e.g. 30s", document, errors);
    atLeast(server.keepAliveTimeout(), Duration.ofMillis(1), "/server/keepAliveTimeout", "a positive duration, e.g. 10s",
        document, errors);
    if (!server.maxConnectionAge().isZero()) {
      atLeast(server.maxConnectionAge(), Duration.ofSeconds(1), "/server/maxConnectionAge", "at least 1s, e.g. 30m, or 0 for never",
          document, errors);
    }
    validate(config.leaderElection(), document, errors);
  }

  private static void validate(LeaderElectionSettings election, SourceDocument document, List<ConfigError> errors) {
    String namespace = election.namespace();
    if (!namespace.isEmpty() && (namespace.length() > 63 || !CLUSTER_NAME.matcher(namespace).matches())) {
      errors.add(document.error(JsonPointer.compile("/leaderElection/namespace"), "'" + namespace
          + "' is not a Kubernetes namespace name: expected a DNS label (lower case letters, digits, '-'; at most 63)"));
    }
    String name = election.name();
    if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      errors.add(document.error(JsonPointer.compile("/leaderElection/name"), "'" + name
          + "' is not a Lease name: expected lower case letters, digits, '-' and '.' (at most 253), e.g. vicinity-leader"));
    }
    Duration lease = election.leaseDuration();
    Duration renew = election.renewDeadline();
    Duration retry = election.retryPeriod();
    JsonPointer leaseAt = JsonPointer.compile("/leaderElection/leaseDuration");
    JsonPointer renewAt = JsonPointer.compile("/leaderElection/renewDeadline");
    JsonPointer retryAt = JsonPointer.compile("/leaderElection/retryPeriod");
    boolean wellFormed = true;
    if (lease.compareTo(Duration.ofSeconds(1)) < 0 || lease.getNano() != 0) {
      errors.add(document.error(leaseAt, Durations.format(lease)
          + " is not a lease duration: expected whole seconds, at least 1s, e.g. 15s (a Lease holds whole seconds)"));
      wellFormed = false;
    }
    if (renew.compareTo(Duration.ofMillis(1)) < 0) {
      errors.add(document.error(renewAt, Durations.format(renew) + " is too short: expected a positive duration, e.g. 10s"));
      wellFormed = false;
    }
    if (retry.compareTo(Duration.ofMillis(1)) < 0) {
      errors.add(document.error(retryAt, Durations.format(retry) + " is too short: expected a positive duration, e.g. 2s"));
      wellFormed = false;
    }
    if (!wellFormed) {
      return;
    }
    if (renew.compareTo(lease) >= 0) {
      errors.add(document.error(renewAt, Durations.format(renew) + " is too long: expected less than leaseDuration ("
          + Durations.format(lease) + "), so that a leader stops writing before another may take the Lease"));
    }
    Duration longestRetry = retry.plusMillis((long) Math.ceil(retry.toMillis() * RETRY_JITTER));
    if (longestRetry.compareTo(renew) >= 0) {
      errors.add(document.error(retryAt, Durations.format(retry) + " is too long: expected less than renewDeadline ("
          + Durations.format(renew) + ") / 2.2, as a renewal is retried up to 2.2 retry periods after the last"));
    }
  }

  /** gRPC would silently round a shorter duration up (or fail): say so instead. */
  private static void atLeast(Duration value, Duration minimum, String at, String expected, SourceDocument document,
      List<ConfigError> errors) {
    if (value.compareTo(minimum) < 0) {
      errors.add(document.error(JsonPointer.compile(at), Durations.format(value) + " is too short: expected " + expected));
    }
  }

  private static void port(int port, String at, SourceDocument document, List<ConfigError> errors) {
    if (port < 0 || port > 65535) {
      errors.add(document.error(JsonPointer.compile(at), port + " is not a port: expected 0-65535 (0: any free port)"));
    }
  }
}
