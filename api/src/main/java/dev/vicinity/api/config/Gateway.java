package dev.vicinity.api.config;

/**
 * An east-west gateway: where clients on other networks reach a cluster's endpoints (Istio's
 * {@code istio-eastwestgateway}, port 15443 by default).
 */
public record Gateway(String address, Integer port) {
  public static final int DEFAULT_PORT = 15443;

  public Gateway {
    address = address == null ? "" : address;
    port = port == null ? DEFAULT_PORT : port;
  }
}
