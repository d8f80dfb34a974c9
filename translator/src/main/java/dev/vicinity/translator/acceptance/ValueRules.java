package dev.vicinity.translator.acceptance;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.envoyproxy.pgv.validate.Validate.AnyRules;
import io.envoyproxy.pgv.validate.Validate.BytesRules;
import io.envoyproxy.pgv.validate.Validate.EnumRules;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import io.envoyproxy.pgv.validate.Validate.KnownRegex;
import io.envoyproxy.pgv.validate.Validate.StringRules;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The rules of one field's type, applied to one present value (a scalar, a wrapper, a duration, a timestamp
 * or an Any), with protoc-gen-validate's meaning for each rule. Messages in the violations show values,
 * never Java types.
 */
final class ValueRules {
  /** A broken rule, before the walk adds the resource and field path. */
  record Broken(String rule, String message) {}

  // protoc-gen-validate's header regexes; Envoy's protos all ask for the lenient (strict: false) one.
  private static final Pattern STRICT_HEADER_NAME = Pattern.compile("^:?[0-9a-zA-Z!#$%&'*+\\-.^_|~`]+$");
  private static final Pattern STRICT_HEADER_VALUE = Pattern.compile("^[^\\x00-\\x08\\x0A-\\x1F\\x7F]*$");
  private static final Pattern LENIENT_HEADER = Pattern.compile("^[^\\x00\\x0A\\x0D]*$");

  private ValueRules() {}

  static List<Broken> check(Object value, FieldDescriptor field, FieldRules rules) {
    List<Broken> broken = new ArrayList<>();
    switch (rules.getTypeCase()) {
      case FLOAT, DOUBLE, INT32, INT64, UINT32, UINT64, SINT32, SINT64, FIXED32, FIXED64, SFIXED32, SFIXED64 -> {
        FieldDescriptor numberField = field;
        Object number = value;
        if (value instanceof Message wrapper) {
          numberField = wrapper.getDescriptorForType().findFieldByName("value");
          number = wrapper.getField(numberField);
        }
        String kind = rules.getTypeCase().name().toLowerCase(Locale.ROOT);
        Message numberRules = (Message) rules.getField(FieldRules.getDescriptor().findFieldByNumber(rules.getTypeCase().getNumber()));
        decimal(number, numberField).ifPresent(decimal ->
            bounds(kind, decimal, numberRules, ruleValue -> decimal(ruleValue, numberRulesField(numberRules)).orElseThrow(), broken));
      }
      case BOOL -> {
        boolean flag = value instanceof Message wrapper ? (Boolean) wrapper.getField(wrapper.getDescriptorForType().findFieldByName("value")) : (Boolean) value;
        if (rules.getBool().hasConst() && flag != rules.getBool().getConst()) {
          broken.add(new Broken("bool.const", flag + " is not " + rules.getBool().getConst()));
        }
      }
      case STRING -> string(value instanceof Message wrapper ? (String) wrapper.getField(wrapper.getDescriptorForType().findFieldByName("value")) : (String) value, rules.getString(), broken);
      case BYTES -> bytes(value instanceof Message wrapper ? (ByteString) wrapper.getField(wrapper.getDescriptorForType().findFieldByName("value")) : (ByteString) value, rules.getBytes(), broken);
      case ENUM -> enumeration((EnumValueDescriptor) value, field, rules.getEnum(), broken);
      case DURATION -> bounds("duration", time((Message) value), rules.getDuration(), ruleValue -> time((Message) ruleValue), broken);
      case TIMESTAMP -> bounds("timestamp", time((Message) value), rules.getTimestamp(), ruleValue -> time((Message) ruleValue), broken);
      case ANY -> any(typeUrl((Message) value), rules.getAny(), broken);
      default -> { }
    }
    return broken;
  }

  /** The field a numeric rules message holds its bounds in; every bound field there has the same type. */
  private static FieldDescriptor numberRulesField(Message numberRules) {
    return numberRules.getDescriptorForType().findFieldByName("const");
  }

