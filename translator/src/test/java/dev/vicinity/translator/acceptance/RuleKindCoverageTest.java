package dev.vicinity.translator.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import dev.vicinity.translator.envoy.EnvoyTypes;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The validator knows every rule kind it meets: each kind validate.proto defines is either implemented or
 * listed as not, and the protos of the resources Vicinity sends (and of the typed configs it packs into them)
 * use no kind that is left unchecked. A new Envoy API version that starts using an unchecked kind fails here.
 */
class RuleKindCoverageTest {
  private static final List<Descriptor> SENT = List.of(Listener.getDescriptor(), RouteConfiguration.getDescriptor(),
      Cluster.getDescriptor(), ClusterLoadAssignment.getDescriptor());

  @Test
  void everyRuleKindOfValidateProtoIsImplementedOrListedAsNotAndNeverBoth() {
    Set<String> defined = new TreeSet<>(List.of("oneof.required", "message.disabled", "message.ignored"));
    for (FieldDescriptor type : FieldRules.getDescriptor().getFields()) {
      for (FieldDescriptor rule : type.getMessageType().getFields()) {
        defined.add(type.getName() + "." + rule.getName());
      }
    }

    Set<String> known = new TreeSet<>(EnvoyRules.IMPLEMENTED_RULES);
    known.addAll(EnvoyRules.NOT_IMPLEMENTED_RULES);
    assertThat(known).containsExactlyElementsOf(defined);
    assertThat(EnvoyRules.IMPLEMENTED_RULES).doesNotContainAnyElementsOf(EnvoyRules.NOT_IMPLEMENTED_RULES);
  }

  @Test
  void theRulesAreReadableFromTheDescriptorsAtRunTime() {
    FieldDescriptor maxEjectionPercent = io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.getDescriptor()
        .findFieldByName("max_ejection_percent");

    assertThat(maxEjectionPercent.getOptions().getExtension(Validate.rules).getUint32().getLte()).isEqualTo(100);
    assertThat(usedRuleKinds()).containsKeys("string.min_len", "uint32.lte", "duration.gt", "enum.defined_only",
        "oneof.required", "message.required", "repeated.min_items", "repeated.items", "map.keys");
  }

  @Test
  void everyRuleKindTheSentResourceTypesUseIsChecked() {
    Map<String, String> used = usedRuleKinds();

    assertThat(used.keySet()).as("rule kinds neither implemented nor listed as not implemented")
        .allMatch(kind -> EnvoyRules.IMPLEMENTED_RULES.contains(kind) || EnvoyRules.NOT_IMPLEMENTED_RULES.contains(kind));
    assertThat(used.keySet()).as("rule kinds used by the sent types but not checked (first use shown)")
        .doesNotContainAnyElementsOf(EnvoyRules.NOT_IMPLEMENTED_RULES);
  }

  /** Each rule kind found in the types reachable from the sent ones, with a field that uses it. */
  private static Map<String, String> usedRuleKinds() {
    List<Descriptor> roots = new ArrayList<>(SENT);
    roots.addAll(EnvoyTypes.typedConfigs());
    Deque<Descriptor> toVisit = new ArrayDeque<>(roots);
    Set<String> visited = new HashSet<>();
    Map<String, String> used = new TreeMap<>();
    while (!toVisit.isEmpty()) {
      Descriptor type = toVisit.pop();
      if (!visited.add(type.getFullName())) {
        continue;
      }
      if (type.getOptions().getExtension(Validate.disabled)) {
        used.putIfAbsent("message.disabled", type.getFullName());
      }
      if (type.getOptions().getExtension(Validate.ignored)) {
        used.putIfAbsent("message.ignored", type.getFullName());
      }
      for (OneofDescriptor oneof : type.getOneofs()) {
        if (oneof.getOptions().getExtension(Validate.required)) {
          used.putIfAbsent("oneof.required", oneof.getFullName());
        }
      }
      for (FieldDescriptor field : type.getFields()) {
        if (field.getOptions().hasExtension(Validate.rules)) {
          collect(field.getOptions().getExtension(Validate.rules), field.getFullName(), used);
        }
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
          toVisit.push(field.getMessageType());
        }
      }
    }
    assertThat(visited).as("types reachable from the sent resources").hasSizeGreaterThan(100);
    return used;
  }

  /** The kinds set in one field's rules, descending into the rules of repeated items and map keys and values. */
  private static void collect(FieldRules rules, String field, Map<String, String> used) {
    for (Map.Entry<FieldDescriptor, Object> type : rules.getAllFields().entrySet()) {
      for (Map.Entry<FieldDescriptor, Object> rule : ((Message) type.getValue()).getAllFields().entrySet()) {
        used.putIfAbsent(type.getKey().getName() + "." + rule.getKey().getName(), field);
        if (rule.getValue() instanceof FieldRules nested) {
          collect(nested, field, used);
        }
      }
    }
  }
}
