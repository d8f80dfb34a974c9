package dev.vicinity.server.xds;

import dev.vicinity.translator.ClientKind;
import dev.vicinity.translator.ClientProfile;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One xDS stream, of either protocol, on ADS or a per-type service. Its events (requests, new snapshots
 * of its node group, gRPC saying it can take more, the end) run one at a time in its synchronization
 * context, so its state needs no lock. Responses are decided when they can be sent: with gRPC's flow
 * control and one unanswered response per type, a slow client makes the stream wait, never queue, and
 * when it can take more it gets the newest state.
 */
final class XdsStream implements SnapshotStore.Watcher, Proxies.Tracked {
  private static final Logger log = LoggerFactory.getLogger(XdsStream.class);

  private final XdsService service;
  private final Protocol protocol;
  /** The type of a per-type service; empty on ADS, where each request names its type. */
  private final Optional<XdsType> serviceType;
  private final ResponseSink<?> sink;
  private final SynchronizationContext events;
  private final Proxies.Stream tracked;
  private final Map<XdsType, Subscription> subscriptions = new ConcurrentHashMap<>();

  // Touched only in the synchronization context.
  private ClientProfile group;
  private XdsSnapshot snapshot;
  private boolean ended;
  private long nonces;
  /** Per type, the snapshot version last found to hold nothing for this stream, as told to the registry. */
  private final Map<XdsType, String> upToDate = new EnumMap<>(XdsType.class);
  /** Of the server's write budget: bytes this stream wrote that gRPC has not yet said it sent. */
  private long unsentBytes;
  /** Asks this stream to flush again, when the write budget has room. */
  private final Runnable retryFlush;

  XdsStream(XdsService service, Protocol protocol, Optional<XdsType> serviceType, ResponseSink<?> sink) {
    this.service = service;
    this.protocol = protocol;
    this.serviceType = serviceType;
    this.sink = sink;
    this.events = new SynchronizationContext((thread, error) -> {
      log.error("xDS stream failed; it is ended", error);
      end(Status.INTERNAL.withDescription("the server failed on this stream; reconnect"));
    });
    this.retryFlush = () -> {
      events.executeLater(this::flush);
      execute(events::drain);
    };
    this.tracked = service.proxies().open(this);
  }

  // ---------------------------------------------------------------- events, from any thread

  void onRequest(XdsRequest request) {
    events.execute(() -> handle(request));
  }

  /** gRPC can take more messages: what was written has gone to the socket. */
  void onReady() {
    events.execute(() -> {
      giveBackUnsent();
      flush();
    });
  }

  /** The client half-closed, cancelled, or the call failed. */
  void onEnd(boolean halfClosed) {
    events.execute(() -> {
      if (halfClosed && !ended) {
        sink.complete();
      }
      end(null);
    });
  }

  @Override
  public void onSnapshot(XdsSnapshot next) {
    events.executeLater(() -> {
      snapshot = next;
      flush();
    });
    execute(events::drain);
  }

  /** Runs on the push threads, so that a publisher or another stream does not do this stream's work. */
  private void execute(Runnable task) {
    try {
      service.fanOut().execute(task);
    } catch (RejectedExecutionException closing) {
      // The server is shutting down: the stream is about to end.
    }
  }

  // ---------------------------------------------------------------- in the synchronization context

  private void handle(XdsRequest request) {
    if (ended) {
      return;
    }
    Optional<XdsType> type = type(request.typeUrl());
    if (type.isEmpty()) {
      return;
    }
    if (group == null && !join(request.node())) {
      return;
    }
    Subscription subscription = subscriptions.get(type.get());
    boolean first = subscription == null;
    if (first) {
      subscription = new Subscription(type.get(), protocol);
      subscriptions.put(type.get(), subscription);
    }
    Subscription.Nack previousNack = subscription.nack();
    String now = service.clock().instant().toString();
    Subscription.Outcome outcome = protocol == Protocol.STATE_OF_THE_WORLD
        ? subscription.onStateOfTheWorldRequest(request, now)
        : subscription.onDeltaRequest(request, first, now);
    switch (outcome) {
      case ACK -> service.proxies().holds(tracked, type.get(), subscription.ackedVersion(), true);
      case NACK -> service.proxies().nacked(tracked, type.get(), subscription.nack(),
          previousNack != null && previousNack.version().equals(subscription.nack().version()));
      case STALE -> {
        return;
      }
      case TAKEN -> { }
    }
    flush();
  }

  /** The request's type, or empty once the stream is ended for asking for one not served here. */
  private Optional<XdsType> type(String typeUrl) {
    if (typeUrl.isEmpty()) {
      if (serviceType.isEmpty()) {
        refuse(service.unknownType(), Status.INVALID_ARGUMENT.withDescription(
            "type_url is required on an aggregated (ADS) stream; served: " + XdsType.SERVED));
      }
      return serviceType;
    }
    Optional<XdsType> type = XdsType.ofTypeUrl(typeUrl);
    if (type.isEmpty() || (serviceType.isPresent() && serviceType.get() != type.get())) {
      service.logUnknownType(typeUrl);
      refuse(service.unknownType(), Status.INVALID_ARGUMENT.withDescription(type.isEmpty()
          ? "type_url '" + typeUrl + "' is not served; served: " + XdsType.SERVED
          : "type_url '" + typeUrl + "' is not served on this service, which serves " + serviceType.get().typeUrl()));
      return Optional.empty();
    }
    return type;
  }

