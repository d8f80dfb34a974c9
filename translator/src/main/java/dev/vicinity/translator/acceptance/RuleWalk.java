package dev.vicinity.translator.acceptance;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.vicinity.translator.envoy.EnvoyTypes;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import io.envoyproxy.pgv.validate.Validate.MapRules;
import io.envoyproxy.pgv.validate.Validate.RepeatedRules;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One walk of one resource: visits every field that carries a rule or holds a message, and collects the
 * violations with their field paths. The rules of the types Vicinity sends are read once, when the class
 * loads, into an immutable table; a type outside it (a typed config of another kind) is read once per walk.
 */
final class RuleWalk {
  private static final List<String> JAVA_PACKAGE_PREFIXES = List.of("io.envoyproxy.", "com.github.");
  private static final Map<Descriptor, TypePlan> SENT_TYPES = planAll(Stream.concat(
      Stream.of(Listener.getDescriptor(), RouteConfiguration.getDescriptor(), Cluster.getDescriptor(),
          ClusterLoadAssignment.getDescriptor()),
      EnvoyTypes.typedConfigs().stream()).toList());

  /** The typed configs the translator packs, resolved once; other payload types are resolved once per walk. */
  private static final Map<String, Message> SENT_PAYLOADS = EnvoyTypes.typedConfigs().stream()
      .collect(Collectors.toUnmodifiableMap(Descriptor::getFullName, type -> resolve(type.getFullName()).orElseThrow()));

  /** A message type's rules: the fields worth visiting (those with rules or holding messages). */
  private record TypePlan(boolean disabled, List<OneofDescriptor> requiredOneofs, List<FieldPlan> fields) {}

  /** How a field holds its value. */
  private enum Shape { MAP, REPEATED, MESSAGE, SCALAR }

  /**
   * A field and its rules (null when it has none but holds messages to recurse into). A oneof member or a
   * proto3 {@code optional} scalar is only checked when set, as protoc-gen-validate does. A map's key and
   * value fields are looked up here once (null for other shapes).
   */
  private record FieldPlan(FieldDescriptor field, CompiledRules rules, Shape shape, boolean onlyWhenSet,
      FieldDescriptor mapKey, FieldDescriptor mapValue) {}

  /**
   * A field path, joined into text only when a violation needs it: most fields are visited and pass, and
   * building their paths' text would cost more than checking them.
   */
  private sealed interface Path {
    Path ROOT = new Root();

    default Path field(String name) {
      return new Field(this, name);
    }

    default Path index(int index) {
      return new Index(this, index);
    }

    default Path key(Object key) {
      return new Key(this, key);
    }

    default Path payload(String type) {
      return new Payload(this, type);
    }
  }

  private record Root() implements Path {
    @Override
    public String toString() {
      return "";
    }
  }

  private record Field(Path parent, String name) implements Path {
    @Override
    public String toString() {
      return parent instanceof Root ? name : parent + "." + name;
    }
  }

  private record Index(Path parent, int index) implements Path {
    @Override
    public String toString() {
      return parent + "[" + index + "]";
    }
  }

  private record Key(Path parent, Object key) implements Path {
    @Override
    public String toString() {
      return parent + "[" + ValueRules.show(key) + "]";
    }
  }

  private record Payload(Path parent, String type) implements Path {
    @Override
    public String toString() {
      return parent + "(" + type + ")";
    }
  }

  private final String resource;
  private final PassedParts passed;
  private final List<Violation> violations = new ArrayList<>();
  private final Map<Descriptor, TypePlan> otherTypes = new HashMap<>();
  private final Map<String, Optional<Message>> payloadTypes = new HashMap<>();

  RuleWalk(String resource, PassedParts passed) {
    this.resource = resource;
    this.passed = passed;
  }

  List<Violation> check(Message message) {
    message(message, Path.ROOT);
    return List.copyOf(violations);
  }

  private void message(Message message, Path path) {
    if (message instanceof LbEndpoint endpoint) {
      if (!passed.passed(endpoint)) {
        int before = violations.size();
        walk(message, path);
        if (violations.size() == before) {
          passed.pass(endpoint);
        }
      }
      return;
    }
    walk(message, path);
  }

