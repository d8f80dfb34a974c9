package dev.vicinity.api.config;

import java.time.Duration;

/** Server settings from {@code vicinity.yaml}; command-line flags override them. */
public record ServerSettings(
    Integer xdsPort,
    Integer debugPort,
    String debugAddress,
    Duration coalesceWindow,
    String envoyListenerAddress,
    Duration clusterSyncTimeout,
    Integer maxConcurrentStreamStarts,
    Duration streamStartTimeout,
    Duration keepAliveTime,
    Duration keepAliveTimeout,
    Duration maxConnectionAge,
    Duration maxConnectionAgeGrace,
    Duration drainPeriod,
    String xdsAddress,
    Integer maxNodeGroups) {
  public static final int DEFAULT_XDS_PORT = 18000;
  public static final int DEFAULT_DEBUG_PORT = 19000;
  /** The debug endpoint shows the whole configuration: loopback unless told otherwise. */
  public static final String DEFAULT_DEBUG_ADDRESS = "127.0.0.1";
  public static final Duration DEFAULT_COALESCE_WINDOW = Duration.ofMillis(20);

  /** Where Envoy clients' outbound listeners bind (Istio's sidecars capture traffic to them). */
  public static final String DEFAULT_ENVOY_LISTENER_ADDRESS = "0.0.0.0";

  /** How long a live cluster may take to sync first before it is marked FAILED (and readiness stops waiting). */
  public static final Duration DEFAULT_CLUSTER_SYNC_TIMEOUT = Duration.ofMinutes(2);

  /**
   * How many xDS streams may be between their start and their first response at once. A stream's first
   * response is the whole state of the world for its proxy, the expensive part of serving it; later
   * streams wait their turn instead of being refused, so a reconnect storm is spread out, not dropped.
   */
  public static final int DEFAULT_MAX_CONCURRENT_STREAM_STARTS = 64;

  /** How long an admitted stream may hold its place without a first response (e.g. it asked for nothing we have). */
  public static final Duration DEFAULT_STREAM_START_TIMEOUT = Duration.ofSeconds(5);

  /** Server keepalive pings, as Istio's control plane sends them: dead peers behind a load balancer are noticed. */
  public static final Duration DEFAULT_KEEP_ALIVE_TIME = Duration.ofSeconds(30);
  public static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Connections are closed (GOAWAY, then {@link #DEFAULT_MAX_CONNECTION_AGE_GRACE} later) after this age,
   * so that proxies behind an L4 load balancer spread over the replicas again, as with Istio's
   * control plane. Zero: never.
   */
  public static final Duration DEFAULT_MAX_CONNECTION_AGE = Duration.ofMinutes(30);
  public static final Duration DEFAULT_MAX_CONNECTION_AGE_GRACE = Duration.ofSeconds(10);

  /** On shutdown, open streams are ended over this period, so that their proxies do not all reconnect at once. */
  public static final Duration DEFAULT_DRAIN_PERIOD = Duration.ofSeconds(5);

  /** The xDS port listens on every interface: proxies connect from everywhere. */
  public static final String DEFAULT_XDS_ADDRESS = "0.0.0.0";

  /**
   * How many node groups (clients that share a view: kind, cluster, locality, network, labels...) may
   * have proxies at once. Each holds a snapshot of its own, so a bound keeps clients that make up
   * identities (or label every pod differently) from growing memory without limit.
   */
  public static final int DEFAULT_MAX_NODE_GROUPS = 1000;

  public static final ServerSettings DEFAULTS =
      new ServerSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  /** Settings with only the addresses and coalescing window of their own. */
  public ServerSettings(Integer xdsPort, Integer debugPort, String debugAddress, Duration coalesceWindow, String envoyListenerAddress) {
    this(xdsPort, debugPort, debugAddress, coalesceWindow, envoyListenerAddress, null, null, null, null, null, null, null, null,
        null, null);
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
    maxConcurrentStreamStarts = maxConcurrentStreamStarts == null ? DEFAULT_MAX_CONCURRENT_STREAM_STARTS : maxConcurrentStreamStarts;
    streamStartTimeout = streamStartTimeout == null ? DEFAULT_STREAM_START_TIMEOUT : streamStartTimeout;
    keepAliveTime = keepAliveTime == null ? DEFAULT_KEEP_ALIVE_TIME : keepAliveTime;
    keepAliveTimeout = keepAliveTimeout == null ? DEFAULT_KEEP_ALIVE_TIMEOUT : keepAliveTimeout;
    maxConnectionAge = maxConnectionAge == null ? DEFAULT_MAX_CONNECTION_AGE : maxConnectionAge;
    maxConnectionAgeGrace = maxConnectionAgeGrace == null ? DEFAULT_MAX_CONNECTION_AGE_GRACE : maxConnectionAgeGrace;
    drainPeriod = drainPeriod == null ? DEFAULT_DRAIN_PERIOD : drainPeriod;
    xdsAddress = xdsAddress == null || xdsAddress.isEmpty() ? DEFAULT_XDS_ADDRESS : xdsAddress;
    maxNodeGroups = maxNodeGroups == null ? DEFAULT_MAX_NODE_GROUPS : maxNodeGroups;
  }
}
