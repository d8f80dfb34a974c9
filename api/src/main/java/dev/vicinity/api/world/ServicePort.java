package dev.vicinity.api.world;

import java.util.Objects;

/**
 * One port of a Kubernetes Service. {@code name} is empty for a single unnamed port; it is the key that
 * ties the Service port to the EndpointSlice port of the same name.
 */
public record ServicePort(String name, int port, String protocol, String appProtocol) {
  public ServicePort {
    name = Objects.requireNonNullElse(name, "");
    protocol = Objects.requireNonNullElse(protocol, "TCP");
    appProtocol = Objects.requireNonNullElse(appProtocol, "");
  }
}
