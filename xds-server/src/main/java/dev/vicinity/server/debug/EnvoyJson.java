package dev.vicinity.server.debug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.vicinity.translator.envoy.EnvoyTypes;

/** Envoy resources as Envoy's own JSON (the proto3 JSON mapping), with typed configs expanded. */
public final class EnvoyJson {
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
      .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder().add(EnvoyTypes.typedConfigs()).build())
      .omittingInsignificantWhitespace();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private EnvoyJson() {}

  public static JsonNode tree(Message message) {
    try {
      return MAPPER.readTree(PRINTER.print(message));
    } catch (InvalidProtocolBufferException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render " + message.getDescriptorForType().getFullName(), e);
    }
  }
}
