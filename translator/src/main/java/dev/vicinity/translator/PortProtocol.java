package dev.vicinity.translator;

import dev.vicinity.api.world.ServicePort;
import java.util.Locale;

/** The application protocol of a port, from a VirtualDestination or from Istio's port naming rules. */
public enum PortProtocol {
  HTTP,
  HTTP2,
  GRPC,
  HTTPS,
  TLS,
  TCP;

  /** Protocols Envoy routes with an HTTP connection manager. */
  public boolean isHttp() {
    return this == HTTP || this == HTTP2 || this == GRPC;
  }

  /** Protocols whose upstream connections must speak HTTP/2. */
  public boolean needsHttp2Upstream() {
    return this == HTTP2 || this == GRPC;
  }

  /** A VirtualDestination's {@code port.protocol}, already validated by the api module. */
  public static PortProtocol parse(String protocol) {
    return valueOf(protocol.toUpperCase(Locale.ROOT));
  }

  /**
   * Istio's rules for a Service port: {@code appProtocol} first, then the name's prefix before the
   * first '-' ({@code http-web}, {@code grpc}). Anything else is plain TCP.
   */
  public static PortProtocol of(ServicePort port) {
    String declared = !port.appProtocol().isEmpty() ? port.appProtocol() : port.name().split("-", 2)[0];
    return switch (declared.toLowerCase(Locale.ROOT)) {
      case "http" -> HTTP;
      case "http2", "kubernetes.io/h2c" -> HTTP2;
      case "grpc" -> GRPC;
      case "https" -> HTTPS;
      case "tls" -> TLS;
      default -> TCP;
    };
  }
}
