package dev.vicinity.translator.acceptance;

import static dev.vicinity.translator.acceptance.ProbeMessages.mapProbe;
import static dev.vicinity.translator.acceptance.ProbeMessages.optionsProbe;
import static dev.vicinity.translator.acceptance.ProbeMessages.probe;
import static dev.vicinity.translator.acceptance.ProbeMessages.requiredOneofProbe;
import static dev.vicinity.translator.acceptance.ProbeMessages.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.type.v3.Percent;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.AnyRules;
import io.envoyproxy.pgv.validate.Validate.BoolRules;
import io.envoyproxy.pgv.validate.Validate.BytesRules;
import io.envoyproxy.pgv.validate.Validate.DurationRules;
import io.envoyproxy.pgv.validate.Validate.EnumRules;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import io.envoyproxy.pgv.validate.Validate.KnownRegex;
import io.envoyproxy.pgv.validate.Validate.MapRules;
import io.envoyproxy.pgv.validate.Validate.MessageRules;
import io.envoyproxy.pgv.validate.Validate.RepeatedRules;
import io.envoyproxy.pgv.validate.Validate.StringRules;
import io.envoyproxy.pgv.validate.Validate.TimestampRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule kind the validator implements, broken on its own in a message made for it (a probe type with
 * one field carrying the rule), next to a message that keeps the rule. Kinds no Envoy proto uses are here too,
 * so the validator's meaning of each rule is pinned whether or not Envoy needs it today.
 */
class EveryRuleKindTest {
  private static final List<String> NUMBER_TYPES = List.of("float", "double", "int32", "int64", "uint32", "uint64",
      "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64");
  private static final String PERCENT_URL = "type.googleapis.com/envoy.type.v3.Percent";

  /** One rule kind: a message that breaks it (naming field and rule) and one that keeps it. */
  record Case(String kind, Message breaking, Message keeping, String field, String rule) {
    @Override
    public String toString() {
      return kind;
    }
  }

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    NUMBER_TYPES.forEach(type -> cases.addAll(numberCases(type)));
    cases.add(scalar("bool.const", Type.TYPE_BOOL, FieldRules.newBuilder().setBool(BoolRules.newBuilder().setConst(true)).build(),
        false, true, "bool.const"));
    cases.addAll(stringCases());
    cases.addAll(bytesCases());
    cases.addAll(enumCases());
    cases.addAll(messageCases());
    cases.addAll(repeatedCases());
    cases.addAll(mapCases());
    cases.addAll(anyCases());
    cases.addAll(durationCases());
    cases.addAll(timestampCases());
    Descriptor oneof = requiredOneofProbe();
    cases.add(new Case("oneof.required", DynamicMessage.getDefaultInstance(oneof),
        DynamicMessage.newBuilder(oneof).setField(oneof.findFieldByName("b"), "x").build(), "choice", "oneof.required"));
    Message emptyWithRules = with(optionsProbe(MessageOptions.getDefaultInstance()), "");
    cases.add(new Case("message.disabled", emptyWithRules,
        with(optionsProbe(MessageOptions.newBuilder().setExtension(Validate.disabled, true).build()), ""), "value", "string.min_len"));
    cases.add(new Case("message.ignored", emptyWithRules,
        with(optionsProbe(MessageOptions.newBuilder().setExtension(Validate.ignored, true).build()), ""), "value", "string.min_len"));
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aMessageBreakingTheRuleIsRefusedWithItsFieldAndRuleAndOneKeepingItPasses(Case rule) {
    assertThat(EnvoyRules.check(rule.breaking()))
        .extracting(Violation::field, Violation::rule)
        .containsExactly(tuple(rule.field(), rule.rule()));
    assertThat(EnvoyRules.check(rule.keeping())).isEmpty();
  }

