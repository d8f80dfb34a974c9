package dev.vicinity.translator.acceptance;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import io.envoyproxy.pgv.validate.Validate.MapRules;
import io.envoyproxy.pgv.validate.Validate.RepeatedRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One walk of one resource: visits every field that carries a rule or holds a message, and collects the
 * violations with their field paths. Holds the rules it has read per message type, because reading options
 * is most of the walk's cost and a resource repeats its types (a thousand endpoints, one type).
 */
final class RuleWalk {
  private static final List<String> JAVA_PACKAGE_PREFIXES = List.of("io.envoyproxy.", "com.github.");

  /** A message type's rules: the fields worth visiting (those with rules or holding messages). */
  private record TypePlan(boolean disabled, List<OneofDescriptor> requiredOneofs, List<FieldPlan> fields) {}

  /** A field and its rules; rules are null when the field has none but holds messages to recurse into. */
  private record FieldPlan(FieldDescriptor field, FieldRules rules) {}

  private final String resource;
  private final List<Violation> violations = new ArrayList<>();
  private final Map<Descriptor, TypePlan> plans = new HashMap<>();
  private final Map<String, Optional<Message>> payloadTypes = new HashMap<>();

  RuleWalk(String resource) {
    this.resource = resource;
  }

  List<Violation> check(Message message) {
    message(message, "");
    return List.copyOf(violations);
  }

  private void message(Message message, String path) {
    TypePlan plan = plans.computeIfAbsent(message.getDescriptorForType(), RuleWalk::plan);
    if (plan.disabled()) {
      return;
    }
    for (OneofDescriptor oneof : plan.requiredOneofs()) {
      if (!message.hasOneof(oneof)) {
        add(join(path, oneof.getName()), "oneof.required",
            "none of " + oneof.getFields().stream().map(FieldDescriptor::getName).toList() + " is set");
      }
    }
    for (FieldPlan field : plan.fields()) {
      field(message, field.field(), field.rules(), path);
    }
  }

  private static TypePlan plan(Descriptor type) {
    boolean disabled = type.getOptions().getExtension(Validate.disabled) || type.getOptions().getExtension(Validate.ignored);
    List<OneofDescriptor> requiredOneofs = type.getRealOneofs().stream()
        .filter(oneof -> oneof.getOptions().getExtension(Validate.required))
        .toList();
    List<FieldPlan> fields = new ArrayList<>();
    for (FieldDescriptor field : type.getFields()) {
      FieldRules rules = field.getOptions().hasExtension(Validate.rules) ? field.getOptions().getExtension(Validate.rules) : null;
      if (rules != null || field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        fields.add(new FieldPlan(field, rules));
      }
    }
    return new TypePlan(disabled, requiredOneofs, List.copyOf(fields));
  }