  private void walk(Message message, Path path) {
    Descriptor type = message.getDescriptorForType();
    TypePlan plan = SENT_TYPES.get(type);
    if (plan == null) {
      plan = otherTypes.computeIfAbsent(type, RuleWalk::plan);
    }
    if (plan.disabled()) {
      return;
    }
    for (OneofDescriptor oneof : plan.requiredOneofs()) {
      if (!message.hasOneof(oneof)) {
        add(path.field(oneof.getName()), "oneof.required",
            "none of " + oneof.getFields().stream().map(FieldDescriptor::getName).toList() + " is set");
      }
    }
    for (FieldPlan field : plan.fields()) {
      field(message, field, path);
    }
  }

  private static Map<Descriptor, TypePlan> planAll(List<Descriptor> roots) {
    Map<Descriptor, TypePlan> plans = new HashMap<>();
    Deque<Descriptor> toPlan = new ArrayDeque<>(roots);
    while (!toPlan.isEmpty()) {
      Descriptor type = toPlan.pop();
      if (!plans.containsKey(type)) {
        TypePlan plan = plan(type);
        plans.put(type, plan);
        plan.fields().stream().filter(field -> field.field().getJavaType() == FieldDescriptor.JavaType.MESSAGE)
            .forEach(field -> toPlan.push(field.field().getMessageType()));
      }
    }
    return Map.copyOf(plans);
  }

  private static TypePlan plan(Descriptor type) {
    boolean disabled = type.getOptions().getExtension(Validate.disabled) || type.getOptions().getExtension(Validate.ignored);
    List<OneofDescriptor> requiredOneofs = type.getRealOneofs().stream()
        .filter(oneof -> oneof.getOptions().getExtension(Validate.required))
        .toList();
    List<FieldPlan> fields = new ArrayList<>();
    for (FieldDescriptor field : type.getFields()) {
      boolean message = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
      if (field.getOptions().hasExtension(Validate.rules) || (message && mayHoldRules(field.getMessageType()))) {
        CompiledRules rules = field.getOptions().hasExtension(Validate.rules)
            ? CompiledRules.of(field.getOptions().getExtension(Validate.rules)) : null;
        Shape shape = field.isMapField() ? Shape.MAP : field.isRepeated() ? Shape.REPEATED : message ? Shape.MESSAGE : Shape.SCALAR;
        boolean onlyWhenSet = field.getRealContainingOneof() != null || (field.hasPresence() && !message);
        fields.add(new FieldPlan(field, rules, shape, onlyWhenSet,
            shape == Shape.MAP ? field.getMessageType().findFieldByName("key") : null,
            shape == Shape.MAP ? field.getMessageType().findFieldByName("value") : null));
      }
    }
    return new TypePlan(disabled, requiredOneofs, List.copyOf(fields));
  }

  /**
   * Google's well-known types carry no rules (Struct values in metadata would only cost time), except that
   * an Any holds a payload that may; a map entry holds its value's rules.
   */
  private static boolean mayHoldRules(Descriptor type) {
    if (type.getOptions().getMapEntry()) {
      return type.findFieldByName("value").getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && mayHoldRules(type.findFieldByName("value").getMessageType());
    }
    return !type.getFullName().startsWith("google.protobuf.") || type.getFullName().equals(Any.getDescriptor().getFullName());
  }

  private void field(Message message, FieldPlan plan, Path path) {
    FieldDescriptor field = plan.field();
    if (plan.onlyWhenSet() && !message.hasField(field)) {
      return;
    }
    switch (plan.shape()) {
      case MAP -> map(message, plan, path.field(field.getName()));
      case REPEATED -> repeated(message, field, plan.rules(), path.field(field.getName()));
      case MESSAGE -> {
        if (message.hasField(field)) {
          value(message.getField(field), field, plan.rules(), path.field(field.getName()));
        } else {
          absent(plan.rules(), path.field(field.getName()));
        }
      }
      case SCALAR -> value(message.getField(field), field, plan.rules(), path.field(field.getName()));
    }
  }

