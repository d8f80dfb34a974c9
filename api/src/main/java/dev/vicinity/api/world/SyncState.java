package dev.vicinity.api.world;

/** How current a cluster's view is. */
public enum SyncState {
  /** Never synced: nothing may be served from it yet. */
  PENDING,
  /** Synced and current. */
  SYNCED,
  /** Synced once, now unreachable: its last known endpoints keep serving. */
  STALE,
  /** Never synced and given up on. */
  FAILED
}
