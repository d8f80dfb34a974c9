package dev.vicinity.server.xds;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Versions are hashes of the resources' deterministic serialization: a restarted server, or a second
 * replica, gives the same resources the same version, so clients see no churn.
 */
public final class Versions {
  private Versions() {}

  /** SHA-256 over every resource in order, shortened to 16 hex digits (64 bits). */
  public static String of(List<? extends Message> resources) {
    Hasher hasher = Hashing.sha256().newHasher();
    for (Message resource : resources) {
      byte[] bytes = deterministicBytes(resource);
      hasher.putInt(bytes.length).putBytes(bytes);
    }
    return hasher.hash().toString().substring(0, 16);
  }

  /** The version of one resource from its deterministic bytes: equal to {@code of(List.of(resource))}. */
  static String ofSerialized(byte[] bytes) {
    return Hashing.sha256().newHasher().putInt(bytes.length).putBytes(bytes).hash().toString().substring(0, 16);
  }

  public static byte[] deterministicBytes(Message message) {
    // Straight into an array of the exact size: no buffer to copy out of.
    byte[] bytes = new byte[message.getSerializedSize()];
    CodedOutputStream output = CodedOutputStream.newInstance(bytes);
    output.useDeterministicSerialization();
    try {
      message.writeTo(output);
      output.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("serializing to memory cannot fail", e);
    }
    return bytes;
  }
}
