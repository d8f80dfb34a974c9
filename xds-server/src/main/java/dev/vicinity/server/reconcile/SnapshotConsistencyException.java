package dev.vicinity.server.reconcile;

/** A node group's resources refer to one another wrongly: the snapshot is not published. */
final class SnapshotConsistencyException extends Exception {
  SnapshotConsistencyException(String message) {
    super(message);
  }
}
