package dev.vicinity.api.policy;

/** A policy document Vicinity understands. */
public sealed interface Policy permits VirtualDestination, TrafficPolicy, DestinationRule {
  PolicyKind kind();

  ObjectMeta metadata();

  default ObjectRef ref() {
    return metadata().ref();
  }
}
