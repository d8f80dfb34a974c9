package dev.vicinity.discovery.leader;

import dev.vicinity.api.config.LeaderElectionSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Which Lease this replica competes for, and under which name. The namespace is the configured one, else
 * the pod's ({@code POD_NAMESPACE} from the downward API, else its service account's namespace file), else
 * {@link LeaderElectionSettings#DEFAULT_NAMESPACE}. The identity is {@code POD_NAME}, unique in a cluster;
 * else the host name with a random suffix, so that two processes on one machine never share it.
 */
public record LeaseCandidate(String namespace, String leaseName, String identity) {
  /** Where Kubernetes mounts the pod's own namespace. */
  static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  /** From the process's environment. */
  public static LeaseCandidate fromEnvironment(LeaderElectionSettings settings) {
    return of(settings, System::getenv, SERVICE_ACCOUNT_NAMESPACE, hostName(), UUID.randomUUID().toString().substring(0, 8));
  }

  /**
   * @param environment the value of an environment variable, or null
   * @param namespaceFile the service account's namespace file, read if the environment names no namespace
   * @param suffix what makes a host name unique to this process
   */
  static LeaseCandidate of(LeaderElectionSettings settings, UnaryOperator<String> environment, Path namespaceFile,
      String hostName, String suffix) {
    String namespace = settings.namespace();
    if (namespace.isEmpty()) {
      namespace = nonBlank(environment.apply("POD_NAMESPACE"));
    }
    if (namespace.isEmpty()) {
      namespace = fileContent(namespaceFile);
    }
    if (namespace.isEmpty()) {
      namespace = LeaderElectionSettings.DEFAULT_NAMESPACE;
    }
    String podName = nonBlank(environment.apply("POD_NAME"));
    String identity = podName.isEmpty() ? hostName + "_" + suffix : podName;
    return new LeaseCandidate(namespace, settings.name(), identity);
  }

  private static String fileContent(Path file) {
    try {
      return Files.isReadable(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : "";
    } catch (IOException e) {
      return ""; // not in a pod, or no service account mounted: the next fallback applies
    }
  }

  private static String nonBlank(String value) {
    return value == null ? "" : value.strip();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "vicinity";
    }
  }

  /** As the debug page and the logs show it: {@code namespace/name}. */
  public String lease() {
    return namespace + "/" + leaseName;
  }
}
