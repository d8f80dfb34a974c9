package dev.vicinity.server;

import dev.vicinity.translator.ClientKind;
import dev.vicinity.translator.ClientProfile;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every open xDS stream and what it holds: per resource type the last version sent, the last one the
 * proxy ACKed and the last NACK. Fed by {@link XdsStreamInterceptor} from the raw messages, so it sees
 * state-of-the-world and delta streams alike. It also follows each published change until every proxy
 * of its group has ACKed it (the convergence time), and keeps the xDS metrics.
 */
final class Proxies {
  private static final Logger log = LoggerFactory.getLogger(Proxies.class);
  private static final Map<String, String> SHORT_TYPES = Map.of(
      Resources.V3.CLUSTER_TYPE_URL, "cds",
      Resources.V3.ENDPOINT_TYPE_URL, "eds",
      Resources.V3.LISTENER_TYPE_URL, "lds",
      Resources.V3.ROUTE_TYPE_URL, "rds",
      Resources.V3.SECRET_TYPE_URL, "sds");

  /** No base unit: a plain count. */
  private static final String COUNT = null;

  /** A rejected response: its version and nonce, the proxy's message, and when (ISO-8601). */
  record Nack(String version, String nonce, String message, String at) {}

  /** One resource type on one stream, as {@code /debug/proxies} shows it. */
  record TypeView(String type, String sentVersion, String ackedVersion, Nack nack) {}

  /** One connected proxy. */
  record ProxyView(long stream, String nodeId, String group, String kind, String locality, List<TypeView> types) {}

  private final Clock clock;
  private final MeterRegistry registry;
  private final int maxGroups;
  /** Whether the last stream that would have made one group too many has been logged, since the count was below the bound. */
  private boolean groupBoundLogged;
  private final Timer convergence;
  private final AtomicLong ids = new AtomicLong();
  // Guarded by this: streams are few thousand at most and every update is a few map operations.
  private final Map<Long, Stream> streams = new HashMap<>();
  /** The streams of each group, so a push to one group does not look at every stream. */
  private final Map<ClientProfile, Map<Long, Stream>> streamsByGroup = new HashMap<>();
  private final Map<ClientProfile, Rollout> rollouts = new HashMap<>();
  /** Meters by type URL, so that a push does not build and look one up in the registry. */
  private final Map<String, TypeCounters> counters = new HashMap<>();

  private record TypeCounters(Counter pushes, Counter pushBytes, Counter nacks) {}

