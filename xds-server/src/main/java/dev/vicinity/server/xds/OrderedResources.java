package dev.vicinity.server.xds;

import com.google.common.collect.ImmutableMap;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One type's resources of a snapshot by name, in the order they are sent, unmodifiable. A copy with some
 * resources replaced shares the names and their order with this one and copies only an array of
 * references, so patching a few load assignments of thousands costs what it replaces.
 */
final class OrderedResources extends AbstractMap<String, VersionedResource> {
  static final OrderedResources NONE = new OrderedResources(ImmutableMap.of(), new VersionedResource[0]);

  /** Each name's position, in the order the resources are sent; shared by every copy. */
  private final ImmutableMap<String, Integer> positions;
  private final VersionedResource[] resources;

  private OrderedResources(ImmutableMap<String, Integer> positions, VersionedResource[] resources) {
    this.positions = positions;
    this.resources = resources;
  }

  /** The resources in the order given; names are unique. */
  static OrderedResources of(Iterable<VersionedResource> inOrder) {
    ImmutableMap.Builder<String, Integer> positions = ImmutableMap.builder();
    java.util.List<VersionedResource> resources = new java.util.ArrayList<>();
    for (VersionedResource resource : inOrder) {
      positions.put(resource.name(), resources.size());
      resources.add(resource);
    }
    return new OrderedResources(positions.buildOrThrow(), resources.toArray(new VersionedResource[0]));
  }

  /** A copy with each of {@code replacements} in the place of the resource of its name, which must be here. */
  OrderedResources replacing(Iterable<VersionedResource> replacements) {
    VersionedResource[] copy = resources.clone();
    for (VersionedResource replacement : replacements) {
      Integer position = positions.get(replacement.name());
      if (position == null) {
        throw new IllegalArgumentException("no resource " + replacement.name() + " to replace");
      }
      copy[position] = replacement;
    }
    return new OrderedResources(positions, copy);
  }

  @Override
  public VersionedResource get(Object name) {
    Integer position = positions.get(name);
    return position == null ? null : resources[position];
  }

  @Override
  public boolean containsKey(Object name) {
    return positions.containsKey(name);
  }

  @Override
  public int size() {
    return resources.length;
  }

  @Override
  public Set<Entry<String, VersionedResource>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, VersionedResource>> iterator() {
        Iterator<Entry<String, Integer>> names = positions.entrySet().iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return names.hasNext();
          }

          @Override
          public Entry<String, VersionedResource> next() {
            Entry<String, Integer> name = names.next();
            return new SimpleImmutableEntry<>(name.getKey(), resources[name.getValue()]);
          }
        };
      }

      @Override
      public int size() {
        return resources.length;
      }
    };
  }
}
