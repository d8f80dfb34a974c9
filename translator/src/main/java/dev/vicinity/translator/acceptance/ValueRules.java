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
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules of one field's type, applied to one present value (a scalar, a wrapper, a duration, a timestamp
 * or an Any), with protoc-gen-validate's meaning for each rule. Messages in the violations show values,
 * never Java types.
 */
final class ValueRules {
  /** A broken rule, before the walk adds the resource and field path. */
  record Broken(String rule, String message) {}

  // protoc-gen-validate's header regexes, copied as they are (its "+-." is a range that takes a comma too);
  // strict is the default, but Envoy's protos mostly ask for the lenient one (no NUL, CR or LF).
  private static final Pattern STRICT_HEADER_NAME = Pattern.compile("^:?[0-9a-zA-Z!#$%&'*+-.^_|~`]+$");
  private static final Pattern STRICT_HEADER_VALUE = Pattern.compile("^[^\\x00-\\x08\\x0A-\\x1F\\x7F]*$");
  private static final Pattern LENIENT_HEADER = Pattern.compile("^[^\\x00\\x0A\\x0D]*$");

  private ValueRules() {}

  static List<Broken> check(Object value, FieldDescriptor field, CompiledRules compiled) {
    FieldRules rules = compiled.rules();
    List<Broken> broken = new ArrayList<>(0);
    switch (rules.getTypeCase()) {
      case FLOAT, DOUBLE, INT32, INT64, UINT32, UINT64, SINT32, SINT64, FIXED32, FIXED64, SFIXED32, SFIXED64 -> {
        FieldDescriptor.Type type = value instanceof Message wrapper ? wrapped(wrapper).getType() : field.getType();
        decimal(unwrapped(value), type).ifPresent(decimal -> compiled.ordering().check(decimal, broken));
      }
      case BOOL -> {
        boolean flag = (Boolean) unwrapped(value);
        if (rules.getBool().hasConst() && flag != rules.getBool().getConst()) {
          broken.add(new Broken("bool.const", flag + " is not " + rules.getBool().getConst()));
        }
      }
      case STRING -> string((String) unwrapped(value), rules.getString(), broken);
      case BYTES -> bytes((ByteString) unwrapped(value), rules.getBytes(), broken);
      case ENUM -> enumeration((EnumValueDescriptor) value, field, rules.getEnum(), broken);
      case DURATION, TIMESTAMP -> compiled.ordering().check(seconds((Message) value), broken);
      case ANY -> any(typeUrl((Message) value), rules.getAny(), broken);
      default -> { }
    }
    return broken;
  }

  /** The value a wrapper message ({@code google.protobuf.UInt32Value} and the like) holds, or the value itself. */
  private static Object unwrapped(Object value) {
    return value instanceof Message wrapper ? wrapper.getField(wrapped(wrapper)) : value;
  }

  private static FieldDescriptor wrapped(Message wrapper) {
    return wrapper.getDescriptorForType().getFields().get(0);
  }

  /** A number as protobuf reflection gives it, read with its field's signedness; empty for NaN and infinities. */
  static Optional<BigDecimal> decimal(Object number, FieldDescriptor.Type type) {
    return Optional.ofNullable(switch (type) {
      case UINT32, FIXED32 -> BigDecimal.valueOf(Integer.toUnsignedLong((Integer) number));
      case UINT64, FIXED64 -> new BigDecimal(Long.toUnsignedString((Long) number));
      case INT32, SINT32, SFIXED32 -> BigDecimal.valueOf((Integer) number);
      case INT64, SINT64, SFIXED64 -> BigDecimal.valueOf((Long) number);
      case FLOAT -> Float.isFinite((Float) number) ? new BigDecimal(Float.toString((Float) number)) : null;
      case DOUBLE -> Double.isFinite((Double) number) ? BigDecimal.valueOf((Double) number) : null;
      default -> null;
    });
  }

