package dev.vicinity.api.config;

import java.time.Duration;

/** Server settings from {@code vicinity.yaml}; command-line flags override them. */
public record ServerSettings(
    Integer xdsPort,
    Integer debugPort,
    String debugAddress,
    Duration coalesceWindow,
    String envoyListenerAddress,
    Duration clusterSyncTimeout) {
  public static final int DEFAULT_XDS_PORT = 18000;
  public static final int DEFAULT_DEBUG_PORT = 19000;
  /** The debug endpoint shows the whole configuration: loopback unless told otherwise. */
  public static final String DEFAULT_DEBUG_ADDRESS = "127.0.0.1";
  public static final Duration DEFAULT_COALESCE_WINDOW = Duration.ofMillis(20);

  /** Where Envoy clients' outbound listeners bind (Istio's sidecars capture traffic to them). */
  public static final String DEFAULT_ENVOY_LISTENER_ADDRESS = "0.0.0.0";

  /** How long a live cluster may take to sync first before it is marked FAILED (and readiness stops waiting). */
  public static final Duration DEFAULT_CLUSTER_SYNC_TIMEOUT = Duration.ofMinutes(2);

  public static final ServerSettings DEFAULTS = new ServerSettings(null, null, null, null, null, null);

  /** Settings without a cluster sync timeout of their own. */
  public ServerSettings(Integer xdsPort, Integer debugPort, String debugAddress, Duration coalesceWindow, String envoyListenerAddress) {
    this(xdsPort, debugPort, debugAddress, coalesceWindow, envoyListenerAddress, null);
  }

  public ServerSettings {
    xdsPort = xdsPort == null ? DEFAULT_XDS_PORT : xdsPort;
    debugPort = debugPort == null ? DEFAULT_DEBUG_PORT : debugPort;
    debugAddress = debugAddress == null || debugAddress.isEmpty() ? DEFAULT_DEBUG_ADDRESS : debugAddress;
    coalesceWindow = coalesceWindow == null ? DEFAULT_COALESCE_WINDOW : coalesceWindow;
    envoyListenerAddress = envoyListenerAddress == null || envoyListenerAddress.isEmpty()
        ? DEFAULT_ENVOY_LISTENER_ADDRESS
        : envoyListenerAddress;
    clusterSyncTimeout = clusterSyncTimeout == null ? DEFAULT_CLUSTER_SYNC_TIMEOUT : clusterSyncTimeout;
  }
}
