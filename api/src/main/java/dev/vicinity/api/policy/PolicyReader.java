package dev.vicinity.api.policy;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vicinity.api.yaml.ConfigError;
import dev.vicinity.api.yaml.DocumentBinder;
import dev.vicinity.api.yaml.SourceDocument;
import dev.vicinity.api.yaml.YamlDocuments;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads policy documents (multi-document YAML, as applied with kubectl). A bad document is left out with
 * errors naming file, line and field; every other document still counts.
 */
public final class PolicyReader {
  private static final Set<String> TOP_LEVEL_FIELDS = Set.of("apiVersion", "kind", "metadata", "spec", "status");

  private PolicyReader() {}

  /** What one file yielded. */
  public record Result(List<Policy> policies, List<ConfigError> errors) {
    public Result {
      policies = List.copyOf(policies);
      errors = List.copyOf(errors);
    }
  }

  public static Result read(String source, String yaml) {
    YamlDocuments.Parsed parsed = YamlDocuments.parse(source, yaml);
    List<Policy> policies = new ArrayList<>();
    List<ConfigError> errors = new ArrayList<>(parsed.errors());
    for (SourceDocument document : parsed.documents()) {
      Problems problems = new Problems(document);
      read(document, problems).ifPresent(policy -> {
        if (problems.isEmpty()) {
          policies.add(policy);
        }
      });
      errors.addAll(problems.errors());
    }
    return new Result(policies, errors);
  }

  private static Optional<Policy> read(SourceDocument document, Problems problems) {
    JsonNode tree = document.tree();
    if (!tree.isObject()) {
      problems.add(JsonPointer.empty(), "expected a Kubernetes object with apiVersion, kind, metadata and spec");
      return Optional.empty();
    }
    String kindName = document.text("kind");
    Optional<PolicyKind> kind = PolicyKind.forKind(kindName);
    if (kind.isEmpty()) {
      problems.add(
          Problems.at("/kind"),
          (kindName.isEmpty() ? "required" : "unsupported kind '" + kindName + "'")
              + "; expected one of: "
              + Arrays.stream(PolicyKind.values())
                  .map(k -> k.kindName() + " (" + String.join(", ", k.apiVersions()) + ")")
                  .collect(Collectors.joining(", ")));
      return Optional.empty();
    }
    String apiVersion = document.text("apiVersion");
    if (!kind.get().apiVersions().contains(apiVersion)) {
      problems.add(
          Problems.at("/apiVersion"),
          "'" + apiVersion + "' is not an API version of " + kindName + "; expected "
              + String.join(" or ", kind.get().apiVersions()));
    }
    for (Iterator<String> fields = tree.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!TOP_LEVEL_FIELDS.contains(field)) {
        problems.add(JsonPointer.empty().appendProperty(field),
            "unknown field '" + field + "'; expected one of: apiVersion, kind, metadata, spec, status");
      }
    }
    ObjectMeta metadata = bind(document, "/metadata", ObjectMeta.class, problems)
        .orElse(new ObjectMeta(null, null, null, null));
    JsonNode name = tree.at("/metadata/name");
    if (name.isMissingNode() || name.isNull() || (name.isTextual() && name.asText().isEmpty())) {
      problems.add(Problems.at("/metadata/name"), "required"); // a name of the wrong type has its own error
    }
    if (!tree.path("spec").isObject()) {
      problems.add(Problems.at("/spec"), "required: an object with the " + kindName + " spec");
      return Optional.empty();
    }
    return switch (kind.get()) {
      case VIRTUAL_DESTINATION -> bind(document, "/spec", VirtualDestination.Spec.class, problems)
          .map(spec -> {
            PolicyValidation.virtualDestination(spec, problems);
            return new VirtualDestination(metadata, spec);
          });
      case TRAFFIC_POLICY -> bind(document, "/spec", TrafficPolicy.Spec.class, problems)
          .map(spec -> {
            PolicyValidation.trafficPolicy(spec, problems);
            return new TrafficPolicy(metadata, spec);
          });
      case DESTINATION_RULE -> bind(document, "/spec", DestinationRule.Spec.class, problems)
          .map(spec -> {
            DestinationRuleValidation.validate(spec, problems);
            return new DestinationRule(metadata, spec);
          });
    };
  }

  private static <T> Optional<T> bind(SourceDocument document, String at, Class<T> type, Problems problems) {
    if (document.tree().at(at).isMissingNode()) {
      return Optional.empty();
    }
    DocumentBinder.Bound<T> bound = DocumentBinder.bind(document, JsonPointer.compile(at), type);
    problems.addAll(bound.errors());
    return bound.value();
  }
}
