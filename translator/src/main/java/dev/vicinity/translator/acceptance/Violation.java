package dev.vicinity.translator.acceptance;

/**
 * One rule a client would refuse a resource for.
 *
 * @param resource the resource's type and name, e.g. {@code Cluster outbound|9080||reviews.global}
 * @param field the path to the field inside the resource, e.g. {@code outlier_detection.max_ejection_percent}
 * @param rule the rule broken, e.g. {@code uint32.lte} (a protoc-gen-validate rule) or {@code grpc.unique_address}
 * @param message what was wrong, in plain words, e.g. {@code 150 is above 100}
 */
public record Violation(String resource, String field, String rule, String message) {
  @Override
  public String toString() {
    return resource + ": " + field + " breaks " + rule + ": " + message;
  }
}
