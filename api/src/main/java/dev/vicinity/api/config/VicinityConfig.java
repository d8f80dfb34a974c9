package dev.vicinity.api.config;

import java.util.List;

/** The whole of {@code vicinity.yaml}: server settings and the clusters to serve. */
public record VicinityConfig(ServerSettings server, List<ClusterConfig> clusters) {
  public VicinityConfig {
    server = server == null ? ServerSettings.DEFAULTS : server;
    clusters = clusters == null ? List.of() : List.copyOf(clusters);
  }
}
