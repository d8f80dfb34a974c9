package dev.vicinity.deploy;

import dev.vicinity.discovery.PolicyResourceSource;
import dev.vicinity.inventory.files.KubernetesObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** RBAC as a set of single grants (API group, resource, verb), so that two rule lists compare exactly. */
final class RbacGrants {
  /** One verb on one resource of one API group ("" for the core group). */
  record Grant(String group, String resource, String verb) implements Comparable<Grant> {
    @Override
    public int compareTo(Grant other) {
      return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
      return (group.isEmpty() ? "core" : group) + " " + resource + " " + verb;
    }
  }

  private static final List<String> READ = List.of("get", "list", "watch");

  private RbacGrants() {}

  static Set<Grant> of(Collection<PolicyRule> rules) {
    Set<Grant> grants = new TreeSet<>();
    for (PolicyRule rule : rules) {
      if (rule.getResourceNames() != null && !rule.getResourceNames().isEmpty()) {
        throw new AssertionError("unexpected resourceNames in " + rule);
      }
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            grants.add(new Grant(group, resource, verb));
          }
        }
      }
    }
    return grants;
  }

  /**
   * What Vicinity does in the cluster it runs in, from its own code: it lists and watches each kind its
   * discovery maps ({@link KubernetesObjects}' lists) and each policy resource {@link PolicyResourceSource}
   * watches, and updates the status of the latter.
   */
  static Set<Grant> discoveryAndStatus() {
    Set<Grant> grants = new TreeSet<>();
    for (Class<? extends HasMetadata> kind : discoveredKinds()) {
      READ.forEach(verb -> grants.add(new Grant(HasMetadata.getGroup(kind), HasMetadata.getPlural(kind), verb)));
    }
    for (ResourceDefinitionContext policy : PolicyResourceSource.watchedResources()) {
      READ.forEach(verb -> grants.add(new Grant(policy.getGroup(), policy.getPlural(), verb)));
      grants.add(new Grant(policy.getGroup(), policy.getPlural() + "/status", "update"));
    }
    return grants;
  }

  /** The element types of {@link KubernetesObjects}' lists: Node, Service, EndpointSlice. */
  static List<Class<? extends HasMetadata>> discoveredKinds() {
    return Arrays.stream(KubernetesObjects.class.getRecordComponents())
        .map(RecordComponent::getGenericType)
        .map(type -> ((ParameterizedType) type).getActualTypeArguments()[0])
        .map(type -> ((Class<?>) type).asSubclass(HasMetadata.class))
        .<Class<? extends HasMetadata>>map(type -> type)
        .toList();
  }

  /**
   * Leader election: fabric8's LeaseLock (7.8) reads the Lease, creates it and renews it with a merge patch;
   * update is granted too, as in deploy/kubernetes/rbac.yaml.
   */
  static Set<Grant> leases() {
    Set<Grant> grants = new TreeSet<>();
    List.of("get", "create", "update", "patch").forEach(verb -> grants.add(new Grant("coordination.k8s.io", "leases", verb)));
    return grants;
  }
}
