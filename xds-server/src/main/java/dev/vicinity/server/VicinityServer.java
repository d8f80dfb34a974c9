package dev.vicinity.server;

import dev.vicinity.discovery.leader.StatusLeadership;
import dev.vicinity.server.debug.DebugServer;
import dev.vicinity.server.reconcile.Reconciler;
import dev.vicinity.server.tls.ServerTls;
import dev.vicinity.server.xds.Proxies;
import dev.vicinity.server.xds.SnapshotStore;
import dev.vicinity.server.xds.StreamAdmission;
import dev.vicinity.server.xds.StreamDrain;
import dev.vicinity.server.xds.XdsService;
import dev.vicinity.api.config.ClusterConfig;
import dev.vicinity.api.config.VicinityConfig;
import dev.vicinity.api.world.SyncState;
import dev.vicinity.api.yaml.Durations;
import dev.vicinity.discovery.Discovery;
import dev.vicinity.discovery.KubernetesClusterSource;
import dev.vicinity.translator.TranslationOptions;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Vicinity: the sources (files and live clusters), the reconciler, the xDS gRPC server and the
 * debug HTTP server. Data flows one way: source, then reconciler (translate), then snapshot store, then streams.
 */
public final class VicinityServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VicinityServer.class);

  /** After the last stream is ended, how long connections get to say goodbye before they are cut. */
  private static final Duration TERMINATION_MARGIN = Duration.ofSeconds(1);

  private final Discovery source;
  private final Reconciler reconciler;
  private final Server grpc;
  private final DebugServer debug;
  private final ServerTls tls; // null for plaintext
  private final StreamAdmission admission;
  private final StreamDrain streams;
  private final XdsService xds;
  private final Duration drainPeriod;
  private final AtomicBoolean closed = new AtomicBoolean();

  private VicinityServer(Discovery source, Reconciler reconciler, Server grpc, DebugServer debug, ServerTls tls,
      StreamAdmission admission, StreamDrain streams, XdsService xds, Duration drainPeriod) {
    this.source = source;
    this.reconciler = reconciler;
    this.grpc = grpc;
    this.debug = debug;
    this.tls = tls;
    this.admission = admission;
    this.streams = streams;
    this.xds = xds;
    this.drainPeriod = drainPeriod;
  }

  private static void closeQuietly(ServerTls tls) {
    if (tls != null) {
      tls.close();
    }
  }

  /** Reads the configuration directory, starts every part and returns once all listen. */
  public static VicinityServer start(ServerOptions options) throws IOException {
    Discovery source = new Discovery(options.configDirectory(), options.config(), KubernetesClusterSource::clientFor);
    SnapshotStore store = new SnapshotStore();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ConnectionOptions connections = options.connections();
    Proxies proxies = new Proxies(metrics, connections.maxNodeGroups());
    Reconciler reconciler = new Reconciler(store, options.coalesceWindow(), options.config().meshTopology(),
        new TranslationOptions(options.config().server().envoyListenerAddress()), source::current, source::writeStatuses,
        proxies, metrics);
    registerClusterStates(metrics, options.config(), reconciler);
    registerLeadership(metrics, source);
    XdsService xds = new XdsService(store, proxies, Clock.systemUTC(), reconciler::onClient, reconciler::onChange,
        XdsService.defaultWriteBudgetBytes(), metrics);
    StreamAdmission admission = new StreamAdmission(connections.maxConcurrentStreamStarts(), connections.streamStartTimeout(),
        metrics);
    StreamDrain streams = new StreamDrain();
    ServerTls tls = options.tls().isPresent() ? ServerTls.start(options.tls().get()) : null;
    InetSocketAddress xdsAddress = new InetSocketAddress(options.xdsAddress(), options.xdsPort());
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
    for (BindableService service : xds.services()) {
      // The last interceptor sees a call first: admission gates the reading of requests, and the drain can
      // end a stream still waiting for admission.
      builder.addService(ServerInterceptors.intercept(service, streams, admission));
    }
    Server grpc;
    DebugServer debug;
    try {
      grpc = builder.build().start();
    } catch (IOException e) {
      admission.close();
      xds.close();
      closeQuietly(tls);
      throw e;
    }
    try {
      debug = new DebugServer(new InetSocketAddress(options.debugAddress(), options.debugPort()), store, reconciler,
          proxies, source.leadership(), metrics);
    } catch (IOException e) {
      grpc.shutdownNow();
      admission.close();
      xds.close();
      closeQuietly(tls);
      throw e;
    }
    VicinityServer server = new VicinityServer(source, reconciler, grpc, debug, tls, admission, streams, xds,
        connections.drainPeriod());
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

  /**
   * {@code vicinity_leader}: 1 while this replica holds the Lease and writes policy status, else 0 (always 0
   * when nothing is elected: no cluster is a policy source).
   */
  private static void registerLeadership(MeterRegistry metrics, Discovery source) {
    Gauge.builder("vicinity.leader", source, s -> s.leadership().map(StatusLeadership::leading).orElse(false) ? 1.0 : 0.0)
        .description("1 while this replica holds the leader Lease and writes policy status, else 0")
        .register(metrics);
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

  /**
   * Stops gracefully: no new connections or streams (clients get GOAWAY), then every open xDS stream is
   * ended with UNAVAILABLE, spread over the drain period, so that clients reconnect elsewhere a few at a
   * time; until its turn, a stream keeps getting updates. Returns within the drain period and a second.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    grpc.shutdown();
    // The Lease goes back first, so that another replica writes status while this one drains its streams.
    source.leadership().ifPresent(StatusLeadership::close);
    int open = streams.openStreams();
    if (open > 0) {
      log.info("shutting down: ending {} xDS stream(s) over {}", open, Durations.format(drainPeriod));
    }
    streams.drain(drainPeriod);
    try {
      if (!grpc.awaitTermination(TERMINATION_MARGIN.toMillis(), TimeUnit.MILLISECONDS)) {
        grpc.shutdownNow();
      }
    } catch (InterruptedException e) {
      grpc.shutdownNow();
      Thread.currentThread().interrupt();
    }
    admission.close();
    xds.close();
    source.close();
    debug.close();
    reconciler.close();
    closeQuietly(tls);
  }
}
