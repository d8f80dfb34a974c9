package dev.vicinity.inventory.mapping;

import com.fasterxml.jackson.core.JsonPointer;
import com.google.common.net.InetAddresses;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Kubernetes' own API validation (the API server's {@code ValidateNode}, {@code ValidateService},
 * {@code ValidateEndpointSlice}) for the Node, Service and EndpointSlice fields Vicinity reads, so that a
 * file dump is held to what {@code kubectl apply} would accept. An object that breaks any rule is left
 * out whole, as the API server would refuse it whole. Two deliberate differences: EndpointSlice ports
 * must be 1-65535 (the API server accepts any number there, but no client can dial it), and loopback or
 * link-local endpoint addresses are accepted (file worlds point at local backends in tests and demos).
 * Missing fields the API server defaults ({@code protocol}: TCP) are not errors.
 */
public final class KubernetesObjectRules {
  static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
  static final Set<String> ADDRESS_TYPES = Set.of("IPv4", "IPv6", "FQDN");
  private static final int MAX_ENDPOINTS = 1000;
  private static final int MAX_ADDRESSES = 100;
  private static final int MIN_PORT = 1;
  private static final int MAX_PORT = 65535;
  private static final JsonPointer ROOT = JsonPointer.empty();

  private KubernetesObjectRules() {}

  /** Every rule {@code object} breaks; empty when the API server would accept it. */
  public static List<Violation> check(HasMetadata object) {
    List<Violation> violations = new ArrayList<>();
    if (object instanceof Node node) {
      metadata(node.getMetadata(), KubernetesNames::dns1123Subdomain, violations);
    } else if (object instanceof Service service) {
      metadata(service.getMetadata(), KubernetesNames::dns1035Label, violations);
      service(service, violations);
    } else if (object instanceof EndpointSlice slice) {
      metadata(slice.getMetadata(), KubernetesNames::dns1123Subdomain, violations);
      endpointSlice(slice, violations);
    }
    return List.copyOf(violations);
  }

  private interface NameRule {
    Optional<String> check(String name);
  }

  private static void metadata(ObjectMeta metadata, NameRule nameRule, List<Violation> violations) {
    JsonPointer at = ROOT.appendProperty("metadata");
    if (metadata == null || metadata.getName() == null || metadata.getName().isEmpty()) {
      violations.add(new Violation(at.appendProperty("name"), "required"));
    } else {
      nameRule.check(metadata.getName()).ifPresent(m -> violations.add(new Violation(at.appendProperty("name"), m)));
    }
    if (metadata == null) {
      return;
    }
    if (metadata.getNamespace() != null && !metadata.getNamespace().isEmpty()) {
      KubernetesNames.dns1123Label(metadata.getNamespace())
          .ifPresent(m -> violations.add(new Violation(at.appendProperty("namespace"), m)));
    }
    Map<String, String> labels = metadata.getLabels() == null ? Map.of() : metadata.getLabels();
    labels.forEach((key, value) -> {
      KubernetesNames.qualifiedName(key)
          .ifPresent(m -> violations.add(new Violation(path("metadata", "labels", key), "label key " + m)));
      KubernetesNames.labelValue(value == null ? "" : value)
          .ifPresent(m -> violations.add(new Violation(path("metadata", "labels", key), m)));
    });
  }

