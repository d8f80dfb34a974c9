package dev.vicinity.server.xds;

import dev.vicinity.translator.ClientProfile;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The snapshot each node group is served, and the streams of each group, which hear of a new one: a
 * change to one group concerns only that group's streams.
 */
public final class SnapshotStore {
  /** A stream of a group. */
  interface Watcher {
    /** Called on the publisher's thread: hand the work off. */
    void onSnapshot(XdsSnapshot snapshot);
  }

  private final Map<ClientProfile, XdsSnapshot> snapshots = new ConcurrentHashMap<>();
  // Guarded by this.
  private final Map<ClientProfile, Set<Watcher>> watchers = new HashMap<>();

  /** The group's snapshot, or null before its first. */
  public XdsSnapshot get(ClientProfile group) {
    return snapshots.get(group);
  }

  /** Publishes the group's snapshot to its streams. */
  public void set(ClientProfile group, XdsSnapshot snapshot) {
    snapshots.put(group, snapshot);
    List<Watcher> told;
    synchronized (this) {
      told = List.copyOf(watchers.getOrDefault(group, Set.of()));
    }
    told.forEach(watcher -> watcher.onSnapshot(snapshot));
  }

  /** Drops the group's snapshot unless a stream of it is open; true if dropped (or there was none). */
  public synchronized boolean clear(ClientProfile group) {
    if (watchers.containsKey(group)) {
      return false;
    }
    snapshots.remove(group);
    return true;
  }

  /** The groups with a snapshot. */
  public Set<ClientProfile> groups() {
    return Set.copyOf(snapshots.keySet());
  }

  /** The stream hears of the group's next snapshots; returns the current one, or null. */
  synchronized XdsSnapshot watch(ClientProfile group, Watcher watcher) {
    watchers.computeIfAbsent(group, g -> new LinkedHashSet<>()).add(watcher);
    return snapshots.get(group);
  }

  synchronized void unwatch(ClientProfile group, Watcher watcher) {
    Set<Watcher> ofGroup = watchers.get(group);
    if (ofGroup != null && ofGroup.remove(watcher) && ofGroup.isEmpty()) {
      watchers.remove(group);
    }
  }
}
