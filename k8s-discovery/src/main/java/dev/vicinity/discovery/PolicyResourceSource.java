package dev.vicinity.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.policy.ClusterObjectRef;
import dev.vicinity.api.policy.Policy;
import dev.vicinity.api.policy.PolicyKind;
import dev.vicinity.api.policy.PolicyReader;
import dev.vicinity.api.policy.PolicyStatus;
import dev.vicinity.api.yaml.ConfigError;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policies as custom resources in a cluster marked {@code policySource}: informers on
 * VirtualDestinations, TrafficPolicies and DestinationRules (their CRDs are in {@code deploy/crds/}).
 * Each resource is read with the same reader as policy files, so its errors are as precise; the
 * computed status is written back to its status subresource, only when it changes, and only while this
 * replica may write (see {@link dev.vicinity.discovery.leader.StatusLeadership}).
 */
public final class PolicyResourceSource implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PolicyResourceSource.class);
  private static final long RESYNC_MILLIS = 5 * 60 * 1000L;
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Each kind's resource, in the version it is watched in (the API server converts the others). Named
   * in full so that nothing depends on API discovery: a CRD installed after start-up is picked up.
   */
  static final Map<PolicyKind, ResourceDefinitionContext> WATCHED = new EnumMap<>(Map.of(
      PolicyKind.VIRTUAL_DESTINATION, resource("networking.enterprise.mesh.gloo.solo.io", "v1beta1", PolicyKind.VIRTUAL_DESTINATION, "virtualdestinations"),
      PolicyKind.TRAFFIC_POLICY, resource("networking.mesh.gloo.solo.io", "v1", PolicyKind.TRAFFIC_POLICY, "trafficpolicies"),
      PolicyKind.DESTINATION_RULE, resource("networking.istio.io", "v1", PolicyKind.DESTINATION_RULE, "destinationrules")));

  /** The resources watched, one per policy kind: what RBAC must let Vicinity read (and whose status it writes). */
  public static List<ResourceDefinitionContext> watchedResources() {
    return List.copyOf(WATCHED.values());
  }

  private final ClusterConfig cluster;
  private final KubernetesClient client;
  private final Map<PolicyKind, SharedIndexInformer<GenericKubernetesResource>> informers = new EnumMap<>(PolicyKind.class);
  private final AtomicReference<List<PolicyStatus>> pending = new AtomicReference<>();
  private final Map<String, Written> written = new ConcurrentHashMap<>();
  private final ExecutorService writer;
  private final BooleanSupplier mayWrite;

  /**
   * Reads through {@code client}, which the caller owns and closes.
   *
   * @param mayWrite asked before each status write: a replica that has just lost the leader Lease writes nothing more
   */
  public PolicyResourceSource(ClusterConfig cluster, KubernetesClient client, BooleanSupplier mayWrite) {
    this.cluster = cluster;
    this.client = client;
    this.mayWrite = mayWrite;
    this.writer = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "vicinity-status-writer-" + cluster.name());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The policies read from the cluster's custom resources and the problems met. */
  public record Read(List<Policy> policies, List<ConfigError> errors) {}

  public void start(Runnable onChange) {
    ResourceEventHandler<GenericKubernetesResource> signal = new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource resource) {
        onChange.run();
      }

      @Override
      public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
        if (!JSON.valueToTree(before.get("spec")).equals(JSON.valueToTree(after.get("spec")))
            || !String.valueOf(before.getMetadata().getGeneration()).equals(String.valueOf(after.getMetadata().getGeneration()))) {
          onChange.run(); // a status update (ours) changes nothing to translate
        }
      }

      @Override
      public void onDelete(GenericKubernetesResource resource, boolean deletedFinalStateUnknown) {
        onChange.run();
      }
    };
    WATCHED.forEach((kind, definition) -> {
      SharedIndexInformer<GenericKubernetesResource> informer =
          client.genericKubernetesResources(definition).inAnyNamespace().runnableInformer(RESYNC_MILLIS);
      informer.addEventHandler(signal);
      AtomicBoolean told = new AtomicBoolean();
      informer.exceptionHandler((isStarted, failure) -> {
        // A missing CRD or an outage: keep trying (fabric8 backs off), and say so once.
        if (!isStarted && !told.getAndSet(true)) {
          log.warn("cluster {}: cannot list {} ({}/{}): {}; are the CRDs of deploy/crds/ applied there? Retrying.",
              cluster.name(), definition.getPlural(), definition.getGroup(), definition.getVersion(), failure.getMessage());
        }
        return true;
      });
      informer.start();
      informers.put(kind, informer);
    });
  }

  public Read current() {
    List<Policy> policies = new ArrayList<>();
    List<ConfigError> errors = new ArrayList<>();
    informers.forEach((kind, informer) -> {
      for (GenericKubernetesResource resource : informer.getStore().list()) {
        PolicyReader.Result result = PolicyReader.read(source(resource), SERIALIZATION.asYaml(resource));
        policies.addAll(result.policies());
        errors.addAll(result.errors());
      }
    });
    return new Read(policies, errors);
  }

  /**
   * Writes each status whose resource lives here, when it differs from what the resource shows, on this
   * source's own thread so that a slow API server never holds up a push. A resource that could not be
   * read gets INVALID with its errors. Only the newest list is written when several arrive at once.
   */
  public void writeStatuses(List<PolicyStatus> statuses) {
    if (pending.getAndSet(List.copyOf(statuses)) == null) {
      writer.execute(this::writePending);
    }
  }

  private void writePending() {
    List<PolicyStatus> statuses = pending.getAndSet(null);
    if (statuses == null) {
      return;
    }
    Map<String, PolicyStatus> byResource = new HashMap<>();
    statuses.forEach(status -> byResource.put(key(status.kind(), status.ref().namespace(), status.ref().name()), status));
    Set<String> present = new HashSet<>();
    informers.forEach((kind, informer) -> {
      for (GenericKubernetesResource resource : informer.getStore().list()) {
        String key = key(kind, resource.getMetadata().getNamespace(), resource.getMetadata().getName());
        present.add(key);
        PolicyStatus status = byResource.get(key);
        Map<String, Object> desired = status != null ? desired(status) : invalid(resource);
        if (desired != null) {
          write(kind, key, resource, normalized(desired));
        }
      }
    });
    written.keySet().retainAll(present);
  }

  private void write(PolicyKind kind, String key, GenericKubernetesResource resource, JsonNode desired) {
    String version = resource.getMetadata().getResourceVersion();
    if (desired.equals(normalized(resource.get("status"))) || new Written(version, desired).equals(written.get(key))) {
      return; // already there, or written and not yet seen by the informer
    }
    if (!mayWrite.getAsBoolean()) {
      return; // the new leader writes it
    }
    GenericKubernetesResource updated = SERIALIZATION.clone(resource);
    updated.setAdditionalProperty("status", JSON.convertValue(desired, Map.class));
    try {
      client.genericKubernetesResources(WATCHED.get(kind))
          .inNamespace(resource.getMetadata().getNamespace()).resource(updated).updateStatus();
      written.put(key, new Written(version, desired));
    } catch (KubernetesClientException e) {
      // A conflict means the resource changed meanwhile: that change brings a new status of its own.
      log.warn("cluster {}: cannot write the status of {} {}/{}: {}", cluster.name(), kind.kindName(),
          resource.getMetadata().getNamespace(), resource.getMetadata().getName(), e.getMessage());
    }
  }

  /** INVALID with the reader's errors for a resource that could not be read, else nothing to write. */
  private Map<String, Object> invalid(GenericKubernetesResource resource) {
    List<ConfigError> errors = PolicyReader.read(source(resource), SERIALIZATION.asYaml(resource)).errors();
    if (errors.isEmpty()) {
      return null;
    }
    Map<String, Object> desired = new LinkedHashMap<>();
    Long generation = resource.getMetadata().getGeneration();
    desired.put("observedGeneration", generation == null ? 0L : generation);
    desired.put("state", PolicyStatus.State.INVALID.name());
    desired.put("errors", errors.stream()
        .map(error -> error.fieldPath().isEmpty() ? error.message() : error.fieldPath() + ": " + error.message())
        .toList());
    desired.put("selectedDestinations", List.of());
    desired.put("appliedTo", List.of());
    return desired;
  }

  private static ResourceDefinitionContext resource(String group, String version, PolicyKind kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group).withVersion(version).withKind(kind.kindName()).withPlural(plural).withNamespaced(true).build();
  }

  private static String key(PolicyKind kind, String namespace, String name) {
    return kind.kindName() + " " + namespace + "/" + name;
  }

  /** A status written against one version of a resource. */
  private record Written(String resourceVersion, JsonNode status) {}

  private static Map<String, Object> desired(PolicyStatus status) {
    Map<String, Object> desired = new LinkedHashMap<>();
    desired.put("observedGeneration", status.observedGeneration());
    desired.put("state", status.state().name());
    desired.put("errors", status.errors());
    List<Map<String, String>> selected = new ArrayList<>();
    for (ClusterObjectRef ref : status.selectedDestinations()) {
      selected.add(Map.of("name", ref.name(), "namespace", ref.namespace(), "clusterName", ref.clusterName()));
    }
    desired.put("selectedDestinations", selected);
    desired.put("appliedTo", status.appliedTo());
    return desired;
  }

  /** The same JSON tree whatever number types the map holds (the API gives back ints for longs). */
  private static JsonNode normalized(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return JSON.readTree(JSON.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private String source(GenericKubernetesResource resource) {
    return cluster.name() + ": " + resource.getKind() + " " + resource.getMetadata().getNamespace() + "/"
        + resource.getMetadata().getName();
  }

  @Override
  public void close() {
    writer.shutdownNow();
    informers.values().forEach(SharedIndexInformer::close);
  }
}