  /** A Duration or Timestamp (generated or dynamic) as seconds. */
  static BigDecimal seconds(Message time) {
    if (time instanceof com.google.protobuf.Duration duration) {
      return BigDecimal.valueOf(duration.getSeconds()).add(BigDecimal.valueOf(duration.getNanos(), 9));
    }
    if (time instanceof com.google.protobuf.Timestamp timestamp) {
      return BigDecimal.valueOf(timestamp.getSeconds()).add(BigDecimal.valueOf(timestamp.getNanos(), 9));
    }
    long seconds = (Long) time.getField(time.getDescriptorForType().findFieldByName("seconds"));
    int nanos = (Integer) time.getField(time.getDescriptorForType().findFieldByName("nanos"));
    return BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos, 9));
  }

  private static void string(String value, StringRules rules, List<Broken> broken) {
    if (rules.getIgnoreEmpty() && value.isEmpty()) {
      return;
    }
    // Lengths are counted only when a length rule asks: most string rules are header regexes and min_len.
    int characters = rules.hasLen() || rules.hasMinLen() || rules.hasMaxLen() ? value.codePointCount(0, value.length()) : 0;
    int bytes = rules.hasLenBytes() || rules.hasMinBytes() || rules.hasMaxBytes() ? value.getBytes(StandardCharsets.UTF_8).length : 0;
    if (rules.hasConst() && !value.equals(rules.getConst())) {
      broken.add(new Broken("string.const", show(value) + " is not " + show(rules.getConst())));
    }
    if (rules.hasLen() && characters != rules.getLen()) {
      broken.add(new Broken("string.len", show(value) + " has " + characters + " characters, not " + rules.getLen()));
    }
    if (rules.hasMinLen() && characters < rules.getMinLen()) {
      broken.add(new Broken("string.min_len", show(value) + " has " + characters + " characters, fewer than " + rules.getMinLen()));
    }
    if (rules.hasMaxLen() && characters > rules.getMaxLen()) {
      broken.add(new Broken("string.max_len", show(value) + " has " + characters + " characters, more than " + rules.getMaxLen()));
    }
    if (rules.hasLenBytes() && bytes != rules.getLenBytes()) {
      broken.add(new Broken("string.len_bytes", show(value) + " has " + bytes + " bytes, not " + rules.getLenBytes()));
    }
    if (rules.hasMinBytes() && bytes < rules.getMinBytes()) {
      broken.add(new Broken("string.min_bytes", show(value) + " has " + bytes + " bytes, fewer than " + rules.getMinBytes()));
    }
    if (rules.hasMaxBytes() && bytes > rules.getMaxBytes()) {
      broken.add(new Broken("string.max_bytes", show(value) + " has " + bytes + " bytes, more than " + rules.getMaxBytes()));
    }
    // Envoy's C++ validators use RE2 partial matching; Java's regex agrees on the patterns Envoy's protos hold.
    if (rules.hasPattern() && !Pattern.compile(rules.getPattern()).matcher(value).find()) {
      broken.add(new Broken("string.pattern", show(value) + " does not match " + rules.getPattern()));
    }
    if (rules.hasPrefix() && !value.startsWith(rules.getPrefix())) {
      broken.add(new Broken("string.prefix", show(value) + " does not start with " + show(rules.getPrefix())));
    }
    if (rules.hasSuffix() && !value.endsWith(rules.getSuffix())) {
      broken.add(new Broken("string.suffix", show(value) + " does not end with " + show(rules.getSuffix())));
    }
    if (rules.hasContains() && !value.contains(rules.getContains())) {
      broken.add(new Broken("string.contains", show(value) + " does not contain " + show(rules.getContains())));
    }
    if (rules.hasNotContains() && value.contains(rules.getNotContains())) {
      broken.add(new Broken("string.not_contains", show(value) + " contains " + show(rules.getNotContains())));
    }
    if (rules.getInCount() > 0 && !rules.getInList().contains(value)) {
      broken.add(new Broken("string.in", show(value) + " is not one of " + rules.getInList()));
    }
    if (rules.getNotInList().contains(value)) {
      broken.add(new Broken("string.not_in", show(value) + " is one of the refused " + rules.getNotInList()));
    }
    if (rules.hasWellKnownRegex()) {
      Pattern header = switch (rules.getWellKnownRegex()) {
        case HTTP_HEADER_NAME -> rules.getStrict() ? STRICT_HEADER_NAME : LENIENT_HEADER;
        case HTTP_HEADER_VALUE -> rules.getStrict() ? STRICT_HEADER_VALUE : LENIENT_HEADER;
        default -> null;
      };
      if (header != null && !header.matcher(value).matches()) {
        String what = rules.getWellKnownRegex() == KnownRegex.HTTP_HEADER_NAME ? "name" : "value";
        broken.add(new Broken("string.well_known_regex", show(value) + " is not a valid HTTP header " + what
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
    if (any instanceof com.google.protobuf.Any generated) {
      return generated.getTypeUrl();
    }
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