  private static void service(Service service, List<Violation> violations) {
    if (service.getSpec() == null || service.getSpec().getPorts() == null) {
      return;
    }
    List<ServicePort> ports = service.getSpec().getPorts();
    JsonPointer at = ROOT.appendProperty("spec").appendProperty("ports");
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      ServicePort port = ports.get(i);
      JsonPointer p = at.appendIndex(i);
      String name = port.getName() == null ? "" : port.getName();
      if (name.isEmpty()) {
        if (ports.size() > 1) {
          violations.add(new Violation(p.appendProperty("name"), "required when a Service has more than one port"));
        }
      } else {
        KubernetesNames.dns1123Label(name).ifPresent(m -> violations.add(new Violation(p.appendProperty("name"), m)));
      }
      if (!names.add(name) && !name.isEmpty()) {
        violations.add(new Violation(p.appendProperty("name"), "'" + name + "' is the name of another port too"));
      }
      portNumber(port.getPort(), p.appendProperty("port"), violations);
      protocol(port.getProtocol(), p.appendProperty("protocol"), violations);
      targetPort(port.getTargetPort(), p.appendProperty("targetPort"), violations);
      if (port.getNodePort() != null && port.getNodePort() != 0) {
        portNumber(port.getNodePort(), p.appendProperty("nodePort"), violations);
      }
      appProtocol(port.getAppProtocol(), p.appendProperty("appProtocol"), violations);
    }
  }

  /** A number (0 means "the same as port", as the API server defaults it) or an IANA_SVC_NAME. */
  private static void targetPort(IntOrString target, JsonPointer at, List<Violation> violations) {
    if (target == null) {
      return;
    }
    if (target.getIntVal() != null) {
      if (target.getIntVal() != 0) {
        portNumber(target.getIntVal(), at, violations);
      }
    } else if (target.getStrVal() != null && !target.getStrVal().isEmpty()) {
      KubernetesNames.portName(target.getStrVal()).ifPresent(m -> violations.add(new Violation(at, m)));
    }
  }

  private static void endpointSlice(EndpointSlice slice, List<Violation> violations) {
    String addressType = slice.getAddressType();
    JsonPointer typeAt = ROOT.appendProperty("addressType");
    if (addressType == null || addressType.isEmpty()) {
      violations.add(new Violation(typeAt, "required: one of FQDN, IPv4, IPv6"));
    } else if (!ADDRESS_TYPES.contains(addressType)) {
      violations.add(new Violation(typeAt, "'" + addressType + "' is not supported; expected one of FQDN, IPv4, IPv6"));
    }
    List<Endpoint> endpoints = slice.getEndpoints() == null ? List.of() : slice.getEndpoints();
    if (endpoints.size() > MAX_ENDPOINTS) {
      violations.add(new Violation(path("endpoints"), endpoints.size() + " endpoints: at most " + MAX_ENDPOINTS + " are allowed"));
    } else {
      for (int i = 0; i < endpoints.size(); i++) {
        endpoint(endpoints.get(i), addressType, i, violations);
      }
    }
    List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
    JsonPointer portsAt = ROOT.appendProperty("ports");
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      EndpointPort port = ports.get(i);
      JsonPointer p = portsAt.appendIndex(i);
      String name = port.getName() == null ? "" : port.getName();
      if (!name.isEmpty()) {
        KubernetesNames.dns1123Label(name).ifPresent(m -> violations.add(new Violation(p.appendProperty("name"), m)));
      }
      if (!names.add(name)) {
        violations.add(new Violation(p.appendProperty("name"), name.isEmpty()
            ? "another port has no name either: names must be unique"
            : "'" + name + "' is the name of another port too"));
      }
      if (port.getPort() != null) { // absent: "all ports", which the API server allows
        portNumber(port.getPort(), p.appendProperty("port"), violations);
      }
      protocol(port.getProtocol(), p.appendProperty("protocol"), violations);
      appProtocol(port.getAppProtocol(), p.appendProperty("appProtocol"), violations);
    }
  }

  /** Field paths are built only for a violation: a live cluster's endpoints are checked on every look. */
  private static void endpoint(Endpoint endpoint, String addressType, int index, List<Violation> violations) {
    List<String> addresses = endpoint.getAddresses() == null ? List.of() : endpoint.getAddresses();
    if (addresses.isEmpty()) {
      violations.add(new Violation(path("endpoints", index, "addresses"), "required: at least one address"));
    } else if (addresses.size() > MAX_ADDRESSES) {
      violations.add(new Violation(path("endpoints", index, "addresses"),
          addresses.size() + " addresses: at most " + MAX_ADDRESSES + " are allowed"));
    }
    for (int i = 0; i < addresses.size(); i++) {
      Optional<String> problem = address(addresses.get(i) == null ? "" : addresses.get(i), addressType);
      if (problem.isPresent()) {
        violations.add(new Violation(path("endpoints", index, "addresses", i), problem.get()));
      }
    }
    if (endpoint.getNodeName() != null) {
      KubernetesNames.dns1123Subdomain(endpoint.getNodeName())
          .ifPresent(m -> violations.add(new Violation(path("endpoints", index, "nodeName"), m)));
    }
    if (endpoint.getHostname() != null) {
      KubernetesNames.dns1123Label(endpoint.getHostname())
          .ifPresent(m -> violations.add(new Violation(path("endpoints", index, "hostname"), m)));
    }
  }

  /** A field path from names and list indexes. */
  private static JsonPointer path(Object... steps) {
    JsonPointer at = ROOT;
    for (Object step : steps) {
      at = step instanceof Integer index ? at.appendIndex(index) : at.appendProperty((String) step);
    }
    return at;
  }

  /** An address valid for its slice's {@code addressType}; unknown types are reported on the type itself. */
  private static Optional<String> address(String address, String addressType) {
    String type = addressType == null ? "" : addressType;
    return switch (type) {
      case "IPv4" -> isIPv4(address) ? Optional.empty()
          : Optional.of(KubernetesNames.quoted(address) + " is not a valid IPv4 address (addressType IPv4):"
              + " expected four numbers 0-255 without leading zeros, such as 10.0.0.1");
      case "IPv6" -> isIPv6(address) ? Optional.empty()
          : Optional.of(KubernetesNames.quoted(address) + " is not a valid IPv6 address (addressType IPv6):"
              + " expected an RFC 4291 address without zone, such as fd00::1");
      case "FQDN" -> KubernetesNames.fullyQualifiedDomainName(address).map(m -> m + " (addressType FQDN)");
      default -> Optional.empty();
    };
  }

  /** Guava parses without DNS lookups and refuses leading zeros, as Kubernetes' strict parsing does. */
  static boolean isIPv4(String address) {
    return !address.contains(":") && InetAddresses.isInetAddress(address);
  }

  /**
   * RFC 4291 text forms; no zone ({@code %eth0}), and not IPv4-mapped ({@code ::ffff:10.0.0.1}, which Java
   * turns into an IPv4 address, and Kubernetes counts as IPv4 too).
   */
  static boolean isIPv6(String address) {
    return address.contains(":") && !address.contains("%") && InetAddresses.isInetAddress(address)
        && InetAddresses.forString(address) instanceof Inet6Address;
  }

  private static void portNumber(Integer number, JsonPointer at, List<Violation> violations) {
    if (number == null) {
      violations.add(new Violation(at, "required: a port number, 1-65535"));
    } else if (number < MIN_PORT || number > MAX_PORT) {
      violations.add(new Violation(at, number + " is not a port number: expected 1-65535"));
    }
  }

  private static void protocol(String protocol, JsonPointer at, List<Violation> violations) {
    if (protocol != null && !PROTOCOLS.contains(protocol)) {
      violations.add(new Violation(at, "'" + protocol + "' is not supported; expected one of SCTP, TCP, UDP"));
    }
  }

  private static void appProtocol(String appProtocol, JsonPointer at, List<Violation> violations) {
    if (appProtocol != null) {
      KubernetesNames.qualifiedName(appProtocol).ifPresent(m -> violations.add(new Violation(at, m)));
    }
  }
}
