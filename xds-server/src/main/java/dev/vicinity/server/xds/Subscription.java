package dev.vicinity.server.xds;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One stream's subscription to one type, for both protocols: the names asked for (or everything), what
 * the client holds (name to version), and the one response in flight. {@link #decide} is the one place
 * that says whether and what to send. Touched only in its stream's synchronization context; the three
 * fields {@code /debug/proxies} shows are volatile for the debug thread.
 *
 * <p>The rules, as Istio's {@code ShouldRespond} has them:
 * <ul>
 *   <li>A NACK (a request with {@code error_detail}) is recorded and never answered with what it rejected:
 *       the client counts as holding the rejected versions, so they are sent again only once they change.
 *   <li>A state-of-the-world request answering a response other than the latest (a stale nonce) is ignored:
 *       the client answers the latest one next, with its current names.
 *   <li>A changed subscription is answered with what it adds (Listeners and Clusters: the full set, as
 *       the protocol requires of them).
 *   <li>At most one response per type is unanswered: a change meanwhile is sent, newest only, once the
 *       client has answered, so a slow client holds one response per type and never a queue.
 * </ul>
 */
final class Subscription {
  /** A rejected response: its version and nonce, the proxy's message, and when (ISO-8601). */
  record Nack(String version, String nonce, String message, String at) {}

  /** What became of a request. */
  enum Outcome {
    /** A first request, a subscription change, or an answer: decide again. */
    TAKEN,
    ACK,
    NACK,
    /** It answers a response superseded since: ignored. */
    STALE
  }

  private final XdsType type;
  private final Protocol protocol;
  private boolean wildcard;
  private final Set<String> names = new HashSet<>();
  /**
   * The names of the last state-of-the-world request as it listed them: a client repeats the same list in
   * every ACK, and comparing lists costs less than hashing thousands of freshly parsed names.
   */
  private List<String> lastRequestedNames = List.of();
  /** Name to the version the client has (or rejected; then it is not sent again until it changes). */
  private final Map<String, String> held = new HashMap<>();
  /** Whether the type was ever answered on this stream (a state-of-the-world first request always is). */
  private boolean answered;
  /** State of the world: the version a first request said the client holds, if any. */
  private String claimedVersion = "";
  private String lastNonce = "";
  private String lastVersion = "";
  private boolean inFlight;
  /** Envoy warming: names to send on the client's next request even if it holds them (see {@link #resendOnNextRequest}). */
  private final Set<String> resend = new HashSet<>();
  private boolean resendDue;
  /** The snapshot version last found to hold nothing for the client, until a request or a send changes that. */
  private String settledAt = "";
  /**
   * The snapshot version whose resources, for the names subscribed, the client holds (or is being sent):
   * a patch of that snapshot is compared on the names it replaced only. Empty when unknown.
   */
  private String mirrored = "";

  private volatile String sentVersion = "";
  private volatile String ackedVersion = "";
  private volatile Nack nack;

  Subscription(XdsType type, Protocol protocol) {
    this.type = type;
    this.protocol = protocol;
  }

  XdsType type() {
    return type;
  }

  Outcome onStateOfTheWorldRequest(XdsRequest request, String now) {
    settledAt = "";
    if (request.nonce().isEmpty()) {
      // A first request (or the client starting the type over): it holds what its version says, if anything.
      mirrored = "";
      answered = false;
      inFlight = false;
      held.clear();
      claimedVersion = request.versionInfo();
      wildcard = request.names().isEmpty() || request.names().contains("*");
      names.clear();
      request.names().stream().filter(name -> !name.equals("*")).forEach(names::add);
      lastRequestedNames = List.copyOf(request.names());
      return Outcome.TAKEN;
    }
    if (!request.nonce().equals(lastNonce)) {
      return Outcome.STALE;
    }
    Outcome outcome = answer(request, now);
    boolean wasWildcard = wildcard;
    boolean legacyWildcard = request.names().isEmpty() && wildcard;
    wildcard = legacyWildcard || request.names().contains("*");
    boolean namesChanged = false;
    if (!request.names().equals(lastRequestedNames)) {
      Set<String> requested = new HashSet<>();
      request.names().stream().filter(name -> !name.equals("*")).forEach(requested::add);
      namesChanged = !requested.equals(names);
      if (namesChanged) {
        names.clear();
        names.addAll(requested);
      }
      lastRequestedNames = List.copyOf(request.names());
    }
    if (!wildcard && (namesChanged || wildcard != wasWildcard)) {
      held.keySet().retainAll(names); // dropped names are forgotten by the client too
    }
    if (wildcard != wasWildcard || namesChanged) {
      mirrored = "";
    }
    resendDue = !resend.isEmpty();
    return outcome;
  }

  Outcome onDeltaRequest(XdsRequest request, boolean firstOfType, String now) {
    settledAt = "";
    if (firstOfType || !request.subscribe().isEmpty() || !request.unsubscribe().isEmpty()) {
      mirrored = "";
    }
    Outcome outcome = Outcome.TAKEN;
    if (firstOfType) {
      held.putAll(request.initialVersions());
      wildcard = request.subscribe().isEmpty() && request.unsubscribe().isEmpty(); // legacy wildcard
    }
    if (!request.nonce().isEmpty() && inFlight && request.nonce().equals(lastNonce)) {
      outcome = answer(request, now);
    }
    for (String name : request.subscribe()) {
      if (name.equals("*")) {
        wildcard = true;
      } else {
        names.add(name);
      }
    }
    for (String name : request.unsubscribe()) {
      if (name.equals("*")) {
        wildcard = false;
      } else {
        names.remove(name);
        held.remove(name);
      }
    }
    resendDue = !resend.isEmpty();
    return outcome;
  }

  /** The request answers the latest response: an ACK or a NACK of it, or (answered already) just new names. */
  private Outcome answer(XdsRequest request, String now) {
    if (!inFlight) {
      return Outcome.TAKEN;
    }
    inFlight = false;
    if (request.isNack()) {
      nack = new Nack(lastVersion, lastNonce, request.error().get(), now);
      return Outcome.NACK;
    }
    ackedVersion = lastVersion;
    return Outcome.ACK;
  }

  /** Whether a response is waiting for the client's answer: nothing more is sent for the type until it comes. */
  boolean inFlight() {
    return inFlight;
  }

  /**
   * What to send from {@code snapshot}, or null for nothing. State of the world: Listeners and Clusters
   * in full when anything in the set differs from what the client holds; others, only the resources that
   * differ. Delta: the resources that differ, and the held names that are gone.
   */
  Plan decide(XdsSnapshot snapshot) {
    String version = snapshot.version(type);
    if (version.equals(settledAt)) {
      return null; // nothing changed since it was found to hold nothing new: no need to look at every resource
    }
    boolean mirrorKnown = !mirrored.isEmpty() && !resendDue && answered;
    if (mirrorKnown && mirrored.equals(version)) {
      settledAt = version; // it holds this very version (an ACK of what was just sent): nothing to compare
      return null;
    }
    Optional<Set<String>> changed = mirrorKnown ? snapshot.changedSince(type, mirrored) : Optional.empty();
    Plan plan = changed.isPresent() ? planForChanged(snapshot, version, changed.get()) : planFor(snapshot, version);
    settledAt = plan == null ? version : "";
    if (plan == null) {
      mirrored = version; // what is held is this version's; after a send, sent() says so
    }
    return plan;
  }

  /**
   * The plan for a snapshot that differs from the one the client mirrors only in {@code changed}: those
   * of them it wants at another version (a patch only replaces resources, so nothing is gone).
   */
  private Plan planForChanged(XdsSnapshot snapshot, String version, Set<String> changed) {
    Map<String, VersionedResource> all = snapshot.resources(type);
    List<VersionedResource> differing = new ArrayList<>();
    for (String name : changed) {
      VersionedResource resource = all.get(name);
      if (resource != null && (wildcard || names.contains(name)) && !resource.version().equals(held.get(name))) {
        differing.add(resource);
      }
    }
    if (differing.isEmpty()) {
      return null;
    }
    differing.sort(java.util.Comparator.comparing(VersionedResource::name));
    return new Plan(type, version, differing, List.of());
  }

  private Plan planFor(XdsSnapshot snapshot, String version) {
    Map<String, VersionedResource> all = snapshot.resources(type);
    if (protocol == Protocol.STATE_OF_THE_WORLD && !answered && !claimedVersion.isEmpty()
        && claimedVersion.equals(version)) {
      // Reconnected holding exactly this version (a restart, another replica): nothing to send.
      wanted(all).forEach(resource -> held.put(resource.name(), resource.version()));
      answered = true;
      claimedVersion = "";
      return null;
    }
    List<VersionedResource> wanted = wanted(all);
    List<VersionedResource> differing = new ArrayList<>();
    for (VersionedResource resource : wanted) {
      if (!resource.version().equals(held.get(resource.name())) || (resendDue && resend.contains(resource.name()))) {
        differing.add(resource);
      }
    }
    List<String> removed = new ArrayList<>();
    for (String name : held.keySet()) {
      if (!all.containsKey(name)) {
        removed.add(name);
      }
    }
    Collections.sort(removed); // only what is gone is sorted, not everything held
    if (protocol == Protocol.DELTA) {
      return differing.isEmpty() && removed.isEmpty() ? null : new Plan(type, version, differing, removed);
    }
    if (type.completeness() == XdsType.Completeness.FULL_STATE) {
      boolean same = answered && differing.isEmpty() && removed.isEmpty() && held.size() == wanted.size();
      return same ? null : new Plan(type, version, wanted, List.of());
    }
    if (differing.isEmpty() && answered) {
      removed.forEach(held::remove); // gone from the snapshot: the client learns it from its Cluster or Listener
      return null;
    }
    return new Plan(type, version, differing, List.of());
  }

  private List<VersionedResource> wanted(Map<String, VersionedResource> all) {
    if (wildcard) {
      return List.copyOf(all.values());
    }
    List<VersionedResource> wanted = new ArrayList<>();
    for (String name : names) {
      VersionedResource resource = all.get(name);
      if (resource != null) {
        wanted.add(resource);
      }
    }
    return wanted;
  }

  /** {@code plan} went out with {@code nonce}: the client holds it now, as far as this server is concerned. */
  void sent(Plan plan, String nonce) {
    if (protocol == Protocol.STATE_OF_THE_WORLD && type.completeness() == XdsType.Completeness.FULL_STATE) {
      held.clear(); // the response is the whole set
    }
    plan.removed().forEach(held::remove);
    for (VersionedResource resource : plan.resources()) {
      held.put(resource.name(), resource.version());
      resend.remove(resource.name());
    }
    resendDue = false;
    mirrored = plan.version(); // the plan held every difference from that version
    answered = true;
    inFlight = true;
    lastNonce = nonce;
    lastVersion = plan.version();
    sentVersion = plan.version();
  }

  /**
   * Envoy waits, after a Cluster (Listener) changed, for its load assignment (route configuration) before
   * using it, and asks again without changing its names; so these are sent on its next request for this
   * type, even though it holds them (Istio's "always respond" for warming resources).
   */
  void resendOnNextRequest(Set<String> resourceNames) {
    resend.addAll(resourceNames);
    settledAt = "";
  }

  /** Whether the client holds {@code resource} at another version: a response would replace it. */
  boolean holdsOtherVersionOf(VersionedResource resource) {
    String version = held.get(resource.name());
    return version != null && !version.equals(resource.version());
  }

  /** The names the client holds, in no order. */
  Set<String> heldNames() {
    return held.keySet();
  }

  String sentVersion() {
    return sentVersion;
  }

  String ackedVersion() {
    return ackedVersion;
  }

  Nack nack() {
    return nack;
  }
}
