package dev.vicinity.api.yaml;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;

/** Makes {@link RestrictedYamlParser}s that read within {@link YamlLimits}. */
final class RestrictedYamlFactory extends YAMLFactory {
  private static final long serialVersionUID = 1L;

  private final YamlLimits limits;

  RestrictedYamlFactory(YamlLimits limits) {
    super(YAMLFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .loaderOptions(loaderOptions(limits))
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(limits.nestingDepth())
            .maxStringLength(limits.scalarCodePoints())
            .maxNameLength(limits.scalarCodePoints())
            .build()));
    this.limits = limits;
  }

  private static LoaderOptions loaderOptions(YamlLimits limits) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(limits.documentCodePoints());
    return options;
  }

  YamlLimits limits() {
    return limits;
  }

  RestrictedYamlParser parser(String text) {
    IOContext context = _createContext(_createContentReference(text), false);
    return new RestrictedYamlParser(context, _parserFeatures, _yamlParserFeatures, _objectCodec, text, limits, _loaderOptions);
  }
}
