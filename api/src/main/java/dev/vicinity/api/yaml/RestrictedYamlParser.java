package dev.vicinity.api.yaml;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.StringReader;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.ParserImpl;

/**
 * Jackson's YAML parser on a {@link LinearStreamReader}, telling what Jackson hides or rewrites about the
 * current token: an explicit tag ({@code !!binary}), an anchor ({@code &svc}) or an alias ({@code *svc},
 * which Jackson hands over as the text {@code svc}).
 */
final class RestrictedYamlParser extends YAMLParser {
  RestrictedYamlParser(IOContext context, int parserFeatures, int yamlFeatures, ObjectCodec codec, String text,
      YamlLimits limits, LoaderOptions options) {
    super(context, parserFeatures, yamlFeatures, codec, new StringReader(""),
        new ParserImpl(new LinearStreamReader(text, limits.scalarCodePoints()), options));
  }

  /** The tag written on the current token, such as {@code !!binary}, as written. */
  Optional<String> explicitTag() {
    String tag = null;
    if (_lastEvent instanceof ScalarEvent scalar) {
      tag = scalar.getTag();
    } else if (_lastEvent instanceof CollectionStartEvent collection) {
      tag = collection.getTag();
    }
    if (tag == null) {
      return Optional.empty();
    }
    return Optional.of(tag.startsWith("tag:yaml.org,2002:") ? "!!" + tag.substring("tag:yaml.org,2002:".length()) : tag);
  }

  /** The anchor ({@code &name}) on the current token. */
  Optional<String> anchor() {
    return _lastEvent instanceof NodeEvent node && !(_lastEvent instanceof AliasEvent)
        ? Optional.ofNullable(node.getAnchor())
        : Optional.empty();
  }

  /** The alias ({@code *name}) that is the current token. */
  Optional<String> alias() {
    return _lastEvent instanceof AliasEvent alias ? Optional.ofNullable(alias.getAnchor()) : Optional.empty();
  }
}
