package dev.vicinity.translator.acceptance;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Envoy's first check of every xDS resource, without Envoy: the protoc-gen-validate constraints
 * ({@code (validate.rules)} on fields, {@code (validate.disabled)}/{@code (validate.ignored)} on messages,
 * {@code (validate.required)} on oneofs) written into Envoy's own protos, read from the descriptors at run
 * time. Envoy NACKs a whole xDS response when one of them fails.
 *
 * <p>The walk recurses into nested messages, repeated elements and map values, and into {@code Any} payloads
 * whose type is an Envoy (or xDS) proto on the classpath, as Envoy validates a typed config when it unpacks
 * it. An {@code Any} whose type is not on the classpath is skipped: its rules are unknown here. Rule kinds
 * in {@link #NOT_IMPLEMENTED_RULES} are not checked; none of them occurs in the resource types Vicinity
 * sends (a test walks those types' descriptors and fails on any rule kind in neither list).
 */
public final class EnvoyRules {
  private static final List<String> NUMBER_TYPES = List.of("float", "double", "int32", "int64", "uint32", "uint64",
      "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64");

  /** Rule kinds checked, named {@code type.rule} as in validate.proto, plus oneof and message options. */
  public static final Set<String> IMPLEMENTED_RULES = Set.copyOf(Stream.of(
      NUMBER_TYPES.stream().flatMap(type -> Stream.of("const", "lt", "lte", "gt", "gte", "in", "not_in", "ignore_empty")
          .map(rule -> type + "." + rule)),
      Stream.of("bool.const"),
      Stream.of("string.const", "string.len", "string.min_len", "string.max_len", "string.len_bytes",
          "string.min_bytes", "string.max_bytes", "string.pattern", "string.prefix", "string.suffix",
          "string.contains", "string.not_contains", "string.in", "string.not_in", "string.well_known_regex",
          "string.strict", "string.ignore_empty"),
      Stream.of("bytes.const", "bytes.len", "bytes.min_len", "bytes.max_len", "bytes.prefix", "bytes.suffix",
          "bytes.contains", "bytes.in", "bytes.not_in", "bytes.ignore_empty"),
      Stream.of("enum.const", "enum.defined_only", "enum.in", "enum.not_in"),
      Stream.of("message.required", "message.skip"),
      Stream.of("repeated.min_items", "repeated.max_items", "repeated.unique", "repeated.items",
          "repeated.ignore_empty"),
      Stream.of("map.min_pairs", "map.max_pairs", "map.keys", "map.values", "map.ignore_empty"),
      Stream.of("any.required", "any.in", "any.not_in"),
      Stream.of("duration.required", "duration.const", "duration.lt", "duration.lte", "duration.gt",
          "duration.gte", "duration.in", "duration.not_in"),
      Stream.of("timestamp.required", "timestamp.const", "timestamp.lt", "timestamp.lte", "timestamp.gt",
          "timestamp.gte"),
      Stream.of("oneof.required", "message.disabled", "message.ignored"))
      .flatMap(kinds -> kinds)
      .toList());

  /**
   * Rule kinds validate.proto defines that are not checked, because no resource type Vicinity sends uses
   * them: the well-known string formats other than the header regexes (they need an address, URI or e-mail
   * parser), bytes patterns and addresses, map {@code no_sparse} (a Java map cannot hold a missing message),
   * and the timestamp rules relative to the clock (the translator has no clock).
   */
  public static final Set<String> NOT_IMPLEMENTED_RULES = Set.of(
      "string.email", "string.hostname", "string.ip", "string.ipv4", "string.ipv6", "string.uri",
      "string.uri_ref", "string.address", "string.uuid",
      "bytes.pattern", "bytes.ip", "bytes.ipv4", "bytes.ipv6",
      "map.no_sparse",
      "timestamp.lt_now", "timestamp.gt_now", "timestamp.within");

  private EnvoyRules() {}

  /** Every validation rule the resource (an Envoy message) breaks; empty when Envoy's validation passes. */
  public static List<Violation> check(Message resource) {
    return check(resource, PassedParts.none());
  }

  /** As {@link #check(Message)}, skipping the parts {@code passed} holds and adding those that pass. */
  public static List<Violation> check(Message resource, PassedParts passed) {
    return new RuleWalk(resourceName(resource), passed).check(resource);
  }

  /** The resource's type and name, e.g. {@code Cluster outbound|9080||reviews.global}. */
  static String resourceName(Message resource) {
    String type = resource.getDescriptorForType().getName();
    for (String nameField : List.of("name", "cluster_name")) {
      FieldDescriptor field = resource.getDescriptorForType().findFieldByName(nameField);
      if (field != null && field.getJavaType() == FieldDescriptor.JavaType.STRING
          && !field.isRepeated()) {
        return type + " " + resource.getField(field);
      }
    }
    return type;
  }
}
