package dev.vicinity.translator.acceptance;

import com.google.protobuf.AnyProto;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldOptions;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.WrappersProto;
import io.envoyproxy.envoy.type.v3.Percent;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import java.util.function.UnaryOperator;

/**
 * Messages made for one rule: a proto type {@code probe.Probe} built at run time with a single field
 * {@code value} carrying the rule under test, so every rule kind of validate.proto can be broken on its own,
 * including kinds no Envoy proto uses.
 */
final class ProbeMessages {
  private ProbeMessages() {}

  /** The probe type: one field of the given type and label with the rules; an enum {@code probe.Color} exists. */
  static Descriptor probe(FieldDescriptorProto.Type type, String typeName, FieldDescriptorProto.Label label,
      FieldRules rules) {
    FieldDescriptorProto.Builder field = FieldDescriptorProto.newBuilder()
        .setName("value").setNumber(1).setType(type).setLabel(label)
        .setOptions(FieldOptions.newBuilder().setExtension(Validate.rules, rules));
    if (typeName != null) {
      field.setTypeName(typeName);
    }
    return build(message -> message.addField(field));
  }

  /** A probe whose field {@code value} is a {@code map<string, string>}. */
  static Descriptor mapProbe(FieldRules rules) {
    DescriptorProto entry = DescriptorProto.newBuilder().setName("ValueEntry")
        .setOptions(MessageOptions.newBuilder().setMapEntry(true))
        .addField(FieldDescriptorProto.newBuilder().setName("key").setNumber(1)
            .setType(FieldDescriptorProto.Type.TYPE_STRING).setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL))
        .addField(FieldDescriptorProto.newBuilder().setName("value").setNumber(2)
            .setType(FieldDescriptorProto.Type.TYPE_STRING).setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL))
        .build();
    return build(message -> message.addNestedType(entry).addField(FieldDescriptorProto.newBuilder()
        .setName("value").setNumber(1).setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
        .setTypeName(".probe.Probe.ValueEntry").setLabel(FieldDescriptorProto.Label.LABEL_REPEATED)
        .setOptions(FieldOptions.newBuilder().setExtension(Validate.rules, rules))));
  }

  /** A probe with a required oneof {@code choice} of two strings {@code a} and {@code b}. */
  static Descriptor requiredOneofProbe() {
    return build(message -> message
        .addOneofDecl(OneofDescriptorProto.newBuilder().setName("choice")
            .setOptions(OneofOptions.newBuilder().setExtension(Validate.required, true)))
        .addField(FieldDescriptorProto.newBuilder().setName("a").setNumber(1).setOneofIndex(0)
            .setType(FieldDescriptorProto.Type.TYPE_STRING).setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL))
        .addField(FieldDescriptorProto.newBuilder().setName("b").setNumber(2).setOneofIndex(0)
            .setType(FieldDescriptorProto.Type.TYPE_STRING).setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL)));
  }

  /** A probe whose string field {@code value} needs min_len 1, under the given message options. */
  static Descriptor optionsProbe(MessageOptions options) {
    return build(message -> message.setOptions(options).addField(FieldDescriptorProto.newBuilder()
        .setName("value").setNumber(1).setType(FieldDescriptorProto.Type.TYPE_STRING)
        .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL)
        .setOptions(FieldOptions.newBuilder().setExtension(Validate.rules, FieldRules.newBuilder()
            .setString(Validate.StringRules.newBuilder().setMinLen(1)).build()))));
  }

  /** The probe message with {@code value} set (a list for a repeated field). */
  static Message with(Descriptor probe, Object value) {
    FieldDescriptor field = probe.findFieldByName("value");
    DynamicMessage.Builder message = DynamicMessage.newBuilder(probe);
    if (field.isRepeated() && value instanceof Iterable<?> items) {
      for (Object item : items) {
        message.addRepeatedField(field, item);
      }
    } else {
      message.setField(field, value);
    }
    return message.build();
  }

  private static Descriptor build(UnaryOperator<DescriptorProto.Builder> fields) {
    FileDescriptorProto file = FileDescriptorProto.newBuilder()
        .setName("probe.proto").setPackage("probe").setSyntax("proto3")
        .addDependency(DurationProto.getDescriptor().getName())
        .addDependency(TimestampProto.getDescriptor().getName())
        .addDependency(AnyProto.getDescriptor().getName())
        .addDependency(WrappersProto.getDescriptor().getName())
        .addDependency(Percent.getDescriptor().getFile().getName())
        .addEnumType(EnumDescriptorProto.newBuilder().setName("Color")
            .addValue(EnumValueDescriptorProto.newBuilder().setName("RED").setNumber(0))
            .addValue(EnumValueDescriptorProto.newBuilder().setName("GREEN").setNumber(1))
            .addValue(EnumValueDescriptorProto.newBuilder().setName("BLUE").setNumber(2)))
        .addMessageType(fields.apply(DescriptorProto.newBuilder().setName("Probe")))
        .build();
    try {
      return FileDescriptor.buildFrom(file, new FileDescriptor[] {DurationProto.getDescriptor(),
          TimestampProto.getDescriptor(), AnyProto.getDescriptor(), WrappersProto.getDescriptor(),
          Percent.getDescriptor().getFile()}).findMessageTypeByName("Probe");
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }
}
