package dev.vicinity.server.reconcile;

import dev.vicinity.server.xds.VersionedResource;
import dev.vicinity.server.xds.XdsSnapshot;
import dev.vicinity.server.xds.XdsType;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.Maps;
import com.google.protobuf.Message;
import dev.vicinity.translator.ClientKind;
import dev.vicinity.translator.ClientProfile;
import dev.vicinity.translator.acceptance.ClientAcceptance;
import dev.vicinity.translator.acceptance.PassedParts;
import dev.vicinity.translator.acceptance.Violation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last gate before a snapshot is published: a snapshot holding a resource its clients would refuse
 * (Envoy's own validation rules, and gRPC's load-assignment rules for gRPC groups) is not published, so a
 * translator bug shows as one error here instead of a NACK from every proxy of the group. The group keeps
 * its last good snapshot. Only resources whose version is new to the group are checked, and a version is
 * checked once per client kind for all groups (versions are content hashes): a change costs what it changes.
 */
public final class SnapshotAcceptance {
  private static final Logger log = LoggerFactory.getLogger(SnapshotAcceptance.class);
  /** A refusal lists at most this many violations (the first ones); the count says how many there were. */
  private static final int SHOWN = 20;
  /** Resource versions whose verdict is remembered: about the resources of the largest worlds measured. */
  private static final int CHECKED_VERSIONS = 100_000;

  /** Why a group's latest snapshot was not published, as {@code /debug/snapshots} shows it. */
  public record Refusal(String group, int count, List<String> violations, String at) {}

  private final Clock clock;
  private final Counter refused;
  private final Map<ClientProfile, Refusal> refusals = new ConcurrentHashMap<>();
  /** Violations by client kind, resource type, name and version; most resources are shared by groups. */
  private final Cache<String, List<Violation>> checked = CacheBuilder.newBuilder().maximumSize(CHECKED_VERSIONS).build();

  private final Rules rules;
  /**
   * LbEndpoints already found to pass, shared by every group's load assignments: each is walked once,
   * not once per group ({@link PassedParts}).
   */
  private final PassedParts passed = PassedParts.remembering();

  /**
   * What a client of a kind would refuse in a resource, skipping the parts already found to pass
   * ({@link ClientAcceptance#check(Message, ClientKind, PassedParts)}).
   */
  @FunctionalInterface
  interface Rules extends BiFunction<Message, ClientKind, List<Violation>> {
    List<Violation> check(Message resource, ClientKind kind, PassedParts passed);

    @Override
    default List<Violation> apply(Message resource, ClientKind kind) {
      return check(resource, kind, PassedParts.none());
    }
  }

  /**
   * {@code rules}: what a client of a kind would refuse in a resource. {@code ClientAcceptance::check}
   * binds here (the more specific of the two constructors) to its overload that takes the memo.
   */
  SnapshotAcceptance(MeterRegistry registry, Clock clock, Rules rules) {
    this.clock = clock;
    this.rules = rules;
    this.refused = Counter.builder("vicinity.snapshots.refused")
        .description("Snapshots not published because a client would refuse one of their resources")
        .register(registry);
  }

  /** {@code rules}: what a client of a kind would refuse in a resource, checking every part each time. */
  SnapshotAcceptance(MeterRegistry registry, Clock clock, BiFunction<Message, ClientKind, List<Violation>> rules) {
    this(registry, clock, (Rules) (resource, kind, passed) -> rules.apply(resource, kind));
  }

  /**
   * True if {@code next} may replace {@code previous} (null: none yet) for {@code group}. Otherwise the
   * refusal is recorded, counted, and logged when it differs from the group's last one.
   */
  boolean accepts(ClientProfile group, XdsSnapshot previous, XdsSnapshot next) {
    List<Violation> violations = new ArrayList<>();
    for (XdsType type : XdsType.values()) {
      if (previous != null && previous.version(type).equals(next.version(type))) {
        continue; // the same resources: checked when they came
      }
      Map<String, VersionedResource> before = previous == null ? Map.of() : previous.resources(type);
      Map<String, VersionedResource> now = next.resources(type);
      Optional<Set<String>> patched =
          previous == null ? Optional.empty() : next.changedSince(type, previous.version(type));
      Map<String, VersionedResource> candidates = patched.isEmpty() ? now : Maps.toMap(patched.get(), now::get);
      candidates.forEach((name, resource) -> {
        VersionedResource held = before.get(name);
        if (held == null || !held.version().equals(resource.version())) {
          String key = group.kind() + "|" + type + "|" + name + "|" + resource.version();
          List<Violation> verdict = checked.getIfPresent(key);
          if (verdict == null) {
            verdict = rules.check(resource.message(), group.kind(), passed);
            checked.put(key, verdict);
          }
          violations.addAll(verdict);
        }
      });
    }
    if (violations.isEmpty()) {
      refusals.remove(group);
      return true;
    }
    List<String> shown = violations.stream().limit(SHOWN).map(Violation::toString).toList();
    Refusal refusal = new Refusal(group.toString(), violations.size(), shown, clock.instant().toString());
    Refusal before = refusals.put(group, refusal);
    refused.increment();
    if (before == null || !before.violations().equals(shown)) {
      log.error("snapshot for {} not published: its clients would refuse it ({} problem(s), first: {}); the last good"
          + " snapshot keeps serving", group, violations.size(), shown.get(0));
    }
    return false;
  }

  /** The group has no proxies any more. */
  void forget(ClientProfile group) {
    refusals.remove(group);
  }

  /** The groups whose latest snapshot was refused, by group name. */
  List<Refusal> refusals() {
    return refusals.values().stream().sorted(Comparator.comparing(Refusal::group)).toList();
  }
}
