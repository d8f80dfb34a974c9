package dev.vicinity.server;

import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.world.SyncState;
import dev.vicinity.discovery.Discovery;
import dev.vicinity.discovery.KubernetesClusterSource;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.translator.TranslationOptions;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Vicinity: the sources (files and live clusters), the reconciler, the ADS gRPC server (java-control-plane) and the
 * debug HTTP server. Data flows one way: source, then reconciler (translate), then cache, then streams.
 */
public final class VicinityServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VicinityServer.class);

  private final Discovery source;
  private final Reconciler reconciler;
  private final Server grpc;
  private final DebugServer debug;
  private final ServerTls tls; // null for plaintext
  private final StreamAdmission admission;

  private VicinityServer(Discovery source, Reconciler reconciler, Server grpc, DebugServer debug, ServerTls tls,
      StreamAdmission admission) {
    this.source = source;
    this.reconciler = reconciler;
    this.grpc = grpc;
    this.debug = debug;
    this.tls = tls;
    this.admission = admission;
  }

  private static void closeQuietly(ServerTls tls) {
    if (tls != null) {
      tls.close();
    }
  }

  /** Reads the configuration directory, starts every part and returns once all listen. */
  public static VicinityServer start(ServerOptions options) throws IOException {
    Discovery source = new Discovery(options.configDirectory(), options.config(), KubernetesClusterSource::clientFor);
    VicinitySnapshot.Cache<ClientProfile> cache = new VicinitySnapshot.Cache<>(new ClientProfiles());
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Proxies proxies = new Proxies(metrics, Clock.systemUTC());
    Reconciler reconciler = new Reconciler(cache, options.coalesceWindow(), options.config().meshTopology(),
        new TranslationOptions(options.config().server().envoyListenerAddress()), source::current, source::writeStatuses,
        proxies, metrics);
    registerClusterStates(metrics, options.config(), reconciler);
    V3DiscoveryServer discovery = new V3DiscoveryServer(new GroupTracker(reconciler), cache);
    XdsStreamInterceptor nodes = new XdsStreamInterceptor(proxies, reconciler::onChange);
    ConnectionOptions connections = options.connections();
    StreamAdmission admission = new StreamAdmission(connections.maxConcurrentStreamStarts(), connections.streamStartTimeout(),
        metrics);
    ServerTls tls = options.tls().isPresent() ? ServerTls.start(options.tls().get()) : null;
    InetSocketAddress xdsAddress = new InetSocketAddress(options.xdsPort());
    NettyServerBuilder builder = (tls == null
            ? NettyServerBuilder.forAddress(xdsAddress)
            : NettyServerBuilder.forAddress(xdsAddress, tls.credentials()))
        .keepAliveTime(connections.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
        .keepAliveTimeout(connections.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
        // Envoy and gRPC clients may ping every 10s, even between streams.
        .permitKeepAliveTime(10, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true);
    if (!connections.maxConnectionAge().isZero()) {
      builder.maxConnectionAge(connections.maxConnectionAge().toNanos(), TimeUnit.NANOSECONDS)
          .maxConnectionAgeGrace(connections.maxConnectionAgeGrace().toNanos(), TimeUnit.NANOSECONDS);
    }
    for (BindableService service : List.of(
        discovery.getAggregatedDiscoveryServiceImpl(),
        discovery.getClusterDiscoveryServiceImpl(),
        discovery.getEndpointDiscoveryServiceImpl(),
        discovery.getListenerDiscoveryServiceImpl(),
        discovery.getRouteDiscoveryServiceImpl(),
        discovery.getSecretDiscoveryServiceImpl())) {
      // The last interceptor sees a call first: admission gates the reading of requests.
      builder.addService(ServerInterceptors.intercept(service, nodes, admission));
    }
    Server grpc;
    DebugServer debug;
    try {
      grpc = builder.build().start();
    } catch (IOException e) {
      admission.close();
      closeQuietly(tls);
      throw e;
    }
    try {
      debug = new DebugServer(new InetSocketAddress(options.debugAddress(), options.debugPort()), cache, reconciler,
          proxies, metrics);
    } catch (IOException e) {
      grpc.shutdownNow();
      admission.close();
      closeQuietly(tls);
      throw e;
    }
    VicinityServer server = new VicinityServer(source, reconciler, grpc, debug, tls, admission);
    source.start(options.filePollInterval(), Discovery.LIVE_CHECK_INTERVAL, reconciler::onChange);
    reconciler.onChange();
    log.info("xDS (ADS, gRPC{}) listening on port {}", tls == null ? "" : tls.describe(), server.xdsPort());
    log.info("debug HTTP on http://{}:{}/debug/snapshots", options.debugAddress(), server.debugPort());
    return server;
  }

  /**
   * {@code vicinity_cluster_sync_state{cluster,state}}: 1 for each cluster's current state (PENDING,
   * SYNCED, STALE, FAILED), 0 for the others, so that an alert can watch for STALE.
   */
  private static void registerClusterStates(MeterRegistry metrics, VicinityConfig config, Reconciler reconciler) {
    for (ClusterConfig cluster : config.clusters()) {
      for (SyncState state : SyncState.values()) {
        Gauge.builder("vicinity.cluster.sync.state", reconciler, r -> r.inputs().world().cluster(cluster.id())
                .map(world -> world.syncState() == state ? 1.0 : 0.0).orElse(0.0))
            .description("1 when the cluster is in this sync state")
            .tag("cluster", cluster.name())
            .tag("state", state.name())
            .register(metrics);
      }
    }
  }

  public int xdsPort() {
    return grpc.getPort();
  }

  public int debugPort() {
    return debug.address().getPort();
  }

  /** True once every cluster has synced and snapshots are served. */
  public boolean ready() {
    return reconciler.ready();
  }

  public void awaitTermination() throws InterruptedException {
    grpc.awaitTermination();
  }

  @Override
  public void close() {
    source.close();
    debug.close();
    grpc.shutdown();
    try {
      if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
        grpc.shutdownNow();
      }
    } catch (InterruptedException e) {
      grpc.shutdownNow();
      Thread.currentThread().interrupt();
    }
    admission.close();
    reconciler.close();
    closeQuietly(tls);
  }

  /** Tells the reconciler which node groups have proxies, from the first request of each stream. */
  private static final class GroupTracker implements DiscoveryServerCallbacks {
    private final Reconciler reconciler;

    GroupTracker(Reconciler reconciler) {
      this.reconciler = reconciler;
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
      if (request.hasNode()) {
        reconciler.onClient(ClientProfiles.of(request.getNode()));
      }
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
      if (request.hasNode()) {
        reconciler.onClient(ClientProfiles.of(request.getNode()));
      }
    }
  }
}