  /** {@code maxGroups}: how many node groups may have proxies at once (see {@link #join}). */
  Proxies(MeterRegistry registry, Clock clock, int maxGroups) {
    this.registry = registry;
    this.clock = clock;
    this.maxGroups = maxGroups;
    Gauge.builder("vicinity.node.groups", this, Proxies::groups)
        .description("Node groups with at least one proxy connected; each holds a snapshot")
        .register(registry);
    this.convergence = Timer.builder("vicinity.convergence")
        .description("Time from a change in the world to the last ACK of the resulting version by a node group's proxies")
        .publishPercentileHistogram()
        .register(registry);
    for (ClientKind kind : ClientKind.values()) {
      Gauge.builder("vicinity.xds.connected.proxies", this, proxies -> proxies.connected(kind))
          .description("Open xDS streams whose proxy has said who it is")
          .tag("kind", kind.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
  }

  /** A stream, known by the interceptor; touched under the registry's lock. */
  static final class Stream {
    private final long id;
    private Node node;
    private ClientProfile group;
    private final Map<String, TypeState> types = new TreeMap<>();

    private Stream(long id) {
      this.id = id;
    }
  }

  private static final class TypeState {
    private final Map<String, String> versionsByNonce = new HashMap<>();
    private String sentVersion = "";
    private String ackedVersion = "";
    private Nack nack;
  }

  /** Changes published to a group, not yet ACKed by all its proxies: per stream, type → version awaited. */
  private static final class Rollout {
    private final long startNanos;
    private final Map<Long, Map<String, String>> awaited = new HashMap<>();
    private boolean anyAck;

    private Rollout(long startNanos) {
      this.startNanos = startNanos;
    }
  }

  synchronized Stream open() {
    Stream stream = new Stream(ids.incrementAndGet());
    streams.put(stream.id, stream);
    return stream;
  }

  /**
   * The stream's proxy has said who it is. Returns false, and leaves the stream out, when its node group
   * would be one more than {@code maxGroups}: the caller refuses the stream. The first refusal after the
   * count was below the bound is logged.
   */
  synchronized boolean join(Stream stream, Node node) {
    ClientProfile group = ClientProfiles.of(node);
    Map<Long, Stream> ofGroup = streamsByGroup.get(group);
    if (ofGroup == null && streamsByGroup.size() >= maxGroups) {
      if (!groupBoundLogged) {
        groupBoundLogged = true;
        log.warn("{} node groups have proxies, the most server.maxNodeGroups allows: streams of new groups are refused"
            + " (RESOURCE_EXHAUSTED) until one leaves; first refused: proxy {} of {}", maxGroups, node.getId(), group);
      }
      return false;
    }
    stream.node = node;
    stream.group = group;
    streamsByGroup.computeIfAbsent(group, g -> new HashMap<>()).put(stream.id, stream);
    return true;
  }

  /**
   * A request on {@code stream}. Returns the version it rejects when it is a NACK of a response this
   * stream was sent, so that the caller can keep that version from being sent again.
   */
  synchronized Optional<String> onRequest(Stream stream, String typeUrl, String nonce, String errorMessage) {
    TypeState state = stream.types.computeIfAbsent(typeUrl, type -> new TypeState());
    String version = nonce.isEmpty() ? null : state.versionsByNonce.remove(nonce);
    if (version == null) {
      return Optional.empty(); // a first request, or one answering a response superseded since
    }
    state.versionsByNonce.clear(); // older responses can no longer be answered
    if (errorMessage != null) {
      boolean repeated = state.nack != null && state.nack.version().equals(version);
      state.nack = new Nack(version, nonce, errorMessage, clock.instant().toString());
      counters(typeUrl).nacks().increment();
      if (!repeated) {
        log.warn("proxy {} ({}) rejected {} version {}: {}", nodeId(stream), stream.group, shortType(typeUrl), version, errorMessage);
      }
      return Optional.of(version);
    }
    state.ackedVersion = version;
    acked(stream, typeUrl, version);
    return Optional.empty();
  }

  synchronized void onResponse(Stream stream, String typeUrl, String version, String nonce, int bytes) {
    TypeState state = stream.types.computeIfAbsent(typeUrl, type -> new TypeState());
    state.versionsByNonce.put(nonce, version);
    state.sentVersion = version;
    TypeCounters typeCounters = counters(typeUrl);
    typeCounters.pushes().increment();
    typeCounters.pushBytes().increment(bytes);
  }

  synchronized void close(Stream stream) {
    streams.remove(stream.id);
    if (stream.group != null) {
      Map<Long, Stream> ofGroup = streamsByGroup.get(stream.group);
      ofGroup.remove(stream.id);
      if (ofGroup.isEmpty()) {
        streamsByGroup.remove(stream.group);
        if (streamsByGroup.size() < maxGroups) {
          groupBoundLogged = false;
        }
      }
      Rollout rollout = rollouts.get(stream.group);
      if (rollout != null && rollout.awaited.remove(stream.id) != null) {
        finishIfDone(stream.group, rollout);
      }
    }
  }

  /**
   * A new snapshot for {@code group} whose types in {@code versions} changed, because of a change seen
   * at {@code startNanos}: the proxies connected now that hold those types are awaited. A change still
   * in flight is folded in, keeping its earlier start.
   */
  synchronized void published(ClientProfile group, Map<String, String> versions, long startNanos) {
    Rollout rollout = rollouts.computeIfAbsent(group, g -> new Rollout(startNanos));
    for (Stream stream : streamsByGroup.getOrDefault(group, Map.of()).values()) {
      versions.forEach((typeUrl, version) -> {
        TypeState state = stream.types.get(typeUrl);
        if (state != null && !state.ackedVersion.equals(version)) {
          rollout.awaited.computeIfAbsent(stream.id, id -> new HashMap<>()).put(typeUrl, version);
        }
      });
    }
    if (rollout.awaited.isEmpty()) {
      rollouts.remove(group);
    }
  }

  private void acked(Stream stream, String typeUrl, String version) {
    Rollout rollout = stream.group == null ? null : rollouts.get(stream.group);
    if (rollout == null) {
      return;
    }
    Map<String, String> awaited = rollout.awaited.get(stream.id);
    if (awaited != null && version.equals(awaited.get(typeUrl))) {
      awaited.remove(typeUrl);
      rollout.anyAck = true;
      if (awaited.isEmpty()) {
        rollout.awaited.remove(stream.id);
        finishIfDone(stream.group, rollout);
      }
    }
  }

  private void finishIfDone(ClientProfile group, Rollout rollout) {
    if (!rollout.awaited.isEmpty()) {
      return;
    }
    rollouts.remove(group);
    if (rollout.anyAck) {
      convergence.record(Duration.ofNanos(System.nanoTime() - rollout.startNanos));
    }
  }

  /** Every connected proxy that has said who it is, in stream order. */
  synchronized List<ProxyView> list() {
    List<ProxyView> views = new ArrayList<>();
    streams.values().stream().filter(s -> s.node != null).sorted(Comparator.comparingLong(s -> s.id)).forEach(stream -> {
      List<TypeView> types = new ArrayList<>();
      stream.types.forEach((typeUrl, state) ->
          types.add(new TypeView(shortType(typeUrl), state.sentVersion, state.ackedVersion, state.nack)));
      views.add(new ProxyView(stream.id, stream.node.getId(), stream.group.toString(),
          stream.group.kind().name().toLowerCase(Locale.ROOT), stream.group.locality().toString(), types));
    });
    return views;
  }

  /** Whether a group still has a proxy connected. */
  synchronized boolean hasProxies(ClientProfile group) {
    return streamsByGroup.containsKey(group);
  }

  private synchronized double groups() {
    return streamsByGroup.size();
  }

  private synchronized double connected(ClientKind kind) {
    return streams.values().stream().filter(s -> s.group != null && s.group.kind() == kind).count();
  }

  private TypeCounters counters(String typeUrl) {
    return counters.computeIfAbsent(typeUrl, url -> new TypeCounters(
        counter("vicinity.xds.pushes", COUNT, url), counter("vicinity.xds.push.bytes", "bytes", url),
        counter("vicinity.xds.nacks", COUNT, url)));
  }

  /** {@code baseUnit} is Micrometer's: none ({@link #COUNT}) for counts, "bytes" for sizes. */
  private Counter counter(String name, String baseUnit, String typeUrl) {
    return Counter.builder(name).baseUnit(baseUnit).tag("type", shortType(typeUrl)).register(registry);
  }

  private static String nodeId(Stream stream) {
    return stream.node == null ? "(unknown)" : stream.node.getId();
  }

  static String shortType(String typeUrl) {
    return SHORT_TYPES.getOrDefault(typeUrl, typeUrl.substring(typeUrl.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
  }
}
