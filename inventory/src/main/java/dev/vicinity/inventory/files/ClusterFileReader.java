package dev.vicinity.inventory.files;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.vicinity.api.yaml.ConfigError;
import dev.vicinity.api.yaml.SourceDocument;
import dev.vicinity.api.yaml.ValueTypes;
import dev.vicinity.api.yaml.YamlDocuments;
import dev.vicinity.inventory.mapping.KubernetesObjectRules;
import dev.vicinity.inventory.mapping.Violation;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
 * Deployments...) are not Vicinity's business and are passed over. An object the Kubernetes API server
 * would refuse (see {@link KubernetesObjectRules}) is left out whole, with an error for each broken rule
 * at its file, line and field; the rest of the file still counts.
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
    List<HasMetadata> valid = new ArrayList<>();
    for (SourceDocument document : parsed.documents()) {
      String kind = document.text("kind");
      if (LIST_KINDS.contains(kind)) {
        JsonNode items = document.tree().path("items");
        for (int i = 0; i < items.size(); i++) {
          object(document, JsonPointer.compile("/items/" + i), valid, errors);
        }
      } else {
        object(document, JsonPointer.empty(), valid, errors);
      }
    }
    return new Result(KubernetesObjects.of(valid), errors);
  }

  private static void object(
      SourceDocument document,
      JsonPointer at,
      List<HasMetadata> valid,
      List<ConfigError> errors) {
    JsonNode tree = document.tree().at(at);
    String kind = tree.path("kind").asText("");
    String apiVersion = tree.path("apiVersion").asText("");
    if (kind.isEmpty()) {
      errors.add(document.error(at.appendProperty("kind"), "required: Node, Service or EndpointSlice"));
      return;
    }
    HasMetadata object;
    try {
      object = switch (kind) {
        case "Node" -> convert(document, at, apiVersion, "v1", Node.class, tree);
        case "Service" -> convert(document, at, apiVersion, "v1", Service.class, tree);
        case "EndpointSlice" -> convert(document, at, apiVersion, "discovery.k8s.io/v1", EndpointSlice.class, tree);
        default -> null; // another kind in a dump: not an endpoint source
      };
    } catch (InvalidObject e) {
      errors.add(e.error);
      return;
    } catch (IllegalArgumentException e) {
      errors.add(conversionError(document, at, kind, e));
      return;
    }
    if (object == null) {
      return;
    }
    // The API server would refuse the whole object, so the whole object is left out.
    List<Violation> violations = KubernetesObjectRules.check(object);
    if (violations.isEmpty()) {
      valid.add(object);
    } else {
      violations.forEach(v -> errors.add(document.error(at.append(v.field()), v.message())));
    }
  }

  private static <T> T convert(
      SourceDocument document, JsonPointer at, String apiVersion, String expected, Class<T> type, JsonNode tree) {
    if (!expected.equals(apiVersion)) {
      throw new InvalidObject(document.error(at.appendProperty("apiVersion"),
          "'" + apiVersion + "' is not supported for this kind; expected " + expected));
    }
    return SERIALIZATION.convertValue(tree, type);
  }

  /** A value of the wrong type, at its own field, in the user's terms rather than the Java model's. */
  private static ConfigError conversionError(SourceDocument document, JsonPointer at, String kind, IllegalArgumentException e) {
    if (e.getCause() instanceof MismatchedInputException mismatch) {
      JsonPointer where = ValueTypes.pointerOf(at, mismatch);
      return document.error(where, ValueTypes.explain(mismatch, document.tree().at(where)));
    }
    if (e.getCause() instanceof JsonMappingException mapping) {
      return document.error(ValueTypes.pointerOf(at, mapping), "not a valid value for a " + kind);
    }
    return document.error(at, "not a valid " + kind);
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
