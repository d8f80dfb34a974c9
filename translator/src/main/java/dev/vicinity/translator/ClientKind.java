package dev.vicinity.translator;

/** What kind of xDS client is asking: it decides the shape of the listeners it gets. */
public enum ClientKind {
  /** An Envoy proxy: socket listeners with an HTTP connection manager. */
  ENVOY,
  /** A proxyless gRPC client: {@code api_listener} Listeners named {@code host:port}. */
  GRPC
}
