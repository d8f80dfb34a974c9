package dev.vicinity.translator.acceptance;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import java.util.Locale;

/**
 * One field's rules, read once per field rather than once per value: the ordering rules decoded, and the
 * rules of repeated items and of map keys and values compiled the same way.
 *
 * @param ordering the decoded number, duration or timestamp rules; null for other types
 * @param items the rules of each repeated element; null when there are none
 * @param keys the rules of each map key; null when there are none
 * @param values the rules of each map value; null when there are none
 */
record CompiledRules(FieldRules rules, OrderingRules ordering, CompiledRules items, CompiledRules keys,
    CompiledRules values) {

  static CompiledRules of(FieldRules rules) {
    return new CompiledRules(rules, ordering(rules),
        rules.getRepeated().hasItems() ? of(rules.getRepeated().getItems()) : null,
        rules.getMap().hasKeys() ? of(rules.getMap().getKeys()) : null,
        rules.getMap().hasValues() ? of(rules.getMap().getValues()) : null);
  }

  private static OrderingRules ordering(FieldRules rules) {
    return switch (rules.getTypeCase()) {
      case FLOAT, DOUBLE, INT32, INT64, UINT32, UINT64, SINT32, SINT64, FIXED32, FIXED64, SFIXED32, SFIXED64 -> {
        Message numbers = (Message) rules.getField(FieldRules.getDescriptor().findFieldByNumber(rules.getTypeCase().getNumber()));
        // Every bound of a number type's rules has that type, so the const field tells how to read them all.
        FieldDescriptor bound = numbers.getDescriptorForType().findFieldByName("const");
        yield OrderingRules.of(rules.getTypeCase().name().toLowerCase(Locale.ROOT), numbers,
            value -> ValueRules.decimal(value, bound.getType()).orElseThrow());
      }
      case DURATION -> OrderingRules.of("duration", rules.getDuration(), value -> ValueRules.seconds((Message) value));
      case TIMESTAMP -> OrderingRules.of("timestamp", rules.getTimestamp(), value -> ValueRules.seconds((Message) value));
      default -> null;
    };
  }
}
