package dev.vicinity.translator.acceptance;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;

/**
 * The ordering rules shared by numbers, durations and timestamps (const, gt/gte, lt/lte, in, not_in,
 * ignore_empty), decoded once from a rules message into decimals so that checking a value does no reflection.
 * A lower bound above the upper bound means "outside the range", as protoc-gen-validate has it.
 */
record OrderingRules(String kind, BigDecimal constant, Bound lower, Bound upper, List<BigDecimal> in,
    List<BigDecimal> notIn, boolean ignoreEmpty) {

  /** One bound: the rule's name ({@code gt}, {@code gte}, {@code lt}, {@code lte}) and its limit. */
  record Bound(String rule, BigDecimal limit) {
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

  /** Decodes e.g. {@code UInt32Rules} or {@code DurationRules}; {@code decimal} reads one of its values. */
  static OrderingRules of(String kind, Message rules, Function<Object, BigDecimal> decimal) {
    return new OrderingRules(kind,
        isSet(rules, "const") ? decimal.apply(get(rules, "const")) : null,
        isSet(rules, "gt") ? new Bound("gt", decimal.apply(get(rules, "gt")))
            : isSet(rules, "gte") ? new Bound("gte", decimal.apply(get(rules, "gte"))) : null,
        isSet(rules, "lt") ? new Bound("lt", decimal.apply(get(rules, "lt")))
            : isSet(rules, "lte") ? new Bound("lte", decimal.apply(get(rules, "lte"))) : null,
        list(rules, "in").stream().map(decimal).toList(),
        list(rules, "not_in").stream().map(decimal).toList(),
        isSet(rules, "ignore_empty") && (Boolean) get(rules, "ignore_empty"));
  }

  void check(BigDecimal value, List<ValueRules.Broken> broken) {
    if (ignoreEmpty && value.signum() == 0) {
      return;
    }
    if (constant != null && value.compareTo(constant) != 0) {
      broken.add(new ValueRules.Broken(kind + ".const", show(value) + " is not " + show(constant)));
    }
    if (lower != null && upper != null && upper.limit().compareTo(lower.limit()) < 0) {
      if (!lower.admits(value) && !upper.admits(value)) {
        broken.add(new ValueRules.Broken(kind + "." + upper.rule(), show(value) + " is inside " + show(upper.limit())
            + ".." + show(lower.limit()) + ", which the rule excludes"));
      }
    } else {
      outside(lower, value, broken);
      outside(upper, value, broken);
    }
    // No streams on the way to a pass: every number of every resource comes through here.
    if (!in.isEmpty() && !contains(in, value)) {
      broken.add(new ValueRules.Broken(kind + ".in", show(value) + " is not one of " + in.stream().map(this::show).toList()));
    }
    if (!notIn.isEmpty() && contains(notIn, value)) {
      broken.add(new ValueRules.Broken(kind + ".not_in",
          show(value) + " is one of the refused " + notIn.stream().map(this::show).toList()));
    }
  }

  private void outside(Bound bound, BigDecimal value, List<ValueRules.Broken> broken) {
    if (bound != null && !bound.admits(value)) {
      broken.add(new ValueRules.Broken(kind + "." + bound.rule(), show(value) + " is " + bound.failure() + " " + show(bound.limit())));
    }
  }

  private static boolean contains(List<BigDecimal> numbers, BigDecimal value) {
    for (BigDecimal number : numbers) {
      if (number.compareTo(value) == 0) {
        return true;
      }
    }
    return false;
  }

  private String show(BigDecimal number) {
    String unit = kind.equals("duration") || kind.equals("timestamp") ? "s" : "";
    return number.stripTrailingZeros().toPlainString() + unit;
  }

  private static boolean isSet(Message rules, String name) {
    FieldDescriptor field = rules.getDescriptorForType().findFieldByName(name);
    return field != null && rules.hasField(field);
  }

  private static Object get(Message rules, String name) {
    return rules.getField(rules.getDescriptorForType().findFieldByName(name));
  }

  /** A repeated rule, empty when unset or when the rules message has no such rule (timestamps have no in). */
  private static List<?> list(Message rules, String name) {
    FieldDescriptor field = rules.getDescriptorForType().findFieldByName(name);
    return field == null ? List.of() : (List<?>) rules.getField(field);
  }
}
