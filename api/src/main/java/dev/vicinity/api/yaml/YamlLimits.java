package dev.vicinity.api.yaml;

/**
 * How much YAML one configuration file may hold. Chosen so that {@code kubectl get -o yaml} dumps of large
 * clusters pass (a single {@code List} document can be most of a file), while a hostile or broken file is
 * refused quickly instead of freezing the reader.
 *
 * @param fileBytes the largest file read at all
 * @param documentCodePoints the longest single YAML document, in Unicode code points
 * @param scalarCodePoints the longest single value (or comment, or key), in code points: Kubernetes caps
 *     an object's annotations at 256 KiB and a ConfigMap at 1 MiB
 * @param nestingDepth the deepest nesting of mappings and sequences
 */
public record YamlLimits(int fileBytes, int documentCodePoints, int scalarCodePoints, int nestingDepth) {
  private static final int MIB = 1024 * 1024;

  public static final YamlLimits DEFAULT = new YamlLimits(64 * MIB, 64 * MIB, 8 * MIB, 100);

  public YamlLimits {
    if (fileBytes <= 0 || documentCodePoints <= 0 || scalarCodePoints <= 0 || nestingDepth <= 0) {
      throw new IllegalArgumentException("every YAML limit must be positive");
    }
  }
}
