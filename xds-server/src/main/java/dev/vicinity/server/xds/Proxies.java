package dev.vicinity.server.xds;

import dev.vicinity.translator.ClientKind;
import dev.vicinity.translator.ClientProfile;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every open xDS stream, by node group, and what each holds (read from its subscriptions, as
 * {@code /debug/proxies} shows it). It follows each published change until every proxy of its group
 * holds it (the convergence time), bounds the number of node groups, and keeps the xDS metrics.
 */
public final class Proxies {
  private static final Logger log = LoggerFactory.getLogger(Proxies.class);

  /** One resource type on one stream, as {@code /debug/proxies} shows it. */
  public record TypeView(String type, String sentVersion, String ackedVersion, Subscription.Nack nack) {}

  /** One connected proxy. */
  public record ProxyView(long stream, String nodeId, String group, String kind, String locality, List<TypeView> types) {}

  /** What a stream tells of itself: its subscriptions. */
  public interface Tracked {
    /** Per subscribed type, in type order. */
    List<TypeView> types();

    /** Whether the client asked for the type on this stream. */
    boolean subscribes(XdsType type);

    /** The version of the type the client last ACKed, or "" if none. */
    String ackedVersion(XdsType type);
  }

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
  /** Meters by type, made once, so that a push does not look one up in the registry. */
  private final Map<XdsType, TypeCounters> counters = new EnumMap<>(XdsType.class);

  private record TypeCounters(Counter pushes, Counter pushBytes, Counter nacks) {}

  /** {@code maxGroups}: how many node groups may have proxies at once (see {@link #join}). */
  public Proxies(MeterRegistry registry, int maxGroups) {
    this.registry = registry;
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
    for (XdsType type : XdsType.values()) {
      counters.put(type, new TypeCounters(counter("vicinity.xds.pushes", null, type),
          counter("vicinity.xds.push.bytes", "bytes", type), counter("vicinity.xds.nacks", null, type)));
    }
  }

  /** A stream, as the registry knows it; its fields are touched under the registry's lock. */
  public static final class Stream {
    private final long id;
    private final Tracked tracked;
    private Node node;
    private ClientProfile group;

    private Stream(long id, Tracked tracked) {
      this.id = id;
      this.tracked = tracked;
    }

    long id() {
      return id;
    }
  }

  /** Changes published to a group, not yet held by all its proxies: per stream, type to version awaited. */
  private static final class Rollout {
    private final long startNanos;
    private final Map<Long, Map<XdsType, String>> awaited = new HashMap<>();
    private boolean anyAck;

    private Rollout(long startNanos) {
      this.startNanos = startNanos;
    }
  }

  public synchronized Stream open(Tracked tracked) {
    Stream stream = new Stream(ids.incrementAndGet(), tracked);
    streams.put(stream.id, stream);
    return stream;
  }

  /**
   * The stream's proxy has said who it is. Returns its group, or null, leaving the stream out, when its
   * node group would be one more than {@code maxGroups}: the caller refuses the stream. The first refusal
   * after the count was below the bound is logged.
   */
  public synchronized ClientProfile join(Stream stream, Node node) {
    ClientProfile group = ClientProfiles.of(node);
    Map<Long, Stream> ofGroup = streamsByGroup.get(group);
    if (ofGroup == null && streamsByGroup.size() >= maxGroups) {
      if (!groupBoundLogged) {
        groupBoundLogged = true;
        log.warn("{} node groups have proxies, the most server.maxNodeGroups allows: streams of new groups are refused"
            + " (RESOURCE_EXHAUSTED) until one leaves; first refused: proxy {} of {}", maxGroups, node.getId(), group);
      }
      return null;
    }
    stream.node = node;
    stream.group = group;
    streamsByGroup.computeIfAbsent(group, g -> new HashMap<>()).put(stream.id, stream);
    return group;
  }

  /** A response went out. */
  void sent(XdsType type, int bytes) {
    TypeCounters typeCounters = counters.get(type);
    typeCounters.pushes().increment();
    typeCounters.pushBytes().increment(bytes);
  }

  /** The stream's client rejected a response; logged unless it rejected the same version last time. */
  void nacked(Stream stream, XdsType type, Subscription.Nack nack, boolean repeated) {
    counters.get(type).nacks().increment();
    if (!repeated) {
      log.warn("proxy {} ({}) rejected {} version {}: {}", stream.node == null ? "(unknown)" : stream.node.getId(),
          stream.group, type.shortName(), nack.version(), nack.message());
    }
  }

  /** The stream's client holds {@code version} of the type: it ACKed it, or nothing of it concerned the client. */
  synchronized void holds(Stream stream, XdsType type, String version, boolean acked) {
    Rollout rollout = stream.group == null ? null : rollouts.get(stream.group);
    if (rollout == null) {
      return;
    }
    Map<XdsType, String> awaited = rollout.awaited.get(stream.id);
    if (awaited != null && version.equals(awaited.get(type))) {
      awaited.remove(type);
      rollout.anyAck |= acked;
      if (awaited.isEmpty()) {
        rollout.awaited.remove(stream.id);
        finishIfDone(stream.group, rollout);
      }
    }
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
   * at {@code startNanos}: the proxies connected now that subscribe to those types are awaited. A change
   * still in flight is folded in, keeping its earlier start.
   */
  public synchronized void published(ClientProfile group, Map<XdsType, String> versions, long startNanos) {
    Rollout rollout = rollouts.computeIfAbsent(group, g -> new Rollout(startNanos));
    for (Stream stream : streamsByGroup.getOrDefault(group, Map.of()).values()) {
      versions.forEach((type, version) -> {
        if (stream.tracked.subscribes(type) && !stream.tracked.ackedVersion(type).equals(version)) {
          rollout.awaited.computeIfAbsent(stream.id, id -> new EnumMap<>(XdsType.class)).put(type, version);
        }
      });
    }
    if (rollout.awaited.isEmpty()) {
      rollouts.remove(group);
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
  public synchronized List<ProxyView> list() {
    List<ProxyView> views = new ArrayList<>();
    streams.values().stream().filter(s -> s.node != null).sorted(Comparator.comparingLong(s -> s.id)).forEach(stream ->
        views.add(new ProxyView(stream.id, stream.node.getId(), stream.group.toString(),
            stream.group.kind().name().toLowerCase(Locale.ROOT), stream.group.locality().toString(),
            stream.tracked.types())));
    return views;
  }

  /** Whether a group still has a proxy connected. */
  public synchronized boolean hasProxies(ClientProfile group) {
    return streamsByGroup.containsKey(group);
  }

  private synchronized double groups() {
    return streamsByGroup.size();
  }

  private synchronized double connected(ClientKind kind) {
    return streams.values().stream().filter(s -> s.group != null && s.group.kind() == kind).count();
  }

  /** {@code baseUnit} is Micrometer's: none (null) for counts, "bytes" for sizes. */
  private Counter counter(String name, String baseUnit, XdsType type) {
    return Counter.builder(name).baseUnit(baseUnit).tag("type", type.shortName()).register(registry);
  }
}
