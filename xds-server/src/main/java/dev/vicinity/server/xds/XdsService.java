package dev.vicinity.server.xds;

import dev.vicinity.translator.ClientProfile;
import io.envoyproxy.envoy.service.cluster.v3.ClusterDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.endpoint.v3.EndpointDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.listener.v3.ListenerDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.route.v3.RouteDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.secret.v3.SecretDiscoveryServiceGrpc;
import io.grpc.BindableService;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The xDS services on gRPC-Java: ADS and the per-type services (CDS, EDS, LDS, RDS, SDS), each in state
 * of the world and delta, all backed by {@link XdsStream}s over one {@link SnapshotStore}. Streams whose
 * clients send what cannot be served are ended with a status saying why:
 * <ul>
 *   <li>a first request without a node: INVALID_ARGUMENT (as istiod does);
 *   <li>a proxy whose node group would be one more than the bound: RESOURCE_EXHAUSTED (see {@link Proxies#join});
 *   <li>a type not served (or none on ADS): INVALID_ARGUMENT naming the types served.
 * </ul>
 */
public final class XdsService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(XdsService.class);
  public static final Status MISSING_NODE = Status.INVALID_ARGUMENT.withDescription(
      "missing node information: the first request on an xDS stream must carry node (id, locality, metadata)");
  public static final Status TOO_MANY_NODE_GROUPS = Status.RESOURCE_EXHAUSTED.withDescription(
      "this server has proxies in as many node groups as server.maxNodeGroups allows; try another replica or later");
  /** Unknown type URLs are logged once each, up to this many, so that a hostile client cannot flood the log. */
  private static final int LOGGED_UNKNOWN_TYPES = 16;

  private final SnapshotStore store;
  private final Proxies proxies;
  private final Clock clock;
  private final Consumer<ClientProfile> onGroup;
  private final Runnable onStreamClosed;
  private final Counter missingNode;
  private final Counter tooManyGroups;
  private final Counter unknownType;
  private final Set<String> loggedUnknownTypes = ConcurrentHashMap.newKeySet();
  /** Sends a new snapshot to a group's streams, several at a time. */
  private final ExecutorService fanOut;
  /** What all streams together may have written and the transport not yet sent. */
  private final WriteBudget writeBudget;

  /**
   * {@code onGroup} hears of the group of every stream that says who it is (the first of a group makes
   * the reconciler build its snapshot); {@code onStreamClosed} runs after a stream has left {@code proxies}.
   * {@code writeBudgetBytes}: see {@link #defaultWriteBudgetBytes}.
   */
  public XdsService(SnapshotStore store, Proxies proxies, Clock clock, Consumer<ClientProfile> onGroup,
      Runnable onStreamClosed, long writeBudgetBytes, MeterRegistry registry) {
    this.writeBudget = new WriteBudget(writeBudgetBytes);
    this.store = store;
    this.proxies = proxies;
    this.clock = clock;
    this.onGroup = onGroup;
    this.onStreamClosed = onStreamClosed;
    this.missingNode = refusals(registry, "missing_node");
    this.tooManyGroups = refusals(registry, "node_groups");
    this.unknownType = refusals(registry, "unknown_type");
    AtomicInteger threads = new AtomicInteger();
    this.fanOut = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), runnable -> {
      Thread thread = new Thread(runnable, "vicinity-xds-push-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * A quarter of the heap's size, which is also the default limit of direct memory: flow control bounds
   * each stream to about one response, but a thousand proxies asking for a 16 MiB first response at once
   * would still exhaust direct memory without a bound across streams.
   */
  public static long defaultWriteBudgetBytes() {
    return Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4);
  }

  private static Counter refusals(MeterRegistry registry, String reason) {
    return Counter.builder("vicinity.xds.streams.refused")
        .description("xDS streams ended by the server because of what their client sent")
        .tag("reason", reason)
        .register(registry);
  }

  /** Every service, to add to the gRPC server. */
  public List<BindableService> services() {
    return List.of(
        new AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase() {
          @Override
          public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> responses) {
            return stateOfTheWorld(responses, Optional.empty());
          }

          @Override
          public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(
              StreamObserver<DeltaDiscoveryResponse> responses) {
            return delta(responses, Optional.empty());
          }
        },
        new ClusterDiscoveryServiceGrpc.ClusterDiscoveryServiceImplBase() {
          @Override
          public StreamObserver<DiscoveryRequest> streamClusters(StreamObserver<DiscoveryResponse> responses) {
            return stateOfTheWorld(responses, Optional.of(XdsType.CLUSTER));
          }

          @Override
          public StreamObserver<DeltaDiscoveryRequest> deltaClusters(StreamObserver<DeltaDiscoveryResponse> responses) {
            return delta(responses, Optional.of(XdsType.CLUSTER));
          }
        },
        new EndpointDiscoveryServiceGrpc.EndpointDiscoveryServiceImplBase() {
          @Override
          public StreamObserver<DiscoveryRequest> streamEndpoints(StreamObserver<DiscoveryResponse> responses) {
            return stateOfTheWorld(responses, Optional.of(XdsType.ENDPOINT));
          }

          @Override
          public StreamObserver<DeltaDiscoveryRequest> deltaEndpoints(StreamObserver<DeltaDiscoveryResponse> responses) {
            return delta(responses, Optional.of(XdsType.ENDPOINT));
          }
        },
        new ListenerDiscoveryServiceGrpc.ListenerDiscoveryServiceImplBase() {
          @Override
          public StreamObserver<DiscoveryRequest> streamListeners(StreamObserver<DiscoveryResponse> responses) {
            return stateOfTheWorld(responses, Optional.of(XdsType.LISTENER));
          }

          @Override
          public StreamObserver<DeltaDiscoveryRequest> deltaListeners(StreamObserver<DeltaDiscoveryResponse> responses) {
            return delta(responses, Optional.of(XdsType.LISTENER));
          }
        },
        new RouteDiscoveryServiceGrpc.RouteDiscoveryServiceImplBase() {
          @Override
          public StreamObserver<DiscoveryRequest> streamRoutes(StreamObserver<DiscoveryResponse> responses) {
            return stateOfTheWorld(responses, Optional.of(XdsType.ROUTE));
          }

          @Override
          public StreamObserver<DeltaDiscoveryRequest> deltaRoutes(StreamObserver<DeltaDiscoveryResponse> responses) {
            return delta(responses, Optional.of(XdsType.ROUTE));
          }
        },
        new SecretDiscoveryServiceGrpc.SecretDiscoveryServiceImplBase() {
          @Override
          public StreamObserver<DiscoveryRequest> streamSecrets(StreamObserver<DiscoveryResponse> responses) {
            return stateOfTheWorld(responses, Optional.of(XdsType.SECRET));
          }

          @Override
          public StreamObserver<DeltaDiscoveryRequest> deltaSecrets(StreamObserver<DeltaDiscoveryResponse> responses) {
            return delta(responses, Optional.of(XdsType.SECRET));
          }
        });
  }

  private StreamObserver<DiscoveryRequest> stateOfTheWorld(StreamObserver<DiscoveryResponse> responses,
      Optional<XdsType> serviceType) {
    ServerCallStreamObserver<DiscoveryResponse> observer = (ServerCallStreamObserver<DiscoveryResponse>) responses;
    return open(observer, Protocol.STATE_OF_THE_WORLD, serviceType, ResponseSink.stateOfTheWorld(observer), XdsRequest::of);
  }

  private StreamObserver<DeltaDiscoveryRequest> delta(StreamObserver<DeltaDiscoveryResponse> responses,
      Optional<XdsType> serviceType) {
    ServerCallStreamObserver<DeltaDiscoveryResponse> observer = (ServerCallStreamObserver<DeltaDiscoveryResponse>) responses;
    return open(observer, Protocol.DELTA, serviceType, ResponseSink.delta(observer), XdsRequest::of);
  }

  /** A stream on {@code observer}'s call, its requests read as {@code reading} says. */
  private <Q> StreamObserver<Q> open(ServerCallStreamObserver<?> observer, Protocol protocol,
      Optional<XdsType> serviceType, ResponseSink<?> sink, Function<Q, XdsRequest> reading) {
    XdsStream stream = new XdsStream(this, protocol, serviceType, sink);
    observer.setOnReadyHandler(stream::onReady);
    observer.setOnCancelHandler(() -> stream.onEnd(false));
    return new StreamObserver<>() {
      @Override
      public void onNext(Q request) {
        stream.onRequest(reading.apply(request));
      }

      @Override
      public void onError(Throwable error) {
        stream.onEnd(false);
      }

      @Override
      public void onCompleted() {
        stream.onEnd(true);
      }
    };
  }

  SnapshotStore store() {
    return store;
  }

  Proxies proxies() {
    return proxies;
  }

  Clock clock() {
    return clock;
  }

  Consumer<ClientProfile> onGroup() {
    return onGroup;
  }

  Runnable onStreamClosed() {
    return onStreamClosed;
  }

  ExecutorService fanOut() {
    return fanOut;
  }

  WriteBudget writeBudget() {
    return writeBudget;
  }

  Counter missingNode() {
    return missingNode;
  }

  Counter tooManyGroups() {
    return tooManyGroups;
  }

  Counter unknownType() {
    return unknownType;
  }

  void logUnknownType(String typeUrl) {
    if (loggedUnknownTypes.size() < LOGGED_UNKNOWN_TYPES && loggedUnknownTypes.add(typeUrl)) {
      log.warn("a proxy asked for type_url '{}', which this server does not serve; its stream is ended", typeUrl);
    }
  }

  @Override
  public void close() {
    fanOut.shutdownNow();
  }
}
