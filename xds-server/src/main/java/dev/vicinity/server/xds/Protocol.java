package dev.vicinity.server.xds;

/** The two xDS transport protocols; both are served on every stream endpoint. */
enum Protocol {
  /** Each request names every resource wanted; Listener and Cluster responses carry the full set. */
  STATE_OF_THE_WORLD,
  /** Requests add and drop names; responses carry changed resources and the names removed. */
  DELTA
}