  /** A number as protobuf reflection gives it, read with its field's signedness; empty for NaN. */
  private static Optional<BigDecimal> decimal(Object number, FieldDescriptor field) {
    return Optional.ofNullable(switch (field.getType()) {
      case UINT32, FIXED32 -> BigDecimal.valueOf(Integer.toUnsignedLong((Integer) number));
      case UINT64, FIXED64 -> new BigDecimal(Long.toUnsignedString((Long) number));
      case INT32, SINT32, SFIXED32 -> BigDecimal.valueOf((Integer) number);
      case INT64, SINT64, SFIXED64 -> BigDecimal.valueOf((Long) number);
      case FLOAT -> Float.isFinite((Float) number) ? new BigDecimal(Float.toString((Float) number)) : null;
      case DOUBLE -> Double.isFinite((Double) number) ? BigDecimal.valueOf((Double) number) : null;
      default -> null;
    });
  }

  /** A Duration or Timestamp as seconds. */
  private static BigDecimal time(Message time) {
    long seconds = (Long) time.getField(time.getDescriptorForType().findFieldByName("seconds"));
    int nanos = (Integer) time.getField(time.getDescriptorForType().findFieldByName("nanos"));
    return BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos, 9));
  }

  /**
   * The ordering rules shared by numbers, durations and timestamps: const, gt/gte, lt/lte, in, not_in,
   * ignore_empty. A lower bound above the upper bound means "outside the range", as protoc-gen-validate has it.
   */
  private static void bounds(String kind, BigDecimal value, Message rules, Function<Object, BigDecimal> ruleValue,
      List<Broken> broken) {
    String unit = kind.equals("duration") || kind.equals("timestamp") ? "s" : "";
    Function<BigDecimal, String> show = number -> number.stripTrailingZeros().toPlainString() + unit;
    if (isSet(rules, "ignore_empty") && (Boolean) get(rules, "ignore_empty") && value.signum() == 0) {
      return;
    }
    if (isSet(rules, "const")) {
      BigDecimal expected = ruleValue.apply(get(rules, "const"));
      if (value.compareTo(expected) != 0) {
        broken.add(new Broken(kind + ".const", show.apply(value) + " is not " + show.apply(expected)));
      }
    }
    Bound lower = isSet(rules, "gt") ? new Bound("gt", ruleValue.apply(get(rules, "gt")))
        : isSet(rules, "gte") ? new Bound("gte", ruleValue.apply(get(rules, "gte"))) : null;
    Bound upper = isSet(rules, "lt") ? new Bound("lt", ruleValue.apply(get(rules, "lt")))
        : isSet(rules, "lte") ? new Bound("lte", ruleValue.apply(get(rules, "lte"))) : null;
    if (lower != null && upper != null && upper.limit().compareTo(lower.limit()) < 0) {
      if (!lower.admits(value) && !upper.admits(value)) {
        broken.add(new Broken(kind + "." + upper.rule(), show.apply(value) + " is inside " + show.apply(upper.limit())
            + ".." + show.apply(lower.limit()) + ", which the rule excludes"));
      }
    } else {
      for (Bound bound : new Bound[] {lower, upper}) {
        if (bound != null && !bound.admits(value)) {
          broken.add(new Broken(kind + "." + bound.rule(), show.apply(value) + " is " + bound.failure() + " " + show.apply(bound.limit())));
        }
      }
    }
    List<BigDecimal> in = list(rules, "in").stream().map(ruleValue).toList();
    if (!in.isEmpty() && in.stream().noneMatch(allowed -> allowed.compareTo(value) == 0)) {
      broken.add(new Broken(kind + ".in", show.apply(value) + " is not one of " + in.stream().map(show).toList()));
    }
    List<BigDecimal> notIn = list(rules, "not_in").stream().map(ruleValue).toList();
    if (notIn.stream().anyMatch(refused -> refused.compareTo(value) == 0)) {
      broken.add(new Broken(kind + ".not_in", show.apply(value) + " is one of the refused " + notIn.stream().map(show).toList()));
    }
  }

  private record Bound(String rule, BigDecimal limit) {
    boolean admits(BigDecimal value) {
      int order = value.compareTo(limit);
      return switch (rule) {
        case "gt" -> order > 0;
        case "gte" -> order >= 0;
        case "lt" -> order < 0;
        default -> order <= 0;
      };
    }

    String failure() {
      return switch (rule) {
        case "gt" -> "not above";
        case "gte" -> "below";
        case "lt" -> "not below";
        default -> "above";
      };
    }
  }

  private static boolean isSet(Message rules, String name) {
    FieldDescriptor field = rules.getDescriptorForType().findFieldByName(name);
    return field != null && rules.hasField(field);
  }

  /** A repeated rule, empty when unset or when the rules message has no such rule (timestamps have no in). */
  private static List<?> list(Message rules, String name) {
    FieldDescriptor field = rules.getDescriptorForType().findFieldByName(name);
    return field == null ? List.of() : (List<?>) rules.getField(field);
  }

  private static Object get(Message rules, String name) {
    return rules.getField(rules.getDescriptorForType().findFieldByName(name));
  }

  private static void string(String value, StringRules rules, List<Broken> broken) {
    if (rules.getIgnoreEmpty() && value.isEmpty()) {
      return;
    }
    String shown = show(value);
    int characters = value.codePointCount(0, value.length());
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (rules.hasConst() && !value.equals(rules.getConst())) {
      broken.add(new Broken("string.const", shown + " is not " + show(rules.getConst())));
    }
    if (rules.hasLen() && characters != rules.getLen()) {
      broken.add(new Broken("string.len", shown + " has " + characters + " characters, not " + rules.getLen()));
    }
    if (rules.hasMinLen() && characters < rules.getMinLen()) {
      broken.add(new Broken("string.min_len", shown + " has " + characters + " characters, fewer than " + rules.getMinLen()));
    }
    if (rules.hasMaxLen() && characters > rules.getMaxLen()) {
      broken.add(new Broken("string.max_len", shown + " has " + characters + " characters, more than " + rules.getMaxLen()));
    }
    if (rules.hasLenBytes() && bytes != rules.getLenBytes()) {
      broken.add(new Broken("string.len_bytes", shown + " has " + bytes + " bytes, not " + rules.getLenBytes()));
    }
    if (rules.hasMinBytes() && bytes < rules.getMinBytes()) {
      broken.add(new Broken("string.min_bytes", shown + " has " + bytes + " bytes, fewer than " + rules.getMinBytes()));
    }
    if (rules.hasMaxBytes() && bytes > rules.getMaxBytes()) {
      broken.add(new Broken("string.max_bytes", shown + " has " + bytes + " bytes, more than " + rules.getMaxBytes()));
    }
    // Envoy's C++ validators use RE2 partial matching; Java's regex agrees on the patterns Envoy's protos hold.
    if (rules.hasPattern() && !Pattern.compile(rules.getPattern()).matcher(value).find()) {
      broken.add(new Broken("string.pattern", shown + " does not match " + rules.getPattern()));
    }
    if (rules.hasPrefix() && !value.startsWith(rules.getPrefix())) {
      broken.add(new Broken("string.prefix", shown + " does not start with " + show(rules.getPrefix())));
    }
    if (rules.hasSuffix() && !value.endsWith(rules.getSuffix())) {
      broken.add(new Broken("string.suffix", shown + " does not end with " + show(rules.getSuffix())));
    }
    if (rules.hasContains() && !value.contains(rules.getContains())) {
      broken.add(new Broken("string.contains", shown + " does not contain " + show(rules.getContains())));
    }
    if (rules.hasNotContains() && value.contains(rules.getNotContains())) {
      broken.add(new Broken("string.not_contains", shown + " contains " + show(rules.getNotContains())));
    }
    if (rules.getInCount() > 0 && !rules.getInList().contains(value)) {
      broken.add(new Broken("string.in", shown + " is not one of " + rules.getInList()));
    }
    if (rules.getNotInList().contains(value)) {
      broken.add(new Broken("string.not_in", shown + " is one of the refused " + rules.getNotInList()));
    }
    if (rules.hasWellKnownRegex()) {
      Pattern header = switch (rules.getWellKnownRegex()) {
        case HTTP_HEADER_NAME -> rules.getStrict() ? STRICT_HEADER_NAME : LENIENT_HEADER;
        case HTTP_HEADER_VALUE -> rules.getStrict() ? STRICT_HEADER_VALUE : LENIENT_HEADER;
        default -> null;
      };
      if (header != null && !header.matcher(value).matches()) {
        String what = rules.getWellKnownRegex() == KnownRegex.HTTP_HEADER_NAME ? "name" : "value";
        broken.add(new Broken("string.well_known_regex", shown + " is not a valid HTTP header " + what
            + (rules.getStrict() ? "" : " (it holds a NUL, CR or LF)")));
      }
    }
  }

  private static void bytes(ByteString value, BytesRules rules, List<Broken> broken) {
    if (rules.getIgnoreEmpty() && value.isEmpty()) {
      return;
    }
    String shown = value.size() + " bytes";
    if (rules.hasConst() && !value.equals(rules.getConst())) {
      broken.add(new Broken("bytes.const", "the " + shown + " are not the required constant"));
    }
    if (rules.hasLen() && value.size() != rules.getLen()) {
      broken.add(new Broken("bytes.len", shown + ", not " + rules.getLen()));
    }
    if (rules.hasMinLen() && value.size() < rules.getMinLen()) {
      broken.add(new Broken("bytes.min_len", shown + ", fewer than " + rules.getMinLen()));
    }
    if (rules.hasMaxLen() && value.size() > rules.getMaxLen()) {
      broken.add(new Broken("bytes.max_len", shown + ", more than " + rules.getMaxLen()));
    }
    if (rules.hasPrefix() && !value.startsWith(rules.getPrefix())) {
      broken.add(new Broken("bytes.prefix", "the " + shown + " do not start with the required prefix"));
    }
    if (rules.hasSuffix() && !value.endsWith(rules.getSuffix())) {
      broken.add(new Broken("bytes.suffix", "the " + shown + " do not end with the required suffix"));
    }
    if (rules.hasContains() && !containsBytes(value, rules.getContains())) {
      broken.add(new Broken("bytes.contains", "the " + shown + " do not contain the required bytes"));
    }
    if (rules.getInCount() > 0 && !rules.getInList().contains(value)) {
      broken.add(new Broken("bytes.in", "the " + shown + " are none of the allowed values"));
    }
    if (rules.getNotInList().contains(value)) {
      broken.add(new Broken("bytes.not_in", "the " + shown + " are one of the refused values"));
    }
  }

  private static boolean containsBytes(ByteString value, ByteString part) {
    for (int start = 0; start + part.size() <= value.size(); start++) {
      if (value.substring(start, start + part.size()).equals(part)) {
        return true;
      }
    }
    return false;
  }

  private static void enumeration(EnumValueDescriptor value, FieldDescriptor field, EnumRules rules, List<Broken> broken) {
    int number = value.getNumber();
    String shown = field.getEnumType().findValueByNumber(number) == null ? String.valueOf(number) : value.getName() + " (" + number + ")";
    if (rules.getDefinedOnly() && field.getEnumType().findValueByNumber(number) == null) {
      broken.add(new Broken("enum.defined_only", number + " is not a value of " + field.getEnumType().getName()));
    }
    if (rules.hasConst() && number != rules.getConst()) {
      broken.add(new Broken("enum.const", shown + " is not " + rules.getConst()));
    }
    if (rules.getInCount() > 0 && !rules.getInList().contains(number)) {
      broken.add(new Broken("enum.in", shown + " is not one of " + rules.getInList()));
    }
    if (rules.getNotInList().contains(number)) {
      broken.add(new Broken("enum.not_in", shown + " is one of the refused " + rules.getNotInList()));
    }
  }

  private static void any(String typeUrl, AnyRules rules, List<Broken> broken) {
    if (rules.getInCount() > 0 && !rules.getInList().contains(typeUrl)) {
      broken.add(new Broken("any.in", show(typeUrl) + " is not one of " + rules.getInList()));
    }
    if (rules.getNotInList().contains(typeUrl)) {
      broken.add(new Broken("any.not_in", show(typeUrl) + " is one of the refused " + rules.getNotInList()));
    }
  }

  /** The type URL of an Any, generated or dynamic. */
  static String typeUrl(Message any) {
    return (String) any.getField(any.getDescriptorForType().findFieldByName("type_url"));
  }

  /** A value as a user would write it: strings quoted with control characters escaped, long ones cut. */
  static String show(Object value) {
    if (value instanceof String text) {
      String escaped = text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
          .replace("\0", "\\0");
      return "\"" + (escaped.length() > 80 ? escaped.substring(0, 77) + "..." : escaped) + "\"";
    }
    if (value instanceof EnumValueDescriptor enumValue) {
      return enumValue.getName();
    }
    if (value instanceof Message message) {
      return message.getDescriptorForType().getName() + " " + TextFormat.shortDebugString(message);
    }
    return String.valueOf(value);
  }
}
