package dev.vicinity.api.world;

import com.google.common.collect.ImmutableList;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;

/**
 * Endpoints as a {@link ClusterWorld} holds them: in {@link Endpoint} order, each backend once (the ready copy,
 * or else the first in order). Made only by normalizing endpoints or by joining normalized lists whose
 * backends follow one another, so a world given one takes its endpoints without looking through them again.
 * Endpoints of different services are never copies of one backend: a source can normalize each service's
 * endpoints on its own, again only when they change, and join them in {@link ServiceKey} order.
 */
public final class NormalizedEndpoints extends AbstractList<Endpoint> implements RandomAccess {
  private static final NormalizedEndpoints NONE = new NormalizedEndpoints(ImmutableList.of());

  private final ImmutableList<Endpoint> endpoints;

  private NormalizedEndpoints(ImmutableList<Endpoint> endpoints) {
    this.endpoints = endpoints;
  }

  /** The endpoints sorted, each backend once; a list normalized already is taken after one comparison per endpoint. */
  public static NormalizedEndpoints of(Collection<Endpoint> endpoints) {
    if (endpoints instanceof NormalizedEndpoints normalized) {
      return normalized;
    }
    if (endpoints instanceof ImmutableList<Endpoint> list && sortedAndDistinct(list)) {
      return new NormalizedEndpoints(list); // checking costs one comparison per endpoint, sorting many
    }
    Endpoint[] sorted = endpoints.toArray(new Endpoint[0]);
    Arrays.sort(sorted);
    ImmutableList.Builder<Endpoint> kept = ImmutableList.builderWithExpectedSize(sorted.length);
    Endpoint previous = null;
    for (Endpoint endpoint : sorted) {
      // Sorted order puts copies of one backend together, the ready one first.
      if (previous == null || !previous.sameBackendAs(endpoint)) {
        kept.add(endpoint);
        previous = endpoint;
      }
    }
    return new NormalizedEndpoints(kept.build());
  }

  /** The endpoints of all {@code parts} (such as one service's EndpointSlices), normalized together. */
  public static NormalizedEndpoints ofParts(List<? extends Collection<Endpoint>> parts) {
    if (parts.size() == 1) {
      return of(parts.get(0));
    }
    List<Endpoint> all = new ArrayList<>();
    parts.forEach(all::addAll);
    return of(all);
  }

  /**
   * The parts one after the other. Checked at the seams only: if the first backend of a part does not come
   * after the last one of the part before, the whole is normalized instead.
   */
  public static NormalizedEndpoints joined(List<NormalizedEndpoints> parts) {
    int size = 0;
    Endpoint last = null;
    boolean inOrder = true;
    for (NormalizedEndpoints part : parts) {
      if (part.isEmpty()) {
        continue;
      }
      inOrder &= last == null || Endpoint.compareBackends(last, part.get(0)) < 0;
      last = part.get(part.size() - 1);
      size += part.size();
    }
    ImmutableList.Builder<Endpoint> all = ImmutableList.builderWithExpectedSize(size);
    parts.forEach(part -> all.addAll(part.endpoints));
    return inOrder ? new NormalizedEndpoints(all.build()) : of(all.build());
  }

  /** A world's own endpoints, normalized by its constructor already. */
  static NormalizedEndpoints held(ImmutableList<Endpoint> endpoints) {
    return endpoints.isEmpty() ? NONE : new NormalizedEndpoints(endpoints);
  }

  /** The endpoints as the list a world holds. */
  public ImmutableList<Endpoint> list() {
    return endpoints;
  }

  @Override
  public Endpoint get(int index) {
    return endpoints.get(index);
  }

  @Override
  public int size() {
    return endpoints.size();
  }

  /** Every backend after the previous one: when backends differ, their order comes from the backends' fields alone. */
  private static boolean sortedAndDistinct(List<Endpoint> endpoints) {
    for (int i = 1; i < endpoints.size(); i++) {
      if (Endpoint.compareBackends(endpoints.get(i - 1), endpoints.get(i)) >= 0) {
        return false;
      }
    }
    return true;
  }
}
