package dev.vicinity.benchmarks;

import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.VicinityConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bookinfo example as the load harness serves and changes it, wherever it is served from
 * ({@link BookinfoWorld}: mock Kubernetes API servers; {@link BookinfoFiles}: files).
 */
interface LoadWorld extends AutoCloseable {
  /** The configuration directory {@code vicinity serve} reads. */
  Path config();

  /** Its {@code vicinity.yaml}, read afresh. */
  default VicinityConfig settings() throws IOException {
    return ConfigReader.read("vicinity.yaml", Files.readString(config().resolve("vicinity.yaml"))).config().orElseThrow();
  }

  /** Sets reviews-v1's readiness (and serving) in mgmt-cluster's reviews EndpointSlice. */
  void setReviewsV1Ready(boolean ready) throws Exception;

  /** Adds {@code extra}'s Service and EndpointSlices to mgmt-cluster. */
  void add(ExtraService extra) throws Exception;

  /** Removes what {@link #add} added. */
  void remove(ExtraService extra) throws Exception;

  @Override
  void close() throws Exception;
}
