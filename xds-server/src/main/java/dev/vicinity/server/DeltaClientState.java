package dev.vicinity.server;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Context;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the client of one delta xDS stream holds, per resource type, told by the stream's raw messages:
 * the versions it said it had when it (re)connected ({@code initial_resource_versions}), then what it
 * ACKed, minus what it ACKed as removed and what it unsubscribed from; and the names it subscribes to.
 *
 * <p>java-control-plane keeps an account of its own, which the snapshot cache is given instead of this
 * one ({@link VicinitySnapshot.Cache}) because it goes wrong in ways a proxy notices:
 * <ul>
 *   <li>it ignores {@code initial_resource_versions}: a reconnecting proxy is sent the resources it has,
 *       and is never told of those it has that are gone;
 *   <li>it counts a subscribed name as wanted until a response holding it is ACKed, so a NACK of that
 *       response is answered with the same resources at once, again and again, and a resource that is
 *       removed and comes back is not sent to a proxy still subscribed to it;
 *   <li>a request answering a nonce it does not know (a repeated ACK) fails the stream with a
 *       NullPointerException: {@link #onRequest} says so, and the nonce is dropped before it gets there.
 * </ul>
 * A rejected resource is counted as held at the version rejected: like the state-of-the-world NACK in
 * {@link XdsStreamInterceptor}, it is sent again once it changes, not in a loop.
 */
final class DeltaClientState {
  /** The state of the stream whose request is being handled, for the snapshot cache to read. */
  static final Context.Key<DeltaClientState> CURRENT = Context.key("vicinity-delta-client-state");

  private record Sent(String typeUrl, Map<String, String> versions, List<String> removed) {}

  private static final class TypeState {
    private final Map<String, String> held = new HashMap<>();
    private final Set<String> subscribed = new HashSet<>();
  }

  // Requests come on gRPC's thread for the call, responses also from the reconciler's.
  private final Map<String, TypeState> types = new HashMap<>();
  private final Map<String, Sent> sentByNonce = new HashMap<>();

  /**
   * Takes in a request. Returns false if it answers a response this stream was not sent or has
   * answered already; the request counts for its subscriptions only.
   */
  synchronized boolean onRequest(DeltaDiscoveryRequest request) {
    TypeState type = types.get(request.getTypeUrl());
    if (type == null) {
      // Only the first request for a type says what the client holds from before.
      type = new TypeState();
      types.put(request.getTypeUrl(), type);
      type.held.putAll(request.getInitialResourceVersionsMap());
    }
    boolean knownNonce = true;
    if (!request.getResponseNonce().isEmpty()) {
      Sent answered = sentByNonce.remove(request.getResponseNonce());
      knownNonce = answered != null && answered.typeUrl().equals(request.getTypeUrl());
      if (knownNonce) {
        // ACKed or rejected, these versions are not to be sent again; removals count once accepted.
        type.held.putAll(answered.versions());
        if (!request.hasErrorDetail()) {
          answered.removed().forEach(type.held::remove);
        }
      }
    }
    type.subscribed.addAll(request.getResourceNamesSubscribeList());
    for (String name : request.getResourceNamesUnsubscribeList()) {
      type.subscribed.remove(name);
      type.held.remove(name);
    }
    return knownNonce;
  }

  synchronized void onResponse(DeltaDiscoveryResponse response) {
    Map<String, String> versions = new HashMap<>();
    for (Resource resource : response.getResourcesList()) {
      versions.put(resource.getName(), resource.getVersion());
    }
    sentByNonce.put(response.getNonce(),
        new Sent(response.getTypeUrl(), versions, List.copyOf(response.getRemovedResourcesList())));
  }

  /** Name to version of each resource of the type the client holds (or has rejected at that version). */
  synchronized Map<String, String> held(String typeUrl) {
    TypeState type = types.get(typeUrl);
    return type == null ? Map.of() : Map.copyOf(type.held);
  }

  /** The names subscribed to that the client does not hold: each is sent as soon as it exists. */
  synchronized Set<String> wanted(String typeUrl) {
    TypeState type = types.get(typeUrl);
    if (type == null) {
      return Set.of();
    }
    Set<String> wanted = new HashSet<>(type.subscribed);
    wanted.removeAll(type.held.keySet());
    return wanted;
  }
}
