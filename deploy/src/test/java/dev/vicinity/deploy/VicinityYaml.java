package dev.vicinity.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vicinity.api.config.ConfigReader;
import dev.vicinity.api.config.VicinityConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.util.Arrays;

/** The vicinity.yaml a ConfigMap holds, as Vicinity's own reader reads it. */
record VicinityYaml(String text) {
  private static final ObjectMapper YAML = new YAMLMapper();
  static final String LEADER_ELECTION = "leaderElection";

  static VicinityYaml of(ConfigMap configMap) {
    String text = configMap.getData().get("vicinity.yaml");
    if (text == null) {
      throw new AssertionError("ConfigMap " + configMap.getMetadata().getName() + " holds no vicinity.yaml: " + configMap.getData().keySet());
    }
    return new VicinityYaml(text);
  }

  /** The tree, for checks of what the chart wrote. */
  JsonNode tree() {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("vicinity.yaml is not YAML: " + e.getMessage() + "\n" + text, e);
    }
  }

  /**
   * Read by {@link ConfigReader}, which reports every error. The leaderElection section comes with issue 14's
   * leader election; on a tree where {@link VicinityConfig} has no such component yet, the section is left
   * out here (its fields are checked by the tests on their own) so the rest is still read by the real reader.
   */
  ConfigReader.Result read() {
    boolean readerKnowsLeaderElection = Arrays.stream(VicinityConfig.class.getRecordComponents())
        .anyMatch(component -> component.getName().equals(LEADER_ELECTION));
    String readable = text;
    if (!readerKnowsLeaderElection) {
      ObjectNode tree = (ObjectNode) tree();
      tree.remove(LEADER_ELECTION);
      try {
        readable = YAML.writeValueAsString(tree);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return ConfigReader.read("vicinity.yaml", readable);
  }
}