  @Test
  void everyImplementedRuleKindHasACase() {
    assertThat(cases().stream().map(Case::kind).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(EnvoyRules.IMPLEMENTED_RULES);
  }

  @Test
  void aViolationSaysWhatWasGivenAndWhatWasExpected() {
    Descriptor probe = probe(Type.TYPE_UINT32, null, Label.LABEL_OPTIONAL, numberRules("uint32", Map.of("lte", 100)));

    assertThat(EnvoyRules.check(with(probe, 150)))
        .containsExactly(new Violation("Probe", "value", "uint32.lte", "150 is above 100"));
  }

  @Test
  void anUnsignedValueAboveTheSignedRangeIsReadAsUnsigned() {
    Descriptor probe = probe(Type.TYPE_UINT32, null, Label.LABEL_OPTIONAL, numberRules("uint32", Map.of("lte", 100)));

    assertThat(EnvoyRules.check(with(probe, -1)))
        .extracting(Violation::message).containsExactly("4294967295 is above 100");
  }

  @Test
  void aLowerBoundAboveTheUpperBoundRefusesTheValuesBetweenThem() {
    Descriptor probe = probe(Type.TYPE_INT32, null, Label.LABEL_OPTIONAL, numberRules("int32", Map.of("gt", 10, "lt", 5)));

    assertThat(EnvoyRules.check(with(probe, 7))).extracting(Violation::rule).containsExactly("int32.lt");
    assertThat(EnvoyRules.check(with(probe, 3))).isEmpty();
    assertThat(EnvoyRules.check(with(probe, 12))).isEmpty();
  }

  @Test
  void aWrapperIsCheckedByTheRulesOfItsValueOnlyWhenSet() {
    Descriptor probe = probe(Type.TYPE_MESSAGE, ".google.protobuf.UInt32Value", Label.LABEL_OPTIONAL,
        numberRules("uint32", Map.of("gte", 1)));

    assertThat(EnvoyRules.check(with(probe, UInt32Value.of(0)))).extracting(Violation::rule).containsExactly("uint32.gte");
    assertThat(EnvoyRules.check(DynamicMessage.getDefaultInstance(probe))).isEmpty();
  }

  @Test
  void aStringLengthCountsCharactersNotBytes() {
    Descriptor probe = probe(Type.TYPE_STRING, null, Label.LABEL_OPTIONAL,
        FieldRules.newBuilder().setString(StringRules.newBuilder().setMaxLen(1)).build());

    assertThat(EnvoyRules.check(with(probe, "é"))).isEmpty();
  }

  // ---- numbers: every type, every ordering rule, with values built in the type's own Java form

  private static List<Case> numberCases(String type) {
    Type protoType = Type.valueOf("TYPE_" + type.toUpperCase(Locale.ROOT));
    List<Case> cases = new ArrayList<>();
    cases.add(number(type, protoType, "const", Map.of("const", 5), 6, 5, "const"));
    cases.add(number(type, protoType, "lt", Map.of("lt", 10), 10, 9, "lt"));
    cases.add(number(type, protoType, "lte", Map.of("lte", 10), 11, 10, "lte"));
    cases.add(number(type, protoType, "gt", Map.of("gt", 10), 10, 11, "gt"));
    cases.add(number(type, protoType, "gte", Map.of("gte", 10), 9, 10, "gte"));
    cases.add(number(type, protoType, "in", Map.of("in", List.of(1, 2)), 3, 2, "in"));
    cases.add(number(type, protoType, "not_in", Map.of("not_in", List.of(3)), 3, 4, "not_in"));
    cases.add(number(type, protoType, "ignore_empty", Map.of("gt", 10, "ignore_empty", true), 5, 0, "gt"));
    return cases;
  }

  private static Case number(String type, Type protoType, String kind, Map<String, Object> rules, long breaking,
      long keeping, String rule) {
    Descriptor probe = probe(protoType, null, Label.LABEL_OPTIONAL, numberRules(type, rules));
    return new Case(type + "." + kind, with(probe, javaNumber(type, breaking)), with(probe, javaNumber(type, keeping)),
        "value", type + "." + rule);
  }

  /** Rules for one number type, e.g. {@code uint32 {lte: 100}}, set by name. */
  private static FieldRules numberRules(String type, Map<String, Object> settings) {
    FieldDescriptor typeField = FieldRules.getDescriptor().findFieldByName(type);
    FieldRules.Builder rules = FieldRules.newBuilder();
    Message.Builder numbers = rules.newBuilderForField(typeField);
    settings.forEach((name, setting) -> {
      FieldDescriptor field = numbers.getDescriptorForType().findFieldByName(name);
      if (setting instanceof List<?> list) {
        list.forEach(item -> numbers.addRepeatedField(field, javaNumber(type, ((Integer) item).longValue())));
      } else if (setting instanceof Boolean flag) {
        numbers.setField(field, flag);
      } else {
        numbers.setField(field, javaNumber(type, ((Integer) setting).longValue()));
      }
    });
    return rules.setField(typeField, numbers.build()).build();
  }

  private static Object javaNumber(String type, long value) {
    return switch (type) {
      case "float" -> (float) value;
      case "double" -> (double) value;
      case "int64", "uint64", "sint64", "fixed64", "sfixed64" -> value;
      default -> (int) value;
    };
  }

  // ---- strings and bytes

  private static List<Case> stringCases() {
    List<Case> cases = new ArrayList<>();
    cases.add(string("string.const", StringRules.newBuilder().setConst("a"), "b", "a", "string.const"));
    cases.add(string("string.len", StringRules.newBuilder().setLen(2), "abc", "ab", "string.len"));
    cases.add(string("string.min_len", StringRules.newBuilder().setMinLen(2), "é", "ab", "string.min_len"));
    cases.add(string("string.max_len", StringRules.newBuilder().setMaxLen(2), "abc", "ab", "string.max_len"));
    cases.add(string("string.len_bytes", StringRules.newBuilder().setLenBytes(2), "e", "é", "string.len_bytes"));
    cases.add(string("string.min_bytes", StringRules.newBuilder().setMinBytes(2), "e", "é", "string.min_bytes"));
    cases.add(string("string.max_bytes", StringRules.newBuilder().setMaxBytes(1), "é", "e", "string.max_bytes"));
    cases.add(string("string.pattern", StringRules.newBuilder().setPattern("^[a-z]+$"), "A1", "ab", "string.pattern"));
    cases.add(string("string.prefix", StringRules.newBuilder().setPrefix("x"), "ab", "xa", "string.prefix"));
    cases.add(string("string.suffix", StringRules.newBuilder().setSuffix("x"), "ab", "ax", "string.suffix"));
    cases.add(string("string.contains", StringRules.newBuilder().setContains("x"), "ab", "axb", "string.contains"));
    cases.add(string("string.not_contains", StringRules.newBuilder().setNotContains("x"), "axb", "ab", "string.not_contains"));
    cases.add(string("string.in", StringRules.newBuilder().addIn("a").addIn("b"), "c", "b", "string.in"));
    cases.add(string("string.not_in", StringRules.newBuilder().addNotIn("c"), "c", "d", "string.not_in"));
    cases.add(string("string.well_known_regex", StringRules.newBuilder().setWellKnownRegex(KnownRegex.HTTP_HEADER_NAME),
        "bad name", "x-good", "string.well_known_regex"));
    cases.add(string("string.strict", StringRules.newBuilder().setWellKnownRegex(KnownRegex.HTTP_HEADER_VALUE).setStrict(false),
        "a\nb", "tab\tand \u0001 are fine when lenient", "string.well_known_regex"));
    cases.add(string("string.ignore_empty", StringRules.newBuilder().setMinLen(2).setIgnoreEmpty(true), "a", "", "string.min_len"));
    return cases;
  }

  private static Case string(String kind, StringRules.Builder rules, String breaking, String keeping, String rule) {
    return scalar(kind, Type.TYPE_STRING, FieldRules.newBuilder().setString(rules).build(), breaking, keeping, rule);
  }

  private static List<Case> bytesCases() {
    List<Case> cases = new ArrayList<>();
    cases.add(bytes("bytes.const", BytesRules.newBuilder().setConst(utf8("a")), "b", "a", "bytes.const"));
    cases.add(bytes("bytes.len", BytesRules.newBuilder().setLen(2), "abc", "ab", "bytes.len"));
    cases.add(bytes("bytes.min_len", BytesRules.newBuilder().setMinLen(2), "a", "ab", "bytes.min_len"));
    cases.add(bytes("bytes.max_len", BytesRules.newBuilder().setMaxLen(2), "abc", "ab", "bytes.max_len"));
    cases.add(bytes("bytes.prefix", BytesRules.newBuilder().setPrefix(utf8("x")), "ab", "xa", "bytes.prefix"));
    cases.add(bytes("bytes.suffix", BytesRules.newBuilder().setSuffix(utf8("x")), "ab", "ax", "bytes.suffix"));
    cases.add(bytes("bytes.contains", BytesRules.newBuilder().setContains(utf8("xy")), "axb", "axyb", "bytes.contains"));
    cases.add(bytes("bytes.in", BytesRules.newBuilder().addIn(utf8("a")), "b", "a", "bytes.in"));
    cases.add(bytes("bytes.not_in", BytesRules.newBuilder().addNotIn(utf8("b")), "b", "a", "bytes.not_in"));
    cases.add(bytes("bytes.ignore_empty", BytesRules.newBuilder().setMinLen(2).setIgnoreEmpty(true), "a", "", "bytes.min_len"));
    return cases;
  }

  private static Case bytes(String kind, BytesRules.Builder rules, String breaking, String keeping, String rule) {
    return scalar(kind, Type.TYPE_BYTES, FieldRules.newBuilder().setBytes(rules).build(), utf8(breaking), utf8(keeping), rule);
  }

  private static ByteString utf8(String text) {
    return ByteString.copyFromUtf8(text);
  }

  private static Case scalar(String kind, Type type, FieldRules rules, Object breaking, Object keeping, String rule) {
    Descriptor probe = probe(type, null, Label.LABEL_OPTIONAL, rules);
    return new Case(kind, with(probe, breaking), with(probe, keeping), "value", rule);
  }

  // ---- enums and messages

  private static List<Case> enumCases() {
    List<Case> cases = new ArrayList<>();
    cases.add(enumeration("enum.defined_only", EnumRules.newBuilder().setDefinedOnly(true), 7, 1));
    cases.add(enumeration("enum.const", EnumRules.newBuilder().setConst(1), 2, 1));
    cases.add(enumeration("enum.in", EnumRules.newBuilder().addIn(1), 2, 1));
    cases.add(enumeration("enum.not_in", EnumRules.newBuilder().addNotIn(2), 2, 1));
    return cases;
  }

  private static Case enumeration(String kind, EnumRules.Builder rules, int breaking, int keeping) {
    Descriptor probe = probe(Type.TYPE_ENUM, ".probe.Color", Label.LABEL_OPTIONAL, FieldRules.newBuilder().setEnum(rules).build());
    EnumDescriptor color = probe.getFile().findEnumTypeByName("Color");
    return new Case(kind, with(probe, color.findValueByNumberCreatingIfUnknown(breaking)),
        with(probe, color.findValueByNumber(keeping)), "value", kind);
  }

  private static List<Case> messageCases() {
    Descriptor required = probe(Type.TYPE_MESSAGE, ".envoy.type.v3.Percent", Label.LABEL_OPTIONAL,
        FieldRules.newBuilder().setMessage(MessageRules.newBuilder().setRequired(true)).build());
    Descriptor skipped = probe(Type.TYPE_MESSAGE, ".envoy.type.v3.Percent", Label.LABEL_OPTIONAL,
        FieldRules.newBuilder().setMessage(MessageRules.newBuilder().setSkip(true)).build());
    Descriptor checked = probe(Type.TYPE_MESSAGE, ".envoy.type.v3.Percent", Label.LABEL_OPTIONAL, FieldRules.getDefaultInstance());
    Percent tooMuch = Percent.newBuilder().setValue(150).build();
    return List.of(
        new Case("message.required", DynamicMessage.getDefaultInstance(required), with(required, Percent.getDefaultInstance()),
            "value", "message.required"),
        new Case("message.skip", with(checked, tooMuch), with(skipped, tooMuch), "value.value", "double.lte"));
  }

  // ---- repeated fields and maps

  private static List<Case> repeatedCases() {
    List<Case> cases = new ArrayList<>();
    cases.add(repeated("repeated.min_items", RepeatedRules.newBuilder().setMinItems(2), List.of("a"), List.of("a", "b"),
        "value", "repeated.min_items"));
    cases.add(repeated("repeated.max_items", RepeatedRules.newBuilder().setMaxItems(1), List.of("a", "b"), List.of("a"),
        "value", "repeated.max_items"));
    cases.add(repeated("repeated.unique", RepeatedRules.newBuilder().setUnique(true), List.of("a", "b", "a"), List.of("a", "b"),
        "value[2]", "repeated.unique"));
    cases.add(repeated("repeated.items",
        RepeatedRules.newBuilder().setItems(FieldRules.newBuilder().setString(StringRules.newBuilder().setMinLen(1))),
        List.of("a", ""), List.of("a"), "value[1]", "string.min_len"));
    cases.add(repeated("repeated.ignore_empty", RepeatedRules.newBuilder().setMinItems(2).setIgnoreEmpty(true),
        List.of("a"), List.of(), "value", "repeated.min_items"));
    return cases;
  }

  private static Case repeated(String kind, RepeatedRules.Builder rules, List<String> breaking, List<String> keeping,
      String field, String rule) {
    Descriptor probe = probe(Type.TYPE_STRING, null, Label.LABEL_REPEATED, FieldRules.newBuilder().setRepeated(rules).build());
    return new Case(kind, with(probe, breaking), with(probe, keeping), field, rule);
  }

  private static List<Case> mapCases() {
    FieldRules minLenTwo = FieldRules.newBuilder().setString(StringRules.newBuilder().setMinLen(2)).build();
    List<Case> cases = new ArrayList<>();
    cases.add(map("map.min_pairs", MapRules.newBuilder().setMinPairs(1), Map.of(), Map.of("a", "b"), "value", "map.min_pairs"));
    cases.add(map("map.max_pairs", MapRules.newBuilder().setMaxPairs(1), Map.of("a", "b", "c", "d"), Map.of("a", "b"),
        "value", "map.max_pairs"));
    cases.add(map("map.keys", MapRules.newBuilder().setKeys(minLenTwo), Map.of("a", "x"), Map.of("ab", "x"),
        "value[\"a\"]", "string.min_len"));
    cases.add(map("map.values", MapRules.newBuilder().setValues(minLenTwo), Map.of("ab", "x"), Map.of("ab", "xy"),
        "value[\"ab\"]", "string.min_len"));
    cases.add(map("map.ignore_empty", MapRules.newBuilder().setMinPairs(2).setIgnoreEmpty(true), Map.of("a", "b"), Map.of(),
        "value", "map.min_pairs"));
    return cases;
  }

  private static Case map(String kind, MapRules.Builder rules, Map<String, String> breaking, Map<String, String> keeping,
      String field, String rule) {
    Descriptor probe = mapProbe(FieldRules.newBuilder().setMap(rules).build());
    return new Case(kind, withMap(probe, breaking), withMap(probe, keeping), field, rule);
  }

  private static Message withMap(Descriptor probe, Map<String, String> pairs) {
    Descriptor entry = probe.findNestedTypeByName("ValueEntry");
    List<Message> entries = new ArrayList<>();
    new LinkedHashMap<>(pairs).forEach((key, value) -> entries.add(DynamicMessage.newBuilder(entry)
        .setField(entry.findFieldByName("key"), key).setField(entry.findFieldByName("value"), value).build()));
    return with(probe, entries);
  }

  // ---- Any, durations and timestamps

  private static List<Case> anyCases() {
    Descriptor required = probe(Type.TYPE_MESSAGE, ".google.protobuf.Any", Label.LABEL_OPTIONAL,
        FieldRules.newBuilder().setAny(AnyRules.newBuilder().setRequired(true)).build());
    Descriptor in = probe(Type.TYPE_MESSAGE, ".google.protobuf.Any", Label.LABEL_OPTIONAL,
        FieldRules.newBuilder().setAny(AnyRules.newBuilder().addIn(PERCENT_URL)).build());
    Descriptor notIn = probe(Type.TYPE_MESSAGE, ".google.protobuf.Any", Label.LABEL_OPTIONAL,
        FieldRules.newBuilder().setAny(AnyRules.newBuilder().addNotIn(PERCENT_URL)).build());
    Any percent = Any.pack(Percent.getDefaultInstance());
    Any duration = Any.pack(Duration.getDefaultInstance());
    return List.of(
        new Case("any.required", DynamicMessage.getDefaultInstance(required), with(required, percent), "value", "any.required"),
        new Case("any.in", with(in, duration), with(in, percent), "value", "any.in"),
        new Case("any.not_in", with(notIn, percent), with(notIn, duration), "value", "any.not_in"));
  }

  private static List<Case> durationCases() {
    Duration second = seconds(1, 0);
    List<Case> cases = new ArrayList<>();
    cases.add(duration("duration.required", DurationRules.newBuilder().setRequired(true), null, second));
    cases.add(duration("duration.const", DurationRules.newBuilder().setConst(second), seconds(2, 0), second));
    cases.add(duration("duration.lt", DurationRules.newBuilder().setLt(second), second, seconds(0, 999_999_999)));
    cases.add(duration("duration.lte", DurationRules.newBuilder().setLte(second), seconds(1, 1), second));
    cases.add(duration("duration.gt", DurationRules.newBuilder().setGt(Duration.getDefaultInstance()), seconds(0, 0), seconds(0, 1)));
    cases.add(duration("duration.gte", DurationRules.newBuilder().setGte(second), seconds(0, 999_999_999), second));
    cases.add(duration("duration.in", DurationRules.newBuilder().addIn(second), seconds(2, 0), second));
    cases.add(duration("duration.not_in", DurationRules.newBuilder().addNotIn(seconds(2, 0)), seconds(2, 0), second));
    return cases;
  }

  private static Duration seconds(long seconds, int nanos) {
    return Duration.newBuilder().setSeconds(seconds).setNanos(nanos).build();
  }

  private static Case duration(String kind, DurationRules.Builder rules, Duration breaking, Duration keeping) {
    Descriptor probe = probe(Type.TYPE_MESSAGE, ".google.protobuf.Duration", Label.LABEL_OPTIONAL,
        FieldRules.newBuilder().setDuration(rules).build());
    return new Case(kind, breaking == null ? DynamicMessage.getDefaultInstance(probe) : with(probe, breaking),
        with(probe, keeping), "value", kind);
  }

  private static List<Case> timestampCases() {
    Timestamp noon = Timestamp.newBuilder().setSeconds(1_700_000_000L).build();
    Timestamp later = Timestamp.newBuilder().setSeconds(1_700_000_001L).build();
    Timestamp earlier = Timestamp.newBuilder().setSeconds(1_699_999_999L).build();
    List<Case> cases = new ArrayList<>();
    cases.add(timestamp("timestamp.required", TimestampRules.newBuilder().setRequired(true), null, noon));
    cases.add(timestamp("timestamp.const", TimestampRules.newBuilder().setConst(noon), later, noon));
    cases.add(timestamp("timestamp.lt", TimestampRules.newBuilder().setLt(noon), noon, earlier));
    cases.add(timestamp("timestamp.lte", TimestampRules.newBuilder().setLte(noon), later, noon));
    cases.add(timestamp("timestamp.gt", TimestampRules.newBuilder().setGt(noon), noon, later));
    cases.add(timestamp("timestamp.gte", TimestampRules.newBuilder().setGte(noon), earlier, noon));
    return cases;
  }

  private static Case timestamp(String kind, TimestampRules.Builder rules, Timestamp breaking, Timestamp keeping) {
    Descriptor probe = probe(Type.TYPE_MESSAGE, ".google.protobuf.Timestamp", Label.LABEL_OPTIONAL,
        FieldRules.newBuilder().setTimestamp(rules).build());
    return new Case(kind, breaking == null ? DynamicMessage.getDefaultInstance(probe) : with(probe, breaking),
        with(probe, keeping), "value", kind);
  }
}
