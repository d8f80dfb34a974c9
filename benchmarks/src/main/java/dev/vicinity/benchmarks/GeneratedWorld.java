package dev.vicinity.benchmarks;

import java.nio.file.Path;

/**
 * A generated world ({@link FleetWorld.Shape}) that {@code vicinity serve} reads from its configuration
 * directory, wherever the world itself is served from, and the one change the fleet harness makes to it.
 */
interface GeneratedWorld extends AutoCloseable {
  FleetWorld.Shape shape();

  /** The configuration directory to serve: {@code vicinity.yaml} and {@code policies/}, with what the source needs. */
  Path config();

  /** Flips the readiness (and serving) of the changed endpoint ({@link FleetWorld#changedAssignment()}). */
  void flipChangedEndpoint() throws Exception;

  @Override
  void close() throws Exception;
}