  private void field(Message message, FieldDescriptor field, FieldRules rules, String path) {
    // A oneof member or a proto3 `optional` scalar is only checked when set, as protoc-gen-validate does.
    boolean optionalScalar = field.hasPresence() && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE;
    if ((field.getRealContainingOneof() != null || optionalScalar) && !message.hasField(field)) {
      return;
    }
    String at = join(path, field.getName());
    if (field.isMapField()) {
      map(message, field, rules, at);
    } else if (field.isRepeated()) {
      repeated(message, field, rules, at);
    } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !message.hasField(field)) {
      absent(rules, at);
    } else {
      value(message.getField(field), field, rules, at);
    }
  }

  /** A present value: its own rules, then (for a message) the rules inside it. */
  private void value(Object value, FieldDescriptor field, FieldRules rules, String at) {
    if (rules != null) {
      for (ValueRules.Broken broken : ValueRules.check(value, field, rules)) {
        add(at, broken.rule(), broken.message());
      }
    }
    if (value instanceof Message nested && (rules == null || !rules.getMessage().getSkip())) {
      embedded(nested, at);
    }
  }

  private void absent(FieldRules rules, String at) {
    if (rules == null) {
      return;
    }
    if (rules.getMessage().getRequired()) {
      add(at, "message.required", "not set");
    }
    switch (rules.getTypeCase()) {
      case DURATION -> required(rules.getDuration().getRequired(), "duration.required", at);
      case TIMESTAMP -> required(rules.getTimestamp().getRequired(), "timestamp.required", at);
      case ANY -> required(rules.getAny().getRequired(), "any.required", at);
      default -> { }
    }
  }

  private void required(boolean required, String rule, String at) {
    if (required) {
      add(at, rule, "not set");
    }
  }

  private void repeated(Message message, FieldDescriptor field, FieldRules rules, String at) {
    int count = message.getRepeatedFieldCount(field);
    RepeatedRules repeated = rules != null && rules.hasRepeated() ? rules.getRepeated() : null;
    if (repeated != null && !(repeated.getIgnoreEmpty() && count == 0)) {
      if (repeated.hasMinItems() && count < repeated.getMinItems()) {
        add(at, "repeated.min_items", count + " items, fewer than " + repeated.getMinItems());
      }
      if (repeated.hasMaxItems() && count > repeated.getMaxItems()) {
        add(at, "repeated.max_items", count + " items, more than " + repeated.getMaxItems());
      }
      if (repeated.getUnique()) {
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
          Object item = message.getRepeatedField(field, i);
          if (!seen.add(item)) {
            add(at + "[" + i + "]", "repeated.unique", ValueRules.show(item) + " appears more than once");
          }
        }
      }
    }
    FieldRules items = repeated != null && repeated.hasItems() ? repeated.getItems() : null;
    if (items == null && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return;
    }
    for (int i = 0; i < count; i++) {
      value(message.getRepeatedField(field, i), field, items, at + "[" + i + "]");
    }
  }

  private void map(Message message, FieldDescriptor field, FieldRules rules, String at) {
    List<?> entries = (List<?>) message.getField(field);
    MapRules map = rules != null && rules.hasMap() ? rules.getMap() : null;
    if (map != null && !(map.getIgnoreEmpty() && entries.isEmpty())) {
      if (map.hasMinPairs() && entries.size() < map.getMinPairs()) {
        add(at, "map.min_pairs", entries.size() + " pairs, fewer than " + map.getMinPairs());
      }
      if (map.hasMaxPairs() && entries.size() > map.getMaxPairs()) {
        add(at, "map.max_pairs", entries.size() + " pairs, more than " + map.getMaxPairs());
      }
    }
    FieldDescriptor keyField = field.getMessageType().findFieldByName("key");
    FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
    FieldRules keys = map != null && map.hasKeys() ? map.getKeys() : null;
    FieldRules values = map != null && map.hasValues() ? map.getValues() : null;
    for (Object entry : entries) {
      Message pair = (Message) entry;
      Object key = pair.getField(keyField);
      String entryAt = at + "[" + ValueRules.show(key) + "]";
      if (keys != null) {
        for (ValueRules.Broken broken : ValueRules.check(key, keyField, keys)) {
          add(entryAt, broken.rule(), "key " + broken.message());
        }
      }
      if (values != null || valueField.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        value(pair.getField(valueField), valueField, values, entryAt);
      }
    }
  }

  private void embedded(Message nested, String at) {
    if (nested.getDescriptorForType().getFullName().equals(Any.getDescriptor().getFullName())) {
      payload(ValueRules.typeUrl(nested), (ByteString) nested.getField(nested.getDescriptorForType().findFieldByName("value")), at);
    } else if (!nested.getDescriptorForType().getFullName().startsWith("google.protobuf.")) {
      // Google's well-known types carry no rules; Struct values in metadata would only cost time.
      message(nested, at);
    }
  }

  /** Envoy validates a typed config when it unpacks it, so the payload's own rules count too. */
  private void payload(String typeUrl, ByteString value, String at) {
    String typeName = typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
    Optional<Message> type = payloadTypes.computeIfAbsent(typeName, RuleWalk::resolve);
    if (type.isEmpty()) {
      return;
    }
    String payloadAt = at + "(" + type.get().getDescriptorForType().getName() + ")";
    try {
      message(type.get().getParserForType().parseFrom(value), payloadAt);
    } catch (InvalidProtocolBufferException e) {
      add(payloadAt, "any.payload", "the payload does not parse as " + typeName);
    }
  }

  /** The default instance of a generated message type, found by the Envoy and xDS protos' Java package rule. */
  private static Optional<Message> resolve(String typeName) {
    for (String prefix : JAVA_PACKAGE_PREFIXES) {
      try {
        Class<?> type = Class.forName(prefix + typeName, true, RuleWalk.class.getClassLoader());
        if (Message.class.isAssignableFrom(type)) {
          Message instance = (Message) type.getMethod("getDefaultInstance").invoke(null);
          if (instance.getDescriptorForType().getFullName().equals(typeName)) {
            return Optional.of(instance);
          }
        }
      } catch (ReflectiveOperationException | LinkageError e) {
        // Not this package: try the next one; no package at all means the payload is skipped.
      }
    }
    return Optional.empty();
  }

  private void add(String field, String rule, String message) {
    violations.add(new Violation(resource, field, rule, message));
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
