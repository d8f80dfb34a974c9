package dev.vicinity.discovery;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vicinity.api.yaml.ConfigError;
import dev.vicinity.api.yaml.SourceDocument;
import dev.vicinity.api.yaml.YamlDocuments;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads Node, Service and {@code discovery.k8s.io/v1} EndpointSlice documents exactly as
 * {@code kubectl get -o yaml} prints them, {@code List} documents included. Other kinds in a dump (Pods,
 * Deployments...) are not Vicinity's business and are passed over; a malformed object is an error with
 * its file and line, and the rest of the file still counts.
 */
public final class ClusterFileReader {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Set<String> LIST_KINDS = Set.of("List", "NodeList", "ServiceList", "EndpointSliceList");

  private ClusterFileReader() {}

  /** The objects read from one file and the problems met. */
  public record Result(KubernetesObjects objects, List<ConfigError> errors) {
    public Result {
      errors = List.copyOf(errors);
    }
  }

  public static Result read(String source, String yaml) {
    YamlDocuments.Parsed parsed = YamlDocuments.parse(source, yaml);
    List<ConfigError> errors = new ArrayList<>(parsed.errors());
    List<Node> nodes = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    List<EndpointSlice> slices = new ArrayList<>();
    for (SourceDocument document : parsed.documents()) {
      String kind = document.text("kind");
      if (LIST_KINDS.contains(kind)) {
        JsonNode items = document.tree().path("items");
        for (int i = 0; i < items.size(); i++) {
          object(document, JsonPointer.compile("/items/" + i), nodes, services, slices, errors);
        }
      } else {
        object(document, JsonPointer.empty(), nodes, services, slices, errors);
      }
    }
    return new Result(new KubernetesObjects(nodes, services, slices), errors);
  }

  private static void object(
      SourceDocument document,
      JsonPointer at,
      List<Node> nodes,
      List<Service> services,
      List<EndpointSlice> slices,
      List<ConfigError> errors) {
    JsonNode tree = document.tree().at(at);
    String kind = tree.path("kind").asText("");
    String apiVersion = tree.path("apiVersion").asText("");
    if (kind.isEmpty()) {
      errors.add(document.error(at.appendProperty("kind"), "required: Node, Service or EndpointSlice"));
      return;
    }
    try {
      switch (kind) {
        case "Node" -> nodes.add(named(document, at, expectVersion(document, at, apiVersion, "v1", Node.class, tree)));
        case "Service" -> services.add(named(document, at, expectVersion(document, at, apiVersion, "v1", Service.class, tree)));
        case "EndpointSlice" -> slices.add(named(document, at,
            expectVersion(document, at, apiVersion, "discovery.k8s.io/v1", EndpointSlice.class, tree)));
        default -> { } // another kind in a dump: not an endpoint source
      }
    } catch (InvalidObject e) {
      errors.add(e.error);
    } catch (IllegalArgumentException e) {
      String message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
      int details = message.indexOf('\n');
      errors.add(document.error(at, "not a valid " + kind + ": " + (details > 0 ? message.substring(0, details) : message)));
    }
  }

  private static <T> T expectVersion(
      SourceDocument document, JsonPointer at, String apiVersion, String expected, Class<T> type, JsonNode tree) {
    if (!expected.equals(apiVersion)) {
      throw new InvalidObject(document.error(at.appendProperty("apiVersion"),
          "'" + apiVersion + "' is not supported for this kind; expected " + expected));
    }
    return SERIALIZATION.convertValue(tree, type);
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T named(
      SourceDocument document, JsonPointer at, T object) {
    if (object.getMetadata() == null || object.getMetadata().getName() == null) {
      throw new InvalidObject(document.error(at.appendProperty("metadata").appendProperty("name"), "required"));
    }
    return object;
  }

  /** Carries a located error out of a conversion. */
  private static final class InvalidObject extends RuntimeException {
    private final transient ConfigError error;

    InvalidObject(ConfigError error) {
      super(error.toString(), null, false, false);
      this.error = error;
    }
  }
}
