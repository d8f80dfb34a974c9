package dev.vicinity.server.xds;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.service.discovery.v3.Resource;

/**
 * One resource at one version, serialized once: the state-of-the-world {@code Any} and the delta
 * {@code Resource} share the same bytes, and so does every stream and every node group that holds this
 * version (versions are interned when a snapshot is made). The version is a hash of the resource's deterministic
 * serialization, so that a restarted server or another replica gives the same resource the same version.
 */
public final class VersionedResource {
  private final XdsType type;
  private final String name;
  private final String version;
  private final Message message;
  private final Any packed;
  private final Resource delta;
  private final long nameAndVersionHash;

  private VersionedResource(XdsType type, String name, String version, Message message, ByteString bytes) {
    this.type = type;
    this.name = name;
    this.version = version;
    this.message = message;
    this.packed = Any.newBuilder().setTypeUrl(type.typeUrl()).setValue(bytes).build();
    this.delta = Resource.newBuilder().setName(name).setVersion(version).setResource(packed).build();
    this.nameAndVersionHash = com.google.common.hash.Hashing.murmur3_128().newHasher()
        .putString(name, java.nio.charset.StandardCharsets.UTF_8).putByte((byte) 0)
        .putString(version, java.nio.charset.StandardCharsets.UTF_8).hash().asLong();
  }

  /** A hash of the name and version: a type's version sums them, so one replaced resource updates it. */
  long nameAndVersionHash() {
    return nameAndVersionHash;
  }

  /** Serializes {@code message} and versions it by its content. */
  public static VersionedResource of(XdsType type, Message message) {
    return of(type, message, Versions.deterministicBytes(message));
  }

  /** {@code bytes}: the message's deterministic serialization, no longer written to by anyone. */
  static VersionedResource of(XdsType type, Message message, byte[] bytes) {
    return new VersionedResource(type, type.nameOf(message), Versions.ofSerialized(bytes), message,
        UnsafeByteOperations.unsafeWrap(bytes)); // the array is ours alone
  }

  public XdsType type() {
    return type;
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  /** The resource itself, for the debug pages and the acceptance check. */
  public Message message() {
    return message;
  }

  /** As a state-of-the-world response carries it. */
  public Any packed() {
    return packed;
  }

  /** As a delta response carries it. */
  public Resource delta() {
    return delta;
  }

  /** Equal when type, name and version are: the same content, as versions are content hashes. */
  @Override
  public boolean equals(Object other) {
    return other instanceof VersionedResource that && type == that.type && name.equals(that.name)
        && version.equals(that.version);
  }

  @Override
  public int hashCode() {
    return (type.hashCode() * 31 + name.hashCode()) * 31 + version.hashCode();
  }

  @Override
  public String toString() {
    return type.shortName() + " " + name + "@" + version;
  }

  /** Serialized size, for the metrics. */
  public int size() {
    return packed.getValue().size();
  }
}