  /** A present value: its own rules, then (for a message) the rules inside it. */
  private void value(Object value, FieldDescriptor field, CompiledRules rules, Path at) {
    if (rules != null) {
      for (ValueRules.Broken broken : ValueRules.check(value, field, rules)) {
        add(at, broken.rule(), broken.message());
      }
    }
    if (value instanceof Message nested && (rules == null || !rules.rules().getMessage().getSkip())) {
      embedded(nested, at);
    }
  }

  private void absent(CompiledRules compiled, Path at) {
    if (compiled == null) {
      return;
    }
    FieldRules rules = compiled.rules();
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

  private void required(boolean required, String rule, Path at) {
    if (required) {
      add(at, rule, "not set");
    }
  }

  private void repeated(Message message, FieldDescriptor field, CompiledRules rules, Path at) {
    int count = message.getRepeatedFieldCount(field);
    RepeatedRules repeated = rules != null && rules.rules().hasRepeated() ? rules.rules().getRepeated() : null;
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
            add(at.index(i), "repeated.unique", ValueRules.show(item) + " appears more than once");
          }
        }
      }
    }
    CompiledRules items = rules == null ? null : rules.items();
    if (items == null && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return;
    }
    for (int i = 0; i < count; i++) {
      value(message.getRepeatedField(field, i), field, items, at.index(i));
    }
  }

  private void map(Message message, FieldPlan plan, Path at) {
    FieldDescriptor field = plan.field();
    CompiledRules rules = plan.rules();
    MapRules map = rules != null && rules.rules().hasMap() ? rules.rules().getMap() : null;
    int count = message.getRepeatedFieldCount(field);
    if (map != null && !(map.getIgnoreEmpty() && count == 0)) {
      if (map.hasMinPairs() && count < map.getMinPairs()) {
        add(at, "map.min_pairs", count + " pairs, fewer than " + map.getMinPairs());
      }
      if (map.hasMaxPairs() && count > map.getMaxPairs()) {
        add(at, "map.max_pairs", count + " pairs, more than " + map.getMaxPairs());
      }
    }
    FieldDescriptor keyField = plan.mapKey();
    FieldDescriptor valueField = plan.mapValue();
    CompiledRules keys = rules == null ? null : rules.keys();
    CompiledRules values = rules == null ? null : rules.values();
    if (count == 0 || (keys == null && values == null && valueField.getJavaType() != FieldDescriptor.JavaType.MESSAGE)) {
      return;
    }
    // The entries as one list: reading a map field entry by entry converts the whole map each time.
    for (Object entry : (List<?>) message.getField(field)) {
      Message pair = (Message) entry;
      Object key = pair.getField(keyField);
      Path entryAt = at.key(key);
      if (keys != null) {
        for (ValueRules.Broken broken : ValueRules.check(key, keyField, keys)) {
          add(entryAt, broken.rule(), "key " + broken.message());
        }
      }
      value(pair.getField(valueField), valueField, values, entryAt);
    }
  }

  private void embedded(Message nested, Path at) {
    if (nested instanceof Any any) {
      payload(any.getTypeUrl(), any.getValue(), at);
    } else if (nested.getDescriptorForType().getFullName().equals("google.protobuf.Any")) {
      payload(ValueRules.typeUrl(nested), (ByteString) nested.getField(nested.getDescriptorForType().findFieldByName("value")), at);
    } else if (mayHoldRules(nested.getDescriptorForType())) {
      message(nested, at);
    }
  }

  /** Envoy validates a typed config when it unpacks it, so the payload's own rules count too. */
  private void payload(String typeUrl, ByteString value, Path at) {
    String typeName = typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
    Optional<Message> type = SENT_PAYLOADS.containsKey(typeName) ? Optional.of(SENT_PAYLOADS.get(typeName))
        : payloadTypes.computeIfAbsent(typeName, RuleWalk::resolve);
    if (type.isEmpty()) {
      return;
    }
    Path payloadAt = at.payload(type.get().getDescriptorForType().getName());
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

  private void add(Path field, String rule, String message) {
    violations.add(new Violation(resource, field.toString(), rule, message));
  }
}