  /** The first request: the proxy says who it is, and the stream joins its node group. */
  private boolean join(Optional<Node> node) {
    if (node.isEmpty()) {
      refuse(service.missingNode(), XdsService.MISSING_NODE);
      return false;
    }
    ClientProfile joined = service.proxies().join(tracked, node.get());
    if (joined == null) {
      refuse(service.tooManyGroups(), XdsService.TOO_MANY_NODE_GROUPS);
      return false;
    }
    group = joined;
    snapshot = service.store().watch(group, this);
    service.onGroup().accept(group);
    return true;
  }

  private void refuse(io.micrometer.core.instrument.Counter reason, Status status) {
    reason.increment();
    end(status);
  }

  /** Sends, type by type in order, whatever the client lacks, as far as flow control and answers allow. */
  private void flush() {
    if (ended || snapshot == null) {
      return;
    }
    for (XdsType type : XdsType.inOrder()) {
      Subscription subscription = subscriptions.get(type);
      if (subscription == null || subscription.inFlight()) {
        continue;
      }
      if (!sink.isReady()) {
        return; // onReady comes back here
      }
      Plan plan = subscription.decide(snapshot);
      if (plan == null) {
        String version = snapshot.version(type);
        if (!version.equals(upToDate.put(type, version))) {
          service.proxies().holds(tracked, type, version, false);
        }
        continue;
      }
      List<VersionedResource> replaced = plan.resources().stream()
          .filter(resource -> subscription.holdsOtherVersionOf(resource))
          .toList();
      long estimate = plan.resources().stream().mapToLong(VersionedResource::size).sum();
      if (!service.writeBudget().take(estimate, retryFlush)) {
        return; // retryFlush runs when another stream gives bytes back
      }
      String nonce = Long.toHexString(++nonces);
      int bytes = sink.send(plan, nonce);
      subscription.sent(plan, nonce);
      service.proxies().sent(type, bytes);
      unsentBytes += estimate;
      if (sink.isReady()) {
        giveBackUnsent(); // under gRPC's ready threshold: as good as sent
      }
      if (group.kind() == ClientKind.ENVOY && !replaced.isEmpty()) {
        warm(type, replaced);
      }
    }
  }

  /**
   * Envoy uses a changed Cluster (Listener) only once it has its load assignment (route configuration)
   * again, and asks for them without changing its names: they are sent on its next request even if
   * unchanged (Istio's "always respond" for warming resources).
   */
  private void warm(XdsType type, List<VersionedResource> replaced) {
    if (type == XdsType.CLUSTER && subscriptions.containsKey(XdsType.ENDPOINT)) {
      Set<String> assignments = new HashSet<>();
      for (VersionedResource resource : replaced) {
        Cluster cluster = (Cluster) resource.message();
        if (cluster.hasEdsClusterConfig()) {
          String serviceName = cluster.getEdsClusterConfig().getServiceName();
          assignments.add(serviceName.isEmpty() ? cluster.getName() : serviceName);
        }
      }
      Subscription endpoints = subscriptions.get(XdsType.ENDPOINT);
      assignments.retainAll(endpoints.heldNames());
      endpoints.resendOnNextRequest(assignments);
    } else if (type == XdsType.LISTENER && subscriptions.containsKey(XdsType.ROUTE)) {
      Subscription routes = subscriptions.get(XdsType.ROUTE);
      routes.resendOnNextRequest(Set.copyOf(routes.heldNames()));
    }
  }

  /** Ends the stream (with {@code status}, or as it is when null) and leaves the registry and the group. */
  private void end(Status status) {
    if (ended) {
      return;
    }
    ended = true;
    if (status != null) {
      sink.close(status);
    }
    if (group != null) {
      service.store().unwatch(group, this);
    }
    service.writeBudget().forget(retryFlush);
    giveBackUnsent();
    service.proxies().close(tracked);
    service.onStreamClosed().run();
  }

  private void giveBackUnsent() {
    service.writeBudget().giveBack(unsentBytes);
    unsentBytes = 0;
  }

  // ---------------------------------------------------------------- read by the registry, from any thread

  @Override
  public List<Proxies.TypeView> types() {
    return subscriptions.values().stream()
        .sorted(Comparator.comparing(Subscription::type))
        .map(s -> new Proxies.TypeView(s.type().shortName(), s.sentVersion(), s.ackedVersion(), s.nack()))
        .toList();
  }

  @Override
  public boolean subscribes(XdsType type) {
    return subscriptions.containsKey(type);
  }

  @Override
  public String ackedVersion(XdsType type) {
    Subscription subscription = subscriptions.get(type);
    return subscription == null ? "" : subscription.ackedVersion();
  }
}
